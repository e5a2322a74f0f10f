"""Celery tasks of browsing and curating: a person's edits written beside the files, and the
trash's daily clean-up (queue ``import``, with the library's housekeeping). Thin: load by id,
call a service."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from celery import shared_task
from django.conf import settings

from photonix.library.browse import curation, edits
from photonix.media import exiftool
from photonix.pipeline.base import PhotonixTask


class TrashTask(PhotonixTask):
    stage = "trash"


class EditsTask(PhotonixTask):
    stage = "edits"


@shared_task(base=TrashTask, name="photonix.library.empty_trash")
def empty_trash() -> dict[str, Any]:
    """Daily: delete the photos that have been in the trash for more than the trash days."""
    return asdict(curation.trash_expired(settings.PHOTONIX_TRASH_DAYS))


@shared_task(base=EditsTask, name="photonix.library.write_edits")
def write_edits(photo_id: int) -> str:
    """Write a photo's edits to its sidecars; returns what went wrong ("" when nothing did).
    Uses the worker's one exiftool (closed at shutdown by the import tasks)."""
    return edits.photo_write_edits(photo_id, exiftool.shared())
