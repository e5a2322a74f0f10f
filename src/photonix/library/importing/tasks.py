"""Celery tasks of the import stage (queue ``import``). Thin: load by id, call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.utils import timezone

from photonix.library.importing import recording, scanning, uploads
from photonix.library.models import LibraryFolder
from photonix.media import exiftool as exiftool_process
from photonix.media.exiftool import ExifTool
from photonix.pipeline.base import PhotonixTask

logger = logging.getLogger(__name__)

# Files missing for longer than this are forgotten (a move arrives well within it).
MISSING_GRACE_SECONDS = 24 * 3600


class ScanTask(PhotonixTask):
    stage = "scan"


class RecordTask(PhotonixTask):
    stage = "import"


def exiftool() -> ExifTool:
    """The worker process's stay-open exiftool (one for recording and writing edits alike)."""
    return exiftool_process.shared()


@worker_process_shutdown.connect
def _close_exiftool(**_: object) -> None:
    exiftool_process.shared().close()


@shared_task(base=ScanTask, name="photonix.library.scan_folder")
def scan_folder(folder_id: int) -> dict[str, object]:
    folder = LibraryFolder.objects.filter(pk=folder_id).first()
    if folder is None:
        return {"skipped": "folder no longer exists"}
    LibraryFolder.objects.filter(pk=folder_id).update(last_scan_started_at=timezone.now())
    try:
        stats = scanning.folder_scan(folder)
    except scanning.FolderUnavailableError as exc:
        LibraryFolder.objects.filter(pk=folder_id).update(
            last_scan_finished_at=timezone.now(), last_scan_error=str(exc)
        )
        logger.warning("%s", exc)
        return {"error": str(exc)}
    except Exception as exc:
        # Whatever stopped the scan is shown on the folder, then the task fails (and its job).
        LibraryFolder.objects.filter(pk=folder_id).update(
            last_scan_finished_at=timezone.now(),
            last_scan_error=scanning.storable_path(f"scan failed: {exc}"),
        )
        raise
    result = stats.as_dict()
    LibraryFolder.objects.filter(pk=folder_id).update(
        last_scan_finished_at=timezone.now(), last_scan_stats=result, last_scan_error=""
    )
    logger.info("scanned %s: %s", folder.path, {k: v for k, v in result.items() if k != "errors"})
    return result


@shared_task(base=RecordTask, name="photonix.library.record_file")
def record_file(file_id: int) -> str | None:
    file = recording.file_record(file_id, exiftool())
    return None if file is None else file.state


@shared_task(base=ScanTask, name="photonix.library.rescan_all")
def rescan_all() -> int:
    """Periodic safety net: rescan every folder (catches what the watcher could not see)."""
    ids = list(LibraryFolder.objects.values_list("pk", flat=True))
    for folder_id in ids:
        scan_folder.delay(folder_id)
    return len(ids)


@shared_task(base=ScanTask, name="photonix.library.purge_missing")
def purge_missing() -> int:
    return recording.files_purge_missing(MISSING_GRACE_SECONDS)


@shared_task(base=ScanTask, name="photonix.library.expire_uploads")
def expire_uploads() -> int:
    """Periodic: delete incomplete uploads past their expiry, with their partial files."""
    return uploads.uploads_expire()
