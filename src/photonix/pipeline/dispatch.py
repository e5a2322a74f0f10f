"""The pipeline's answers to what the domain asks for (:mod:`photonix.core.work`).

Connected in :class:`photonix.pipeline.apps.PipelineConfig.ready`. Import tasks live above the
pipeline (``photonix.library.importing.tasks``), so they are sent by name, routed by
:mod:`photonix.pipeline.queues` like every other task.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from photonix.core import work
from photonix.pipeline import services
from photonix.pipeline.debounce import FACES_RECLUSTER


def _on_files_to_record(file_ids: list[int], **_: Any) -> None:
    transaction.on_commit(lambda: services.send_record(file_ids))


def _on_folders_to_scan(folder_ids: list[int], **_: Any) -> None:
    transaction.on_commit(lambda: services.send_scan(folder_ids))


def _on_photo_to_process(photo_id: int, force_stages: list[str], **_: Any) -> None:
    services.photo_dispatch(photo_id, force_stages=force_stages)


def _on_photos_to_process(photo_ids: list[int], force_stages: list[str], **_: Any) -> None:
    transaction.on_commit(lambda: services.photos_dispatch(photo_ids, force_stages=force_stages))


def _on_library_to_process(library_id: int, **_: Any) -> None:
    transaction.on_commit(lambda: services.process_missing(library_id))


def _on_library_to_recluster(library_id: int, **_: Any) -> None:
    # Coalesced: an import's photos make one re-clustering once their faces settle.
    transaction.on_commit(lambda: FACES_RECLUSTER.request(library_id))


def _on_models_to_download(names: list[str], **_: Any) -> None:
    transaction.on_commit(lambda: services.download_models(names))


def _on_edits_to_write(photo_ids: list[int], **_: Any) -> None:
    transaction.on_commit(lambda: services.send_write_edits(photo_ids))


def connect() -> None:
    work.files_to_record.connect(_on_files_to_record, dispatch_uid="pipeline-record")
    work.folders_to_scan.connect(_on_folders_to_scan, dispatch_uid="pipeline-scan")
    work.photo_to_process.connect(_on_photo_to_process, dispatch_uid="pipeline-photo")
    work.photos_to_process.connect(_on_photos_to_process, dispatch_uid="pipeline-photos")
    work.library_to_process.connect(_on_library_to_process, dispatch_uid="pipeline-library")
    work.library_to_recluster.connect(_on_library_to_recluster, dispatch_uid="pipeline-recluster")
    work.models_to_download.connect(_on_models_to_download, dispatch_uid="pipeline-models")
    work.edits_to_write.connect(_on_edits_to_write, dispatch_uid="pipeline-edits")
