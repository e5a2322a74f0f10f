"""Pipeline actions: dispatch a photo's canvas, retry, reprocess, pause, reconcile.

Every way work enters the pipeline goes through :func:`photo_dispatch`, which asks
:mod:`photonix.pipeline.canvas` what the photo is missing and sends exactly that, after the
current transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from photonix.core.health import redis_client_url
from photonix.library.models import Photo, PhotoFile
from photonix.pipeline import canvas
from photonix.pipeline.models import Job, PhotoPipeline, PhotoStage
from photonix.pipeline.queues import QUEUE_NAMES

logger = logging.getLogger(__name__)

PAUSED_KEY = "photonix:paused-queues"


def photo_dispatch(photo_id: int, *, force_stages: Iterable[str] = ()) -> list[str]:
    """Send the canvas of what ``photo_id`` is missing (plus ``force_stages``, redone anyway).

    Returns the stages sent; an empty list means the photo is complete and is marked processed.
    """
    photo = Photo.objects.select_related("preferred_file").filter(pk=photo_id).first()
    if photo is None or photo.preferred_file is None:
        return []
    forced = set(force_stages)
    if "*" in forced:
        PhotoStage.objects.filter(photo=photo).delete()
    elif forced:
        PhotoStage.objects.filter(photo=photo, stage__in=forced).delete()
    stages = canvas.missing_stages(photo)
    now = timezone.now()
    pipeline, _ = PhotoPipeline.objects.get_or_create(photo=photo, defaults={"touched_at": now})
    if not stages:
        PhotoPipeline.objects.filter(pk=photo.pk).update(
            state=PhotoPipeline.State.PROCESSED, processed_at=now, touched_at=now
        )
        return []
    PhotoPipeline.objects.filter(pk=photo.pk).update(
        state=PhotoPipeline.State.PROCESSING, touched_at=now, dispatches=pipeline.dispatches + 1
    )
    signature = canvas.build_canvas(photo.pk, stages)
    transaction.on_commit(signature.apply_async)
    return stages


def photos_dispatch(photo_ids: Iterable[int], *, force_stages: Iterable[str] = ()) -> int:
    count = 0
    forced = list(force_stages)
    for photo_id in photo_ids:
        with transaction.atomic():
            if photo_dispatch(photo_id, force_stages=forced):
                count += 1
    return count


def process_missing(library_id: int | None = None) -> int:
    """Dispatch every photo (of a library, or all) that misses a stage.

    Every photo is looked at, processed ones included: a stage whose version was raised is
    missing from them too, and ``photo_dispatch`` sends nothing for a complete photo.
    """
    photos = Photo.objects.all()
    if library_id is not None:
        photos = photos.filter(library_id=library_id)
    return photos_dispatch(photos.order_by("pk").values_list("pk", flat=True).iterator())


def reprocess(stage: str | None = None, library_id: int | None = None) -> int:
    """Redo ``stage`` (or every stage) for every photo of a library (or all)."""
    photos = Photo.objects.all()
    if library_id is not None:
        photos = photos.filter(library_id=library_id)
    ids = list(photos.values_list("pk", flat=True))
    if stage is None:
        PhotoStage.objects.filter(photo__in=photos).delete()
        return photos_dispatch(ids)
    return photos_dispatch(ids, force_stages=[stage])


def job_retry(job: Job) -> list[str]:
    """Retry a failed job: its photo's missing stages are dispatched again."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(acknowledged=True)
        if job.photo_id is not None:
            return photo_dispatch(job.photo_id)
        if job.name == "photonix.library.record_file" and job.args:
            from photonix.library.tasks import enqueue_record

            file_id = int(job.args[0])
            PhotoFile.objects.filter(pk=file_id).update(
                state=PhotoFile.State.PENDING, pending_since=timezone.now(), error=""
            )
            transaction.on_commit(lambda: enqueue_record([file_id]))
            return ["import"]
        from photonix.celery import app

        name, args, kwargs = job.name, list(job.args), dict(job.kwargs)
        transaction.on_commit(lambda: app.send_task(name, args=args, kwargs=kwargs))
        return [job.stage]


def jobs_retry_failed(stage: str | None = None) -> int:
    failed = Job.objects.filter(state=Job.State.FAILED, acknowledged=False)
    if stage:
        failed = failed.filter(stage=stage)
    count = 0
    photos_seen: set[int] = set()
    for job in failed.order_by("pk").iterator():
        if job.photo_id is not None and job.photo_id in photos_seen:
            Job.objects.filter(pk=job.pk).update(acknowledged=True)
            continue
        if job.photo_id is not None:
            photos_seen.add(job.photo_id)
        job_retry(job)
        count += 1
    return count


def jobs_dismiss(job_ids: Iterable[int] | None = None, stage: str | None = None) -> int:
    jobs = Job.objects.filter(state=Job.State.FAILED, acknowledged=False)
    if job_ids is not None:
        jobs = jobs.filter(pk__in=list(job_ids))
    if stage:
        jobs = jobs.filter(stage=stage)
    return jobs.update(acknowledged=True)


# -- pausing queues ------------------------------------------------------------------------------
def _redis() -> redis.Redis:
    return redis.Redis.from_url(redis_client_url(settings.CELERY_BROKER_URL), socket_timeout=5)


def paused_queues() -> set[str]:
    client = _redis()
    try:
        return {q.decode() for q in client.smembers(PAUSED_KEY)}  # type: ignore[union-attr]
    finally:
        client.close()


def queue_pause(queue: str) -> None:
    """Workers stop taking work from ``queue`` (running tasks finish); kept across restarts."""
    from photonix.celery import app

    if queue not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {queue!r}")
    client = _redis()
    try:
        client.sadd(PAUSED_KEY, queue)
    finally:
        client.close()
    app.control.cancel_consumer(queue)


def queue_resume(queue: str) -> None:
    from photonix.celery import app

    if queue not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {queue!r}")
    client = _redis()
    try:
        client.srem(PAUSED_KEY, queue)
    finally:
        client.close()
    app.control.add_consumer(queue)


# -- the safety net ------------------------------------------------------------------------------
def reconcile(stale_after: dt.timedelta) -> dict[str, int]:
    """Re-dispatch work the broker lost. Runs from Celery beat; a safety net, not a scheduler.

    Only when the broker holds no work at all (nothing queued, nothing running) can an
    unfinished photo have lost its messages — a broker restarted without persistence, a queue
    purged by hand. Then photos still ``pending``/``processing`` and files still ``pending``,
    untouched for ``stale_after``, are dispatched again (tasks are idempotent), and job records
    still marked queued or running are closed as lost.
    """
    from photonix.library.tasks import enqueue_record
    from photonix.pipeline.progress import broker_outstanding

    queued, unacked = broker_outstanding()
    if sum(queued.values()) + unacked:
        return {"photos": 0, "files": 0, "jobs_lost": 0}
    cutoff = timezone.now() - stale_after
    photo_ids = list(
        PhotoPipeline.objects.filter(
            state__in=(PhotoPipeline.State.PENDING, PhotoPipeline.State.PROCESSING),
            touched_at__lt=cutoff,
        ).values_list("photo_id", flat=True)[:5000]
    )
    file_ids = list(
        PhotoFile.objects.filter(
            state=PhotoFile.State.PENDING, pending_since__lt=cutoff
        ).values_list("pk", flat=True)[:5000]
    )
    lost = Job.objects.filter(state__in=Job.ACTIVE, queued_at__lt=cutoff).update(
        state=Job.State.REVOKED,
        error="lost: the broker no longer held this job; it was dispatched again",
        finished_at=timezone.now(),
    )
    dispatched = photos_dispatch(photo_ids)
    if file_ids:
        PhotoFile.objects.filter(pk__in=file_ids).update(pending_since=timezone.now())
        enqueue_record(file_ids)
    if dispatched or file_ids:
        logger.warning(
            "reconciliation: dispatched %d photos and %d files again (the broker had lost them)",
            dispatched,
            len(file_ids),
        )
    return {"photos": dispatched, "files": len(file_ids), "jobs_lost": lost}
