"""Pipeline actions: dispatch a photo's canvas, retry, reprocess, pause, reconcile.

Every way work enters the pipeline goes through :func:`photo_dispatch`, which asks
:mod:`photonix.pipeline.canvas` what the photo is missing and sends exactly that, after the
current transaction commits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import redis
from django.db import transaction
from django.utils import timezone

from photonix.celery import app
from photonix.core.broker_client import broker_outstanding, broker_redis
from photonix.core.errors import PhotonixError
from photonix.core.queues import PAUSED_KEY, QUEUE_NAMES
from photonix.core.worker_state import reported_workers
from photonix.library.models import Photo, PhotoFile
from photonix.pipeline import canvas, debounce
from photonix.pipeline.models import Job, PhotoPipeline, PhotoStage
from photonix.pipeline.progress import is_housekeeping, unacked_work

logger = logging.getLogger(__name__)


RECORD_FILE = "photonix.library.record_file"
SCAN_FOLDER = "photonix.library.scan_folder"
WRITE_EDITS = "photonix.library.write_edits"


DOWNLOAD_MODELS = "photonix.classify.download_models"


def download_models(names: list[str]) -> None:
    """Send the task that downloads and verifies ``names`` (then processes what is missing)."""
    app.signature(DOWNLOAD_MODELS, args=(names,)).apply_async()


def _send(name: str, ids: Iterable[int]) -> None:
    for pk in ids:
        app.signature(name, args=(pk,)).apply_async()


def send_record(file_ids: Iterable[int]) -> None:
    """Send a ``record_file`` task for each file, now (import tasks are sent by name)."""
    _send(RECORD_FILE, file_ids)


def send_scan(folder_ids: Iterable[int]) -> None:
    """Send a ``scan_folder`` task for each folder, now."""
    _send(SCAN_FOLDER, folder_ids)


def send_write_edits(photo_ids: Iterable[int]) -> None:
    """Send a ``write_edits`` task for each photo, now (a person's edits to its sidecars)."""
    _send(WRITE_EDITS, photo_ids)


def photo_dispatch(
    photo_id: int, *, force_stages: Iterable[str] = (), scope: str | None = None
) -> list[str]:
    """Send the canvas of what ``photo_id`` is missing (plus ``force_stages``, redone anyway).

    With ``scope`` (a stage, or ``classify`` for every classifier) only the missing stages of
    that scope are sent. Returns the stages sent; an empty list with nothing missing at all
    means the photo is complete and is marked processed.
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
    if scope is not None and not any(canvas.in_scope(stage, scope) for stage in stages):
        return []  # nothing of this stage is missing: the photo is left as it is
    pipeline, _ = PhotoPipeline.objects.get_or_create(photo=photo, defaults={"touched_at": now})
    if not stages:
        PhotoPipeline.objects.filter(pk=photo.pk).update(
            state=PhotoPipeline.State.PROCESSED, processed_at=now, touched_at=now
        )
        return []
    if scope is not None:
        stages = [stage for stage in stages if canvas.in_scope(stage, scope)]
    PhotoPipeline.objects.filter(pk=photo.pk).update(
        state=PhotoPipeline.State.PROCESSING, touched_at=now, dispatches=pipeline.dispatches + 1
    )
    signature = canvas.build_canvas(photo.pk, stages, scope)
    transaction.on_commit(signature.apply_async)
    return stages


def photos_dispatch(
    photo_ids: Iterable[int], *, force_stages: Iterable[str] = (), scope: str | None = None
) -> int:
    count = 0
    forced = list(force_stages)
    for photo_id in photo_ids:
        with transaction.atomic():
            if photo_dispatch(photo_id, force_stages=forced, scope=scope):
                count += 1
    return count


class UnknownStageError(PhotonixError, ValueError):
    """A stage name nobody can process (a typo, or a classifier that is not installed)."""

    field = "stage"


def process_missing(library_id: int | None = None, stage: str | None = None) -> int:
    """Dispatch what photos (of a library, or all) miss: of ``stage`` only, or of every stage.

    ``stage`` is ``develop_raw``, ``thumbnails``, ``classify`` (every classifier) or
    ``classify:<name>``. Every photo is looked at, processed ones included: a stage whose
    version was raised is missing from them too, and nothing is sent for a photo that misses
    nothing of the stage. Returns how many photos were sent.
    """
    if stage is not None and not canvas.known_scope(stage):
        raise UnknownStageError(
            f"unknown stage {stage!r}: choose develop_raw, thumbnails, classify or "
            "classify:<classifier name>"
        )
    photos = Photo.objects.all()
    if library_id is not None:
        photos = photos.filter(library_id=library_id)
    return photos_dispatch(
        photos.order_by("pk").values_list("pk", flat=True).iterator(), scope=stage
    )


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
            file_id = int(job.args[0])
            PhotoFile.objects.filter(pk=file_id).update(
                state=PhotoFile.State.PENDING, pending_since=timezone.now(), error=""
            )
            transaction.on_commit(lambda: send_record([file_id]))
            return ["import"]
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
    return broker_redis()


def queue_pause(queue: str) -> None:
    """Workers stop taking work from ``queue`` (running tasks finish); kept across restarts."""
    if queue not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {queue!r}")
    client = _redis()
    try:
        client.sadd(PAUSED_KEY, queue)
    finally:
        client.close()
    app.control.cancel_consumer(queue)


def queue_resume(queue: str) -> None:
    if queue not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {queue!r}")
    client = _redis()
    try:
        client.srem(PAUSED_KEY, queue)
    finally:
        client.close()
    app.control.add_consumer(queue)


# -- the safety net ------------------------------------------------------------------------------
#: Set by a reconciliation that found nothing unfinished, to the broker's ``run_id``; removed by
#: every job a photo or file publishes (``signals._job_published``). While it holds and the broker
#: has not restarted, nothing can have been lost since, and the reconciliation asks the database
#: nothing. It expires after ``CLEAN_TTL`` seconds: at worst one query an hour when idle.
CLEAN_KEY = "photonix:pipeline-clean"
CLEAN_TTL = 3600
_shared_client: redis.Redis | None = None


def _shared_redis() -> redis.Redis:
    """One client (and connection pool) per process, for the call made on every publish."""
    global _shared_client  # noqa: PLW0603 - a per-process cache
    if _shared_client is None:
        _shared_client = _redis()
    return _shared_client


def pipeline_changed() -> None:
    """Work entered the pipeline: the next reconciliation must look at the database."""
    _shared_redis().delete(CLEAN_KEY)


def _mark_clean_unless_changed(client: redis.Redis, token: str, run_id: str) -> None:
    """Replace our ``token`` by the clean mark, unless a publish removed it meanwhile."""
    with client.pipeline() as pipe:
        try:
            pipe.watch(CLEAN_KEY)  # type: ignore[no-untyped-call]
            if pipe.get(CLEAN_KEY) != token.encode():
                return
            pipe.multi()
            pipe.set(CLEAN_KEY, run_id, ex=CLEAN_TTL)
            pipe.execute()
        except redis.WatchError:
            return  # something was published while we looked: look again next time


def _unfinished(limit: int) -> list[tuple[int, int, dt.datetime | None]]:
    """Every unfinished photo, file and job record, in one indexed query: (kind, id, since)."""
    from django.db.models import IntegerField, Value

    photos = (
        PhotoPipeline.objects.filter(
            state__in=(PhotoPipeline.State.PENDING, PhotoPipeline.State.PROCESSING)
        )
        .annotate(row_kind=Value(PHOTO, IntegerField()))
        .values_list("row_kind", "photo_id", "touched_at")
    )
    files = (
        PhotoFile.objects.filter(state=PhotoFile.State.PENDING)
        .annotate(row_kind=Value(FILE, IntegerField()))
        .values_list("row_kind", "pk", "pending_since")
    )
    jobs = (
        Job.objects.filter(state__in=Job.ACTIVE)
        .annotate(row_kind=Value(JOB, IntegerField()))
        .values_list("row_kind", "pk", "queued_at")
    )
    return list(photos.union(files, jobs, all=True)[:limit])


PHOTO, FILE, JOB = 1, 2, 3

#: kombu's Redis transport: every message delivered and not yet acknowledged, by delivery tag,
#: and when each was delivered (a message delivered again keeps its tag, with a new time).
UNACKED_KEY = "unacked"
UNACKED_INDEX_KEY = "unacked_index"
#: Held by the one search for lost messages that may run at a time (see :func:`restore_orphans`).
RESTORE_LOCK_KEY = "photonix:restore-orphans"
RESTORE_LOCK_TTL = 60

# Put message ARGV[1] back, unless it was acknowledged or delivered again (another time in the
# index) since it was looked at: remove it from the unacked set, push ARGV[3] on queues KEYS[3:].
_RESTORE_UNCHANGED = """
local delivered = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not delivered or tonumber(delivered) ~= tonumber(ARGV[2]) then return 0 end
if not redis.call('HGET', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
for i = 3, #KEYS do redis.call('RPUSH', KEYS[i], ARGV[3]) end
return 1
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _task_of(payload: bytes) -> tuple[str, str] | None:
    """The id and name of the task of an unacked entry, or None when it is not ours to read."""
    try:
        headers = json.loads(payload)[0]["headers"]
        return str(headers["id"]), str(headers.get("task", ""))
    except (ValueError, TypeError, IndexError, KeyError):
        return None


def _restorable(name: str) -> bool:
    """Work, and the timers of coalesced runs; not beat's housekeeping (a worker that dies
    running it loses nothing beat does not send again), so an idle installation asks nothing."""
    return not is_housekeeping(name) or name in {d.timer for d in debounce.DEBOUNCES}


def _held_task_ids(
    replies: Iterable[Mapping[str, Sequence[Mapping[str, object]]] | None],
) -> tuple[set[str], set[str]]:
    """From inspect replies (scheduled, reserved, active): the task ids held, and the workers
    that answered every one of the questions."""
    held: set[str] = set()
    answered: set[str] | None = None
    for reply in replies:
        workers = reply or {}
        answered = set(workers) if answered is None else answered & set(workers)
        for requests in workers.values():
            for request in requests or ():
                inner = request.get("request", request)  # scheduled ones wrap the request
                if isinstance(inner, dict) and inner.get("id"):
                    held.add(str(inner["id"]))
    return held, answered or set()


def delivered_messages(client: redis.Redis) -> dict[str, tuple[float, bytes]]:
    """Every unacknowledged message, by delivery tag: when it was delivered, and the entry."""
    with client.pipeline(transaction=True) as pipe:
        pipe.hgetall(UNACKED_KEY)
        pipe.zrange(UNACKED_INDEX_KEY, 0, -1, withscores=True)
        entries, index = pipe.execute()
    times = {tag.decode(): float(score) for tag, score in index}
    return {
        tag.decode(): (times[tag.decode()], payload)
        for tag, payload in entries.items()
        if tag.decode() in times
    }


def restore_unchanged(messages: Mapping[str, tuple[float, bytes]]) -> list[str]:
    """Put each message (tag: delivery time, entry) back on its queue, in one atomic step each,
    unless it was acknowledged or delivered again since its delivery time was read: a message
    delivered again keeps its tag, and a worker may hold it now. Returns the tags put back."""
    restored = []
    with app.connection_for_write() as connection:
        channel: Any = connection.default_channel  # kombu's Redis channel
        client = channel.client
        for tag, (delivered, payload) in messages.items():
            message, exchange, routing_key = json.loads(payload)
            with contextlib.suppress(KeyError, TypeError):
                message["headers"]["redelivered"] = True
                message["properties"]["delivery_info"]["redelivered"] = True
            priority = channel._get_message_priority(message, reverse=False)
            queues = [
                channel._q_for_pri(queue, priority)
                for queue in channel._lookup(exchange, routing_key)
            ]
            keys = [UNACKED_INDEX_KEY, UNACKED_KEY, *queues]
            if client.eval(
                _RESTORE_UNCHANGED, len(keys), *keys, tag, repr(delivered), json.dumps(message)
            ):
                restored.append(tag)
    return restored


def restore_orphans(exclude: Collection[str] = (), inspect_timeout: float = 1.0) -> int:
    """Put back in their queues the messages a dead worker had taken and not acknowledged.

    With ``acks_late`` a worker's main process acknowledges a message when its task ends. If
    that process is killed (SIGKILL, the OOM killer, a power cut of its host), its messages stay
    in the broker's ``unacked`` set until the visibility timeout (``PHOTONIX_VISIBILITY_TIMEOUT``,
    15 minutes) sends them back. This gives them back at once: the workers that report
    themselves (:mod:`photonix.core.worker_state`) are asked what they hold — scheduled, reserved
    and running tasks, in the order a task moves through them, so one that moves meanwhile is
    still seen — and a message none of them holds has no owner left. Nothing is done while a
    reporting worker does not answer: it may be busy, or in a warm shutdown (it answers nothing
    then, but still runs its last tasks), and hold them. ``exclude`` names task ids to leave
    alone (the caller's own); beat's housekeeping is left alone too, so an idle installation
    asks the workers nothing. Returns how many messages were put back.

    Only messages that were in ``unacked`` before the workers were asked are considered: a
    worker writes a message there in the same step that makes it hold the task, so a message it
    holds cannot be missing from its answer. One search runs at a time (a lock in the broker,
    expiring after ``RESTORE_LOCK_TTL`` seconds; a search that finds it held does nothing), and
    a message is put back only if it was not delivered again since it was looked at: a worker
    may have taken it again meanwhile. A task killed mid-way runs again from its start (tasks
    are idempotent); its job record shows it queued until a worker takes it.
    """
    client = broker_redis()
    token = uuid.uuid4().hex
    try:
        if not client.set(RESTORE_LOCK_KEY, token, nx=True, ex=RESTORE_LOCK_TTL):
            logger.info("not looking for lost messages now: another search is under way")
            return 0
        try:
            return _restore_orphans(client, exclude, inspect_timeout)
        finally:
            client.eval(_RELEASE, 1, RESTORE_LOCK_KEY, token)
    finally:
        client.close()


def _restore_orphans(client: redis.Redis, exclude: Collection[str], inspect_timeout: float) -> int:
    candidates: dict[str, tuple[float, bytes]] = {}
    task_ids: dict[str, str] = {}
    for tag, (delivered, payload) in delivered_messages(client).items():
        task = _task_of(payload)
        if task is None or task[0] in exclude or not _restorable(task[1]):
            continue
        candidates[tag] = (delivered, payload)
        task_ids[tag] = task[0]
    if not candidates:
        return 0  # idle: no question asked of the workers
    expected = set(reported_workers())
    inspect = app.control.inspect(timeout=inspect_timeout)
    # A task moves from scheduled to reserved to running: asked in that order, none is missed.
    held, answered = _held_task_ids([inspect.scheduled(), inspect.reserved(), inspect.active()])
    if expected - answered:
        logger.info(
            "not looking for lost messages now: %s did not answer",
            ", ".join(sorted(expected - answered)),
        )
        return 0
    orphans = {tag: m for tag, m in candidates.items() if task_ids[tag] not in held}
    if not orphans:
        return 0
    restored = [task_ids[tag] for tag in restore_unchanged(orphans)]
    if not restored:
        return 0
    Job.objects.filter(task_id__in=restored, state=Job.State.STARTED).update(
        state=Job.State.QUEUED, queued_at=timezone.now()
    )
    logger.warning(
        "gave %d messages of a worker that died back to their queues: %s",
        len(restored),
        ", ".join(sorted(restored)),
    )
    return len(restored)


def reconcile(stale_after: dt.timedelta, limit: int = 5000) -> dict[str, int]:
    """Re-dispatch work the broker lost. Runs from Celery beat; a safety net, not a scheduler.

    Only when the broker holds no work at all (nothing queued, nothing running) can an
    unfinished photo have lost its messages — a broker restarted without persistence, a queue
    purged by hand. Then photos still ``pending``/``processing`` and files still ``pending``,
    untouched for ``stale_after``, are dispatched again (tasks are idempotent), job records
    still marked queued or running are closed as lost, and coalesced runs
    (:mod:`photonix.pipeline.debounce`) not requested for ``stale_after`` get their timer again.

    Cheap when idle: with work in the broker it asks only the broker; otherwise one indexed
    query, and none at all while the clean mark (``CLEAN_KEY``) holds. Nothing is written
    when nothing is found.

    Closing lost job records here is the one write to job records outside the signal
    handlers, and it has to be: a record is closed by the signal of its task's next event, and
    the task of a message the broker lost has no next event — no worker will ever receive it.
    """
    nothing = {"photos": 0, "files": 0, "jobs_lost": 0, "runs": 0}
    queued, unacked = broker_outstanding()
    # Its own message is unacknowledged while it runs: housekeeping is not counted as work.
    if sum(queued.values()) or (unacked and unacked_work()):
        return nothing
    # Coalesced runs (a library's re-clustering) not requested for as long: their timer or run
    # was lost with the queue. Asked of the broker only, so it does not spoil the clean mark.
    runs = debounce.rearm_stale(stale_after.total_seconds())
    if runs:
        logger.warning("reconciliation: sent %d coalesced runs again (the broker lost them)", runs)
    nothing["runs"] = runs
    client = _redis()
    try:
        run_id = str(client.info("server").get("run_id", ""))
        if client.get(CLEAN_KEY) == run_id.encode():
            return nothing
        token = f"checking:{run_id}:{timezone.now().timestamp()}"
        client.set(CLEAN_KEY, token, ex=CLEAN_TTL)
        rows = _unfinished(3 * limit)
        if not rows:
            _mark_clean_unless_changed(client, token, run_id)
            return nothing
    finally:
        client.close()
    cutoff = timezone.now() - stale_after
    stale: dict[int, list[int]] = {PHOTO: [], FILE: [], JOB: []}
    for kind, pk, since in rows:
        if since is None or since < cutoff:
            stale[kind].append(pk)
    photo_ids, file_ids = stale[PHOTO][:limit], stale[FILE][:limit]
    lost = 0
    if stale[JOB]:
        lost = Job.objects.filter(pk__in=stale[JOB], state__in=Job.ACTIVE).update(
            state=Job.State.REVOKED,
            error="lost: the broker no longer held this job; it was dispatched again",
            finished_at=timezone.now(),
        )
    dispatched = photos_dispatch(photo_ids) if photo_ids else 0
    if file_ids:
        PhotoFile.objects.filter(pk__in=file_ids).update(pending_since=timezone.now())
        send_record(file_ids)
    if dispatched or file_ids:
        logger.warning(
            "reconciliation: dispatched %d photos and %d files again (the broker had lost them)",
            dispatched,
            len(file_ids),
        )
    return {"photos": dispatched, "files": len(file_ids), "jobs_lost": lost, "runs": runs}
