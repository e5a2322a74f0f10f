"""How much work is outstanding, read from the broker itself.

With ``acks_late`` a message stays in the broker's ``unacked`` set until its task has finished, and
a task enqueues its follow-ups before it finishes, so *queued + unacked = 0* means the broker is
idle. ``photonix wait`` also waits for the database to agree: no file waiting to be recorded and
no photo still ``pending`` or ``processing`` (a photo whose canvas was just committed but not yet
sent, or whose work the broker lost and the reconciliation has yet to send again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis
from django.conf import settings

from photonix.core.health import redis_client_url
from photonix.library.models import PhotoFile
from photonix.pipeline.queues import QUEUE_NAMES

# kombu's Redis transport keeps one list per priority step: "queue", "queue\x06\x163", ...
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (0, 3, 6, 9)


@dataclass(frozen=True)
class Outstanding:
    queued: dict[str, int]
    unacked: int
    pending_files: int
    unfinished_photos: int = 0

    @property
    def total(self) -> int:
        waiting = sum(self.queued.values()) + self.unacked
        return waiting + self.pending_files + self.unfinished_photos


def broker_outstanding() -> tuple[dict[str, int], int]:
    """Messages waiting in each queue, and messages delivered but not yet acknowledged."""
    client = redis.Redis.from_url(redis_client_url(settings.CELERY_BROKER_URL), socket_timeout=5)
    try:
        pipe = client.pipeline(transaction=False)
        for queue in QUEUE_NAMES:
            for step in PRIORITY_STEPS:
                pipe.llen(queue if step == 0 else f"{queue}{PRIORITY_SEPARATOR}{step}")
        pipe.hlen("unacked")
        counts = pipe.execute()
    finally:
        client.close()
    per_queue = {
        queue: sum(counts[i * len(PRIORITY_STEPS) : (i + 1) * len(PRIORITY_STEPS)])
        for i, queue in enumerate(QUEUE_NAMES)
    }
    return per_queue, int(counts[-1])


def unacked_work() -> int:
    """Messages delivered and not yet acknowledged, not counting beat's housekeeping.

    A task runs with its own message unacknowledged (``acks_late``): the reconciliation, asking
    whether the broker holds any work, must not count itself (or a re-clustering that started
    beside it) as work, or it would never act.
    """
    import json

    from photonix.celery import app

    client = redis.Redis.from_url(redis_client_url(settings.CELERY_BROKER_URL), socket_timeout=5)
    try:
        raw = client.hvals("unacked")
    finally:
        client.close()
    count = 0
    for value in raw:
        try:
            message = json.loads(value)[0]
            name = str(message.get("headers", {}).get("task", ""))
        except (ValueError, TypeError, IndexError, AttributeError):
            name = ""  # not ours to read: count it as work
        task = app.tasks.get(name)
        if task is None or getattr(task, "records_jobs", True):
            count += 1
    return count


def outstanding() -> Outstanding:
    from photonix.pipeline.models import PhotoPipeline

    queued, unacked = broker_outstanding()
    return Outstanding(
        queued=queued,
        unacked=unacked,
        pending_files=PhotoFile.objects.filter(state=PhotoFile.State.PENDING).count(),
        unfinished_photos=PhotoPipeline.objects.filter(
            state__in=(PhotoPipeline.State.PENDING, PhotoPipeline.State.PROCESSING)
        ).count(),
    )


def wait_until_idle(timeout: float, interval: float = 0.25) -> Outstanding | None:
    """Block until no work is outstanding twice in a row; the last reading on timeout, else None."""
    deadline = time.monotonic() + timeout
    idle_once = False
    while True:
        state = outstanding()
        if state.total == 0:
            if idle_once:
                return None
            idle_once = True
        else:
            idle_once = False
        if time.monotonic() >= deadline:
            return state
        time.sleep(interval)
