"""Celery tasks of a person's edits (queue ``import``, beside the files). Thin: load by id,
call a service."""

from __future__ import annotations

import threading

from celery import shared_task
from celery.signals import worker_process_shutdown

from photonix.library.browse import edits
from photonix.media.exiftool import ExifTool
from photonix.pipeline.base import PhotonixTask


class EditsTask(PhotonixTask):
    stage = "edits"


_exiftool: ExifTool | None = None
_exiftool_lock = threading.Lock()


def exiftool() -> ExifTool:
    """One stay-open exiftool per worker process for writing, started on first use."""
    global _exiftool  # noqa: PLW0603 - a per-process resource
    with _exiftool_lock:
        if _exiftool is None:
            _exiftool = ExifTool()
        return _exiftool


@worker_process_shutdown.connect
def _close_exiftool(**_: object) -> None:
    if _exiftool is not None:
        _exiftool.close()


@shared_task(base=EditsTask, name="photonix.library.write_edits")
def write_edits(photo_id: int) -> str:
    """Write a photo's edits to its sidecars; returns what went wrong ("" when nothing did)."""
    return edits.photo_write_edits(photo_id, exiftool())
