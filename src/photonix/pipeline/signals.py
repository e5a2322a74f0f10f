"""Celery signal handlers: job records, log context, paused queues, and a starting worker's
look for messages a dead worker left unacknowledged.

The job records the jobs page shows are written here and only here, from Celery's own signals
(published, started, retried, succeeded, failed, revoked). A failure to write a record is logged
and never breaks the task it describes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import Token
from typing import Any

from celery import Task
from celery.signals import (
    before_task_publish,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_revoked,
    task_success,
    worker_ready,
)
from django.db import close_old_connections
from django.utils import timezone

from photonix.celery import app
from photonix.core.broker_client import paused_queues
from photonix.library.models import Photo
from photonix.logconfig import photo_id_var, task_id_var
from photonix.pipeline import canvas
from photonix.pipeline.base import BROKER_ERRORS, BrokerUnavailableError, PhotonixTask
from photonix.pipeline.models import Job, PhotoPipeline
from photonix.pipeline.services import pipeline_changed

logger = logging.getLogger(__name__)

_tokens: dict[str, tuple[Token[str | None], Token[int | None]]] = {}
# A task that "failed" with one of these could not talk to the broker (to queue its retry or the
# next step of its canvas): its work is lost, not wrong, and the reconciliation sends it again.
BROKER_LOST: tuple[type[Exception], ...] = (BrokerUnavailableError, *BROKER_ERRORS)
ERROR_LIMIT = 2000
FINISH_TASK = "photonix.pipeline.finish_photo"
#: The stages that make a photo's image: when one fails for good, the photo is marked failed
#: (``Photo.failure``) until its thumbnails are made.
IMAGE_STAGES = (canvas.DEVELOP, canvas.THUMBNAILS)
TRACEBACK_LIMIT = 20000


def _safely(func: Callable[..., None]) -> Callable[..., None]:
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except Exception:
            logger.exception("job signal handler %s failed", func.__name__)

    wrapper.__name__ = func.__name__
    return wrapper


def _pipeline_task(name: str | None) -> Any:
    """The registered task object, when it is one of ours that keeps job records (beat's
    housekeeping, ``records_jobs = False``, keeps none)."""
    task = app.tasks.get(name or "")
    return task if isinstance(task, PhotonixTask) and task.records_jobs else None


@before_task_publish.connect
@_safely
def _job_published(
    sender: str | None = None,
    headers: dict[str, Any] | None = None,
    body: Any = None,
    **_: Any,
) -> None:
    headers = headers or {}
    task = _pipeline_task(headers.get("task") or sender)
    if task is None:
        return
    _pipeline_changed()
    args, kwargs = (
        (body[0], body[1]) if isinstance(body, list | tuple) and len(body) >= 2 else ((), {})
    )
    photo_id = task.photo_id_for(args, kwargs)
    retries = int(headers.get("retries") or 0)
    library_id = (
        Photo.objects.filter(pk=photo_id).values_list("library_id", flat=True).first()
        if photo_id is not None
        else None
    )
    if photo_id is not None and library_id is None:
        photo_id = None  # the photo was deleted meanwhile
    Job.objects.update_or_create(
        task_id=headers["id"],
        defaults={
            "name": task.name,
            "stage": task.stage_for(args, kwargs),
            "photo_id": photo_id,
            "library_id": library_id,
            "state": Job.State.RETRYING if retries else Job.State.QUEUED,
            "args": list(args),
            "kwargs": dict(kwargs),
            "queued_at": timezone.now(),
        },
    )


@_safely
def _pipeline_changed() -> None:
    pipeline_changed()


@task_prerun.connect
def _task_started(
    task_id: str, task: Task[Any, Any] | None = None, args: Any = None, kwargs: Any = None, **_: Any
) -> None:
    photo_id = (kwargs or {}).get("photo_id")
    ours = _pipeline_task(getattr(task, "name", None))
    if photo_id is None and ours is not None:
        photo_id = ours.photo_id_for(args or (), kwargs or {})
    _tokens[task_id] = (
        task_id_var.set(task_id),
        photo_id_var.set(photo_id if isinstance(photo_id, int) else None),
    )
    if ours is not None:
        _record_start(task_id, ours, photo_id)


@_safely
def _record_start(task_id: str, task: Any, photo_id: int | None) -> None:
    close_old_connections()
    now = timezone.now()
    attempts = int(getattr(task.request, "retries", 0) or 0) + 1
    updated = Job.objects.filter(task_id=task_id).update(
        state=Job.State.STARTED, started_at=now, attempts=attempts
    )
    if not updated:  # published by a process that could not write (or before records existed)
        Job.objects.get_or_create(
            task_id=task_id,
            defaults={
                "name": task.name,
                "stage": task.stage,
                "photo_id": photo_id,
                "state": Job.State.STARTED,
                "started_at": now,
                "attempts": attempts,
            },
        )
    if photo_id is not None:
        PhotoPipeline.objects.filter(pk=photo_id).update(touched_at=now)


@task_postrun.connect
def _task_finished(task_id: str, **_: Any) -> None:
    tokens = _tokens.pop(task_id, None)
    if tokens is not None:
        task_id_var.reset(tokens[0])
        photo_id_var.reset(tokens[1])


@task_retry.connect
@_safely
def _job_retrying(request: Any = None, reason: Any = None, **_: Any) -> None:
    if request is None or _pipeline_task(getattr(request, "task", None)) is None:
        return
    Job.objects.filter(task_id=request.id).update(
        state=Job.State.RETRYING, error=f"will retry: {reason}"[:ERROR_LIMIT]
    )


@task_success.connect
@_safely
def _job_succeeded(sender: Task[Any, Any] | None = None, result: Any = None, **_: Any) -> None:
    task = None if sender is None else _pipeline_task(sender.name)
    if sender is None or task is None:
        return
    Job.objects.filter(task_id=sender.request.id).update(
        state=Job.State.SUCCEEDED, finished_at=timezone.now(), error="", traceback=""
    )
    _failures_resolved(task, sender.request, result)


def _failures_resolved(task: PhotonixTask, request: Any, result: Any) -> None:
    """A photo's stage that succeeds resolves the failures it had before (the same stage, an
    older attempt: a disk that was full, a file since replaced); a photo that ends processed
    resolves them all. They are marked acknowledged, as a retry marks the failure it retries, so
    the jobs page and ``photonix export`` stop listing a failure that no longer holds."""
    args, kwargs = tuple(request.args or ()), dict(request.kwargs or {})
    photo_id = task.photo_id_for(args, kwargs)
    if photo_id is None:
        return
    stale = Job.objects.filter(
        state=Job.State.FAILED, acknowledged=False, photo_id=photo_id
    ).exclude(task_id=request.id)
    if not (task.name == FINISH_TASK and result == PhotoPipeline.State.PROCESSED):
        stale = stale.filter(stage=task.stage_for(args, kwargs))
    stale.update(acknowledged=True)


@task_failure.connect
@_safely
def _job_failed(
    task_id: str | None = None,
    exception: BaseException | None = None,
    einfo: Any = None,
    sender: Task[Any, Any] | None = None,
    **_: Any,
) -> None:
    if sender is None or _pipeline_task(sender.name) is None or task_id is None:
        return
    message = f"{type(exception).__name__}: {exception}" if exception else "failed"
    job = Job.objects.filter(task_id=task_id).first()
    if isinstance(exception, BROKER_LOST):
        # Lost with the broker, not failed: the photo stays unfinished for the reconciliation.
        Job.objects.filter(task_id=task_id).update(
            state=Job.State.REVOKED,
            finished_at=timezone.now(),
            error=f"lost: {message}"[:ERROR_LIMIT],
        )
        logger.warning("%s lost with the broker: %s", sender.name, message)
        return
    Job.objects.filter(task_id=task_id).update(
        state=Job.State.FAILED,
        finished_at=timezone.now(),
        error=message[:ERROR_LIMIT],
        traceback=str(getattr(einfo, "traceback", "") or "")[-TRACEBACK_LIMIT:],
        acknowledged=False,
    )
    if job is not None and job.photo_id is not None:
        PhotoPipeline.objects.filter(pk=job.photo_id).update(
            state=PhotoPipeline.State.FAILED, touched_at=timezone.now()
        )
        if job.stage in IMAGE_STAGES:
            # The photo has no image to show: it says why wherever it appears.
            reason = str(exception) if exception is not None else ""
            Photo.objects.filter(pk=job.photo_id).update(failure=(reason or message)[:ERROR_LIMIT])
    logger.error("%s failed: %s", sender.name, message)


@task_revoked.connect
@_safely
def _job_revoked(
    request: Any = None, terminated: bool = False, expired: bool = False, **_: Any
) -> None:
    if request is None:
        return
    why = "expired" if expired else "terminated" if terminated else "revoked"
    Job.objects.filter(task_id=request.id).update(
        state=Job.State.REVOKED, finished_at=timezone.now(), error=why
    )


@worker_ready.connect
@_safely
def _restore_orphans(sender: Any = None, **_: Any) -> None:
    """A worker restarting after its main process was killed comes back under the same name:
    the messages its old self held are found and given back now (see
    ``services.restore_orphans``). Those of a dead worker of another name are found by the
    reconciliation once its report has expired."""
    app.send_task("photonix.pipeline.restore_orphans")


@worker_ready.connect
@_safely
def _apply_paused_queues(sender: Any = None, **_: Any) -> None:
    """A worker that (re)starts must not consume a queue a person paused."""
    for queue in paused_queues():
        if sender is not None:
            sender.app.control.cancel_consumer(queue, destination=[sender.hostname])
        logger.info("queue %s is paused; this worker leaves it alone", queue)
