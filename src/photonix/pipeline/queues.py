"""Celery queues and routing.

Each kind of work has its own queue so it can get its own workers and concurrency, on this machine
or another: ``import`` (scanning and recording files), ``media`` (RAW development and thumbnails),
``classify`` (AI tagging) and ``faces`` (face detection and clustering). ``default`` carries
housekeeping. ``photonix serve`` runs one worker that consumes them all.
"""

from __future__ import annotations

from typing import Final

from kombu import Queue

QUEUE_NAMES: Final = ("default", "import", "media", "classify", "faces")

CELERY_QUEUES: Final = tuple(Queue(name, routing_key=name) for name in QUEUE_NAMES)

# Routing by task-name prefix: a task's name starts with its stage's area.
CELERY_TASK_ROUTES: Final = {
    "photonix.library.*": {"queue": "import"},
    "photonix.media.*": {"queue": "media"},
    "photonix.classify.*": {"queue": "classify"},
    "photonix.faces.*": {"queue": "faces"},
}
