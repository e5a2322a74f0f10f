"""Names the broker's data goes by: the queues, the paused set, the folders channel.

Plain constants (no Django, no Celery), so settings and the pipeline's routes can import them.
"""

from __future__ import annotations

from typing import Final

# Every queue a Photonix task can be routed to (see ``photonix.pipeline.queues`` for the routes).
QUEUE_NAMES: Final = ("default", "import", "media", "classify", "faces")

# The queues a person paused from the jobs page: workers cancel their consumers on start.
PAUSED_KEY: Final = "photonix:paused-queues"

# Pub/sub channel on which the watcher hears that a library's folders changed.
FOLDERS_CHANNEL: Final = "photonix:library-folders"

# What each running worker last reported about itself (photonix.core.worker_state): the set of
# worker names, and one short-lived key per name holding the queues it consumes.
WORKERS_KEY: Final = "photonix:workers"
WORKER_KEY_PREFIX: Final = "photonix:worker:"
