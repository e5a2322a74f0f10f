"""Celery tasks of browsing and curating (queue ``import``, with the library's housekeeping)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from celery import shared_task
from django.conf import settings

from photonix.library.browse import curation
from photonix.pipeline.base import PhotonixTask


class TrashTask(PhotonixTask):
    stage = "trash"


@shared_task(base=TrashTask, name="photonix.library.empty_trash")
def empty_trash() -> dict[str, Any]:
    """Daily: delete the photos that have been in the trash for more than the trash days."""
    return asdict(curation.trash_expired(settings.PHOTONIX_TRASH_DAYS))
