"""Periodic re-clustering of faces (Celery beat), on the ``faces`` queue."""

from __future__ import annotations

import logging

from celery import shared_task

from photonix.pipeline.base import PhotonixTask

logger = logging.getLogger(__name__)


class FacesTask(PhotonixTask):
    stage = "faces_recluster"


@shared_task(base=FacesTask, name="photonix.faces.recluster", records_jobs=False)
def recluster() -> dict[str, dict[str, int]]:
    """Re-cluster the libraries whose faces changed since the last run (none: no query at all)."""
    from photonix.faces import services

    results: dict[str, dict[str, int]] = {}
    for library_id in services.dirty_libraries_take():
        results[str(library_id)] = services.library_recluster(library_id)
    return results


@shared_task(base=FacesTask, name="photonix.faces.recluster_library")
def recluster_library(library_id: int) -> dict[str, int]:
    from photonix.faces import services

    return services.library_recluster(library_id)
