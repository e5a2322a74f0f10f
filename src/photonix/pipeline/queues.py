"""Celery queues and routing.

Each kind of work has its own queue so it can get its own workers and concurrency, on this machine
or another: ``import`` (scanning and recording files, and the pipeline's housekeeping),
``media`` (RAW development and thumbnails), ``classify`` (AI tagging, and ``finish_photo``, the
join of a photo's classifiers) and ``faces`` (face detection and clustering). Every task a photo
needs is on one of these four, so workers started with ``--queues import,media`` and
``--queues classify,faces`` process photos to the end. ``default`` only catches what no route
names (a diagnostic ping); ``photonix serve`` runs one worker that consumes them all.
"""

from __future__ import annotations

from typing import Final

from kombu import Queue

from photonix.core.queues import QUEUE_NAMES as QUEUE_NAMES  # the names, beside their routes

CELERY_QUEUES: Final = tuple(Queue(name, routing_key=name) for name in QUEUE_NAMES)

# Routing by task name; the first matching pattern wins (Celery keeps the dict's order).
CELERY_TASK_ROUTES: Final = {
    # The chord callback joins the classifier group: it runs where the classifiers run. (A photo
    # with no classifier gets it on ``media``, set where the canvas is built.)
    "photonix.pipeline.finish_photo": {"queue": "classify"},
    # Housekeeping from beat (reconcile, prune): beside the import, which every install consumes.
    "photonix.pipeline.*": {"queue": "import"},
    "photonix.library.*": {"queue": "import"},
    "photonix.media.*": {"queue": "media"},
    "photonix.classify.*": {"queue": "classify"},
    "photonix.faces.*": {"queue": "faces"},
}
