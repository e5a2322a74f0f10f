"""The tasks of a photo's canvas, and the pipeline's periodic safety net.

Thin and idempotent: each loads the photo by id, calls a service, records the stage as done at
its version. Running one twice gives the same result.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from photonix.classifiers import registry
from photonix.classifiers.models import disabled_for
from photonix.library.models import Photo
from photonix.pipeline import canvas, stages
from photonix.pipeline.base import PermanentError, PhotonixTask
from photonix.pipeline.models import Job, PhotoPipeline, PhotoStage
from photonix.pipeline.services import photo_dispatch
from photonix.pipeline.services import reconcile as reconcile_lost
from photonix.pipeline.services import restore_orphans as restore_orphaned_messages
from photonix.storage.derived import photo_derived_delete

logger = logging.getLogger(__name__)

#: What a stage returns when its photo was deleted before or while it ran.
PHOTO_DELETED = "photo deleted"


class MediaTask(PhotonixTask):
    """A stage of a photo's canvas. A photo deleted while its stage waits or runs (its trash
    emptied) ends the task quietly: whatever the stage wrote for it is deleted, nothing fails
    and nothing brings the photo back."""

    takes_photo = True

    def attempt(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().attempt(*args, **kwargs)
        except Exception:
            photo_id = self.photo_id_for(args, kwargs)
            if photo_id is None or Photo.objects.filter(pk=photo_id).exists():
                raise
            photo_derived_delete([photo_id])  # thumbnails written after the photo went
            logger.info("photo %s was deleted: its %s stage has nothing to do", photo_id, self.name)
            return PHOTO_DELETED


class DevelopTask(MediaTask):
    stage = canvas.DEVELOP


class ThumbnailTask(MediaTask):
    stage = canvas.THUMBNAILS


class ClassifyTask(MediaTask):
    stage = "classify"

    def stage_for(self, args: Sequence[Any], kwargs: dict[str, Any]) -> str:
        name = kwargs.get("name", args[1] if len(args) > 1 else "")
        return f"{canvas.CLASSIFY_PREFIX}{name}"


class FinishTask(MediaTask):
    stage = "finish"


def _photo(photo_id: int) -> Photo:
    photo = Photo.objects.select_related("preferred_file").filter(pk=photo_id).first()
    if photo is None or photo.preferred_file is None:
        raise PermanentError(f"photo {photo_id} no longer exists")
    return photo


def stage_done(photo: Photo, stage: str, version: int) -> None:
    PhotoStage.objects.update_or_create(
        photo=photo,
        stage=stage,
        defaults={"version": version, "state": PhotoStage.State.DONE, "error": ""},
    )


@shared_task(base=DevelopTask, name="photonix.media.develop_raw")
def develop_raw(photo_id: int) -> str:
    photo = _photo(photo_id)
    method = stages.develop_raw(photo)
    stage_done(photo, canvas.DEVELOP, stages.RAW_DEVELOP_VERSION)
    return method


@shared_task(base=ThumbnailTask, name="photonix.media.make_thumbnails")
def make_thumbnails(photo_id: int) -> dict[str, Any]:
    photo = _photo(photo_id)
    result = stages.make_thumbnails(photo)
    stage_done(photo, canvas.THUMBNAILS, stages.THUMBNAILER_VERSION)
    return result


def _enabled(photo: Photo, name: str) -> bool:
    return name not in disabled_for(photo.library_id)


@shared_task(base=ClassifyTask, name="photonix.classify.run")
def classify(photo_id: int, name: str) -> int:
    """Run one classifier; a classifier switched off since the canvas was built is skipped.

    The switch is read when the task starts and again before its tags are stored, so turning a
    classifier off while its task waits or runs stores nothing and leaves no stage behind; the
    photo's ``finish_photo`` no longer requires it, and the photo ends processed.
    """
    photo = _photo(photo_id)
    try:
        classifier = registry.get(name)
    except LookupError as exc:
        raise PermanentError(str(exc)) from exc
    if not _enabled(photo, name):
        logger.info("classifier %s was switched off for this library: skipped", name)
        return 0
    count = stages.classify(photo, classifier, still_wanted=lambda: _enabled(photo, name))
    if count < 0:
        logger.info("classifier %s was switched off while it ran: nothing stored", name)
        return 0
    stage_done(photo, canvas.CLASSIFY_PREFIX + name, classifier.version)
    return count


@shared_task(base=FinishTask, name="photonix.pipeline.finish_photo")
def finish_photo(photo_id: int, scope: str | None = None) -> str:
    """Close a photo's canvas: processed when nothing is missing any more.

    ``scope`` is set when only one stage was asked for ("process missing" of a stage): stages
    outside it that are still missing are left for later, and the photo stays ``pending``.
    """
    photo = _photo(photo_id)
    missing = canvas.missing_stages(photo)
    now = timezone.now()
    if not missing:
        PhotoPipeline.objects.filter(pk=photo.pk).update(
            state=PhotoPipeline.State.PROCESSED, processed_at=now, touched_at=now
        )
        return "processed"
    if not any(canvas.in_scope(stage, scope) for stage in missing):
        PhotoPipeline.objects.filter(pk=photo.pk).update(
            state=PhotoPipeline.State.PENDING, touched_at=now
        )
        return "pending: " + ", ".join(missing)
    # The required stages changed while the canvas ran (a classifier was switched on).
    photo_dispatch(photo.pk, scope=scope)
    return "dispatched again: " + ", ".join(missing)


class HousekeepingTask(PhotonixTask):
    """A periodic task of beat's: it keeps no job records, so an idle installation writes
    nothing (the jobs page shows the work they start, not the check itself)."""

    records_jobs = False


@shared_task(base=HousekeepingTask, bind=True, name="photonix.pipeline.reconcile")
def reconcile(self: HousekeepingTask) -> dict[str, int]:
    # First the messages of dead workers (it logs what it gives back), then the lost ones.
    restore_orphaned_messages(exclude={str(self.request.id)})
    return reconcile_lost(dt.timedelta(minutes=settings.PHOTONIX_RECONCILE_AFTER_MINUTES))


@shared_task(base=HousekeepingTask, bind=True, name="photonix.pipeline.restore_orphans")
def restore_orphans(self: HousekeepingTask) -> int:
    """Sent by every worker as it starts (see ``signals``): a worker that comes back after its
    main process was killed gets the messages it held back in seconds."""
    return restore_orphaned_messages(exclude={str(self.request.id)})


@shared_task(base=HousekeepingTask, name="photonix.pipeline.prune_jobs")
def prune_jobs() -> int:
    """Forget succeeded job records after a week, dismissed failures after a month."""
    now = timezone.now()
    done, _ = Job.objects.filter(
        state=Job.State.SUCCEEDED, finished_at__lt=now - dt.timedelta(days=7)
    ).delete()
    dismissed, _ = Job.objects.filter(
        acknowledged=True, finished_at__lt=now - dt.timedelta(days=30)
    ).delete()
    return done + dismissed


@shared_task(base=HousekeepingTask, name="photonix.classify.download_models")
def download_models(names: list[str]) -> list[str]:
    """Download (resuming) and verify catalogue models or packs, then give every library's
    photos what they now miss (smart search turned on: each photo's embedding)."""
    from photonix.classifiers import store
    from photonix.pipeline.services import process_missing

    model_store = store.default_store()
    packs = store.packs()
    done = []
    for name in names:
        try:
            if name in packs:
                store.pack_ensure(model_store, packs[name])
            else:
                store.model_path(name)
        except store.ModelUnavailable as exc:
            raise PermanentError(str(exc)) from exc
        done.append(name)
    process_missing()
    return done
