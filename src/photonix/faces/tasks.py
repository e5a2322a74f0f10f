"""Grouping a library's faces into people, on the ``faces`` queue.

A photo that stores faces asks for its library to be re-clustered (``core.work``); the pipeline
coalesces those requests (:data:`photonix.pipeline.debounce.FACES_RECLUSTER`): the timer
:func:`recluster_soon` waits until the library's faces have stopped changing for
``PHOTONIX_FACES_GROUP_DELAY`` seconds, then sends one :func:`recluster_library`. Beat's
:func:`recluster` stays as the safety net for libraries marked dirty and not re-clustered since.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from photonix.pipeline.base import PhotonixTask
from photonix.pipeline.debounce import FACES_RECLUSTER

logger = logging.getLogger(__name__)

#: The attribute of a re-clustering's request holding the request counter it read at its start.
SEEN_ATTRIBUTE = "photonix_recluster_seen"


class FacesTask(PhotonixTask):
    stage = "faces_recluster"


class ReclusterTask(FacesTask):
    """A library's re-clustering, and the coalesced request it covers.

    Before anything is read the run notes which request it covers (later faces ask again);
    once it is done the request is settled. It is settled as well when the run fails for good,
    so ``photonix wait`` does not wait for it forever (the periodic run tries the library
    again); requests that came while it ran are not: they get a run of their own either way.
    """

    def attempt(self, library_id: int) -> Any:
        seen = FACES_RECLUSTER.seen(library_id)
        setattr(self.request, SEEN_ATTRIBUTE, seen)  # for on_failure
        result = super().attempt(library_id)
        FACES_RECLUSTER.settle(library_id, seen)
        return result

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        library_id = kwargs.get("library_id", args[0] if args else None)
        if not isinstance(library_id, int):
            return
        from photonix.faces import services

        # What the failed attempt read before it started (None: it read nothing, or covered no
        # request — then the field stays, and the reconciliation sends it again).
        seen = getattr(self.request, SEEN_ATTRIBUTE, None)
        try:
            FACES_RECLUSTER.settle(library_id, seen)
            services.library_mark_dirty(library_id)
        except Exception:  # the broker is gone too: the reconciliation sends it again
            logger.exception("could not hand library %s to the periodic re-clustering", library_id)


@shared_task(base=FacesTask, name="photonix.faces.recluster", records_jobs=False)
def recluster() -> dict[str, dict[str, int]]:
    """Re-cluster the libraries whose faces changed since the last run (none: no query at all)."""
    from photonix.faces import services

    results: dict[str, dict[str, int]] = {}
    for library_id in services.dirty_libraries_take():
        results[str(library_id)] = services.library_recluster(library_id)
    return results


@shared_task(base=FacesTask, name="photonix.faces.recluster_soon", records_jobs=False)
def recluster_soon(library_id: int) -> str:
    """The timer of a requested re-clustering: wait for the library's faces to settle, then
    send the re-clustering. Keeps no job record: the re-clustering it sends keeps one."""
    wait = FACES_RECLUSTER.due(library_id, lambda: recluster_library.delay(library_id))
    if wait is None:
        return "nothing pending"
    if wait > 0:
        FACES_RECLUSTER.send_timer(library_id, wait)
        return f"faces still changing: again in {wait:.1f}s"
    return "sent"


@shared_task(base=ReclusterTask, name="photonix.faces.recluster_library")
def recluster_library(library_id: int) -> dict[str, int]:
    """Group the library's faces into people now (the request it covers: ``ReclusterTask``)."""
    from photonix.faces import services

    services.library_unmark_dirty(library_id)
    return services.library_recluster(library_id)
