"""How much work is outstanding, read from the broker itself.

With ``acks_late`` a message stays in the broker's ``unacked`` set until its task has finished, and
a task enqueues its follow-ups before it finishes, so *queued + unacked = 0* means the broker is
idle. ``photonix wait`` also waits for the database to agree: no file waiting to be recorded and
no photo still ``pending`` or ``processing`` (a photo whose canvas was just committed but not yet
sent, or whose work the broker lost and the reconciliation has yet to send again), and no
coalesced run still to come (:mod:`photonix.pipeline.debounce`: a library whose faces wait to be
grouped into people, or are being grouped — its timer is a countdown the broker may hold for a
while, and between two timers, or a timer and its run, the request is what says work remains).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from photonix.celery import app
from photonix.core.broker_client import broker_outstanding, broker_redis
from photonix.library.models import PhotoFile
from photonix.pipeline.debounce import pending_runs
from photonix.pipeline.models import PhotoPipeline


@dataclass(frozen=True)
class Outstanding:
    queued: dict[str, int]
    unacked: int
    pending_files: int
    unfinished_photos: int = 0
    #: coalesced runs requested and not finished (libraries whose people are still to be grouped)
    pending_runs: int = 0

    @property
    def total(self) -> int:
        waiting = sum(self.queued.values()) + self.unacked
        return waiting + self.pending_files + self.unfinished_photos + self.pending_runs


def unacked_work() -> int:
    """Messages delivered and not yet acknowledged, not counting beat's housekeeping.

    A task runs with its own message unacknowledged (``acks_late``): the reconciliation, asking
    whether the broker holds any work, must not count itself (or a re-clustering that started
    beside it) as work, or it would never act.
    """
    import json

    client = broker_redis()
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
        if not is_housekeeping(name):
            count += 1
    return count


def is_housekeeping(name: str) -> bool:
    """Whether task ``name`` is housekeeping that keeps no job record (``records_jobs``): beat's
    periodic tasks, a worker's search for lost messages, a coalesced run's timer."""
    task = app.tasks.get(name)
    return task is not None and not getattr(task, "records_jobs", True)


def outstanding() -> Outstanding:
    queued, unacked = broker_outstanding()
    return Outstanding(
        queued=queued,
        unacked=unacked,
        pending_files=PhotoFile.objects.filter(state=PhotoFile.State.PENDING).count(),
        unfinished_photos=PhotoPipeline.objects.filter(
            state__in=(PhotoPipeline.State.PENDING, PhotoPipeline.State.PROCESSING)
        ).count(),
        pending_runs=pending_runs(),
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
