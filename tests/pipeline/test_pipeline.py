"""The whole pipeline on a real Redis and a real Celery worker process.

Photos are imported through the real scan → record_file → canvas path; the classifiers are the
small real ones in ``tests/fakes.py``, steered through marker files.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import Popen
from typing import Any

import pytest
import redis
from django.test import Client
from django.utils import timezone

from photonix.classifiers import registry
from photonix.classifiers.models import ClassifierSwitch, PhotoTag
from photonix.core.models import User
from photonix.library.browse.export import export_rows
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import Library, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.pipeline import services
from photonix.pipeline.models import Job, PhotoPipeline, PhotoStage
from photonix.pipeline.queues import QUEUE_NAMES
from photonix.storage.derived import thumbnail_path
from tests import fakes
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"
GOOD = ["jpeg-exif/Canon_40D.jpg", "gps/DSCN0010.jpg", "orientation/Landscape_6.jpg"]
TERMINAL = (PhotoPipeline.State.PROCESSED, PhotoPipeline.State.FAILED)


@pytest.fixture
def classifiers() -> Iterator[list[str]]:
    """The fake classifiers, in this process and (through the environment) in the worker."""
    names = ["Brightness", "Failing", "Flaky", "Slow"]
    instances = [getattr(fakes, name)() for name in names]
    for classifier in instances:
        registry.register(classifier)
    shutil.rmtree(fakes.marker_dir(), ignore_errors=True)
    yield [f"tests.fakes:{name}" for name in names]
    for classifier in instances:
        registry.unregister(classifier.name)


@pytest.fixture
def worker(
    clean_broker: str,
    process_env: dict[str, str],
    classifiers: list[str],
    spawn: Callable[..., Popen[bytes]],
) -> Callable[..., Popen[bytes]]:
    env = {**process_env, "PHOTONIX_EXTRA_CLASSIFIERS": ",".join(classifiers)}

    def start(concurrency: int = 2, queues: str | None = None, **extra: str) -> Popen[bytes]:
        only = ["--queues", queues] if queues else []
        return spawn("worker", "--concurrency", str(concurrency), *only, env={**env, **extra})

    return start


def switch(library_id: int, *, on: list[str]) -> None:
    for classifier in registry.all_classifiers():
        ClassifierSwitch.objects.update_or_create(
            library_id=library_id, name=classifier.name, defaults={"enabled": classifier.name in on}
        )


def import_files(
    tmp_path: Path, files: list[str], enabled: list[str]
) -> tuple[int, dict[str, int]]:
    """Copy fixtures into a new library and scan it; returns the library id and file ids."""
    root = tmp_path / "photos"
    root.mkdir(exist_ok=True)
    library, (folder,) = library_add("Pipeline", [str(root)], scan=False)
    switch(library.pk, on=enabled)
    for name in files:
        shutil.copy(FIXTURES / name, root / Path(name).name)
    folder_scan(folder)  # autocommit: recordings are sent at once
    ids = dict(PhotoFile.objects.values_list("path", "pk"))
    return library.pk, {Path(p).name: pk for p, pk in ids.items()}


def photo_of(file_id: int, timeout: float = 60) -> Photo:
    def recorded() -> Photo | None:
        file = PhotoFile.objects.filter(pk=file_id).first()
        return file.photo if file is not None and file.state == "ok" else None

    photo: Photo = wait_for(recorded, timeout, f"file {file_id} to be recorded")
    return photo


def settled(photo: Photo, timeout: float = 60) -> str:
    def state() -> str | None:
        pipeline = PhotoPipeline.objects.filter(pk=photo.pk).first()
        return pipeline.state if pipeline is not None and pipeline.state in TERMINAL else None

    result: str = wait_for(state, timeout, f"photo {photo.pk} to finish")
    return result


def jobs_of(photo: Photo, timeout: float = 60) -> dict[str, list[Job]]:
    """The photo's job records once none of them is queued, started or retrying.

    A job record is closed by its task's own success or failure signal, which the worker writes
    after the task's work (the photo's state included): a photo seen ``processed`` does not mean
    its last record is closed yet, so wait for the records themselves.
    """
    wait_for(
        lambda: not Job.objects.filter(photo=photo, state__in=Job.ACTIVE).exists(),
        timeout,
        f"the job records of photo {photo.pk} to close",
    )
    jobs: dict[str, list[Job]] = {}
    for job in Job.objects.filter(photo=photo).order_by("pk"):
        jobs.setdefault(job.stage, []).append(job)
    return jobs


def test_photos_go_through_every_stage_and_a_corrupt_one_fails_fast(
    tmp_path: Path, worker: Callable[..., Popen[bytes]]
) -> None:
    worker()
    # Two classifiers: the chord really joins a group, and its callback fires once.
    _, files = import_files(
        tmp_path,
        [*GOOD, "broken/truncated_jpeg.jpg"],
        enabled=["fake_brightness", "fake_failing"],  # no "fail" marker: it works
    )
    for name in GOOD:
        photo = photo_of(files[Path(name).name])
        assert settled(photo) == "processed", jobs_of(photo)
        stages = dict(PhotoStage.objects.filter(photo=photo).values_list("stage", "state"))
        assert stages == {
            "thumbnails": "done",
            "classify:fake_brightness": "done",
            "classify:fake_failing": "done",
        }
        photo.refresh_from_db()
        assert photo.placeholder and photo.thumbnail_version
        for size in ("grid", "preview"):
            assert thumbnail_path(photo.pk, size, photo.thumbnail_version).is_file()
        assert PhotoTag.objects.filter(photo=photo, source="fake_brightness").count() == 1
        jobs = jobs_of(photo)
        assert [j.state for j in jobs["thumbnails"]] == ["succeeded"]
        assert [j.state for j in jobs["classify:fake_brightness"]] == ["succeeded"]
        assert [j.state for j in jobs["classify:fake_failing"]] == ["succeeded"]
        assert [j.state for j in jobs["finish"]] == ["succeeded"], "the chord fires once"
        (finish,) = jobs["finish"]
        classifiers = (*jobs["classify:fake_brightness"], *jobs["classify:fake_failing"])
        started = [j.started_at for j in classifiers if j.started_at is not None]
        assert finish.started_at is not None and len(started) == 2
        assert finish.started_at >= max(started), "the join ran after both classifiers started"
        for job in (*jobs["thumbnails"], *jobs["finish"]):
            assert job.queued_at and job.started_at and job.finished_at
            assert job.queued_at <= job.started_at <= job.finished_at

    broken = photo_of(files["truncated_jpeg.jpg"])
    assert settled(broken) == "failed"
    (failure,) = Job.objects.filter(photo=broken, state="failed")
    assert failure.stage == "thumbnails"
    assert failure.attempts == 1, "a permanent error is not retried"
    assert "truncated" in failure.error.lower()
    assert "Traceback" in failure.traceback
    assert not Job.objects.filter(photo=broken, stage="finish").exists()

    rows = {Path(r["path"]).name: r for r in export_rows(Library.objects.get(name="Pipeline"))}
    assert rows["Canon_40D.jpg"]["state"] == "processed"
    assert rows["Canon_40D.jpg"]["failures"] == []
    assert {t["type"] for t in rows["Canon_40D.jpg"]["tags"]} == {"style", "object"}
    assert rows["truncated_jpeg.jpg"]["state"] == "failed"
    assert [f["stage"] for f in rows["truncated_jpeg.jpg"]["failures"]] == ["thumbnails"]


def test_a_failing_classifier_fails_alone_and_a_retry_succeeds_once_fixed(
    tmp_path: Path, worker: Callable[..., Popen[bytes]], admin_client: Client
) -> None:
    (fakes.marker_dir() / "fail").touch()
    worker()
    _, files = import_files(tmp_path, GOOD[:1], enabled=["fake_brightness", "fake_failing"])
    photo = photo_of(files[Path(GOOD[0]).name])
    assert settled(photo) == "failed"
    # The photo is marked failed as soon as one job fails; the other classifier runs on to its end.
    wait_for(
        lambda: (
            Job.objects.filter(photo=photo, stage="classify:fake_brightness")
            .exclude(state__in=Job.ACTIVE)
            .exists()
        ),
        60,
        "the other classifier to finish",
    )
    jobs = jobs_of(photo)
    assert [j.state for j in jobs["classify:fake_failing"]] == ["failed"]
    assert "fake classifier is broken" in jobs["classify:fake_failing"][0].error
    assert [j.state for j in jobs["classify:fake_brightness"]] == ["succeeded"]
    assert PhotoTag.objects.filter(photo=photo, source="fake_brightness").exists()

    (fakes.marker_dir() / "fail").unlink()
    failed = jobs["classify:fake_failing"][0]
    response = admin_client.post(f"/api/jobs/{failed.pk}/retry")
    assert response.status_code == 200, response.content
    wait_for(lambda: PhotoPipeline.objects.get(pk=photo.pk).state == "processed", 60, "the retry")
    assert PhotoTag.objects.filter(photo=photo, source="fake_failing", tag__name="fixed").exists()
    assert Job.objects.get(pk=failed.pk).acknowledged
    # Only the missing stage ran again: brightness was done and stays done once.
    assert len(jobs_of(photo)["classify:fake_brightness"]) == 1


def test_a_photo_that_succeeds_later_no_longer_lists_its_old_failure(
    tmp_path: Path, worker: Callable[..., Popen[bytes]], admin_client: Client
) -> None:
    """The cause of a failure is fixed and the photo processed again by "process missing" (not by
    retrying that job): the export and the jobs page stop listing the failure."""
    (fakes.marker_dir() / "fail").touch()
    worker()
    library_id, files = import_files(tmp_path, GOOD[:1], enabled=["fake_failing"])
    photo = photo_of(files[Path(GOOD[0]).name])
    assert settled(photo) == "failed"
    (failed,) = jobs_of(photo)["classify:fake_failing"]
    (row,) = export_rows(Library.objects.get(pk=library_id))
    assert row["failures"] == [{"stage": "classify:fake_failing", "error": failed.error}]

    (fakes.marker_dir() / "fail").unlink()
    assert services.process_missing(library_id) == 1
    wait_for(lambda: PhotoPipeline.objects.get(pk=photo.pk).state == "processed", 60, "success")
    jobs_of(photo)  # every record closed, the success's included
    (row,) = export_rows(Library.objects.get(pk=library_id))
    assert (row["state"], row["failures"]) == ("processed", [])
    assert Job.objects.get(pk=failed.pk).acknowledged
    listed = admin_client.get("/api/jobs", {"state": "failed"}).json()
    assert listed["count"] == 0, listed
    summary = admin_client.get("/api/jobs/summary").json()
    assert {s["stage"]: s["failed"] for s in summary["stages"]}["classify:fake_failing"] == 0


def test_transient_errors_are_retried_with_growing_delays(
    tmp_path: Path, worker: Callable[..., Popen[bytes]]
) -> None:
    worker()
    _, files = import_files(tmp_path, GOOD[:1], enabled=["fake_flaky"])
    photo = photo_of(files[Path(GOOD[0]).name])
    assert settled(photo, timeout=90) == "processed"
    (job,) = jobs_of(photo)["classify:fake_flaky"]
    assert job.state == "succeeded"
    assert job.attempts == 3
    (log,) = fakes.marker_dir().glob("flaky-*")
    times = [float(t) for t in log.read_text().split()]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) == 2
    assert gaps[0] >= 0.9, gaps  # first retry after 1–2 s
    assert gaps[1] >= gaps[0] * 0.9, gaps  # then 2–4 s: never shorter


def test_a_worker_killed_mid_task_loses_nothing(
    tmp_path: Path, worker: Callable[..., Popen[bytes]]
) -> None:
    (fakes.marker_dir() / "slow").touch()
    worker(concurrency=1)
    _, files = import_files(tmp_path, GOOD[:1], enabled=["fake_slow"])
    photo = photo_of(files[Path(GOOD[0]).name])
    started = wait_for(
        lambda: list(fakes.marker_dir().glob("slow-started-*")), 60, "the slow task to start"
    )
    child = int(started[0].name.rsplit("-", 1)[1])
    os.kill(child, signal.SIGKILL)  # the worker process running the task dies mid-task
    (fakes.marker_dir() / "slow").unlink()
    assert settled(photo, timeout=90) == "processed"
    assert PhotoTag.objects.filter(photo=photo, tag__name="slowpoke").exists()


def test_a_worker_killed_whole_gets_its_task_back_as_soon_as_it_restarts(
    tmp_path: Path, worker: Callable[..., Popen[bytes]], clean_broker: str
) -> None:
    """SIGKILL of the worker's main process and its pool at once (a crash, the OOM killer): its
    message stays unacknowledged, and the visibility timeout — an hour here — would be the only
    way back. The same worker, started again, finds it and runs the task within seconds."""
    (fakes.marker_dir() / "slow").touch()
    hour = {"PHOTONIX_VISIBILITY_TIMEOUT": "3600"}
    first = worker(concurrency=1, **hour)
    _, files = import_files(tmp_path, GOOD[:1], enabled=["fake_slow"])
    photo = photo_of(files[Path(GOOD[0]).name])
    wait_for(lambda: list(fakes.marker_dir().glob("slow-started-*")), 60, "the slow task to start")
    # While its worker lives and holds it, the message is nobody's to give back.
    assert services.restore_orphans() == 0
    os.killpg(first.pid, signal.SIGKILL)  # the worker's process group: main process and pool
    first.wait()
    (fakes.marker_dir() / "slow").unlink()
    assert redis.Redis.from_url(clean_broker).hlen("unacked") == 1

    worker(concurrency=1, **hour)
    assert settled(photo, timeout=90) == "processed"
    assert PhotoTag.objects.filter(photo=photo, tag__name="slowpoke").exists()
    assert [j.state for j in jobs_of(photo)["classify:fake_slow"]] == ["succeeded"]


def test_a_worker_in_a_warm_shutdown_keeps_the_task_it_finishes(
    tmp_path: Path, worker: Callable[..., Popen[bytes]], clean_broker: str
) -> None:
    """SIGTERM: the worker consumes nothing more and answers no broadcast while its running task
    finishes, for as long as the hard time limit. Its message is still its own: nobody gives it
    back to the queue meanwhile."""
    from photonix.core.worker_state import reported_workers

    (fakes.marker_dir() / "slow").touch()
    first = worker(concurrency=1)
    _, files = import_files(tmp_path, GOOD[:1], enabled=["fake_slow"])
    photo = photo_of(files[Path(GOOD[0]).name])
    wait_for(lambda: list(fakes.marker_dir().glob("slow-started-*")), 60, "the slow task to start")
    first.send_signal(signal.SIGTERM)  # the main process: a warm shutdown
    wait_for(
        lambda: [r for r in reported_workers().values() if r.stopping], 30, "it to say it stops"
    )
    assert services.restore_orphans() == 0
    assert redis.Redis.from_url(clean_broker).hlen("unacked") == 1
    (fakes.marker_dir() / "slow").unlink()
    assert first.wait(timeout=60) == 0
    assert reported_workers() == {}, "gone once its last task has finished"
    slow = Job.objects.get(photo=photo, stage="classify:fake_slow")
    assert slow.state == Job.State.SUCCEEDED
    assert len(list(fakes.marker_dir().glob("slow-started-*"))) == 1, "it ran once"


@pytest.fixture
def orphan(clean_broker: str) -> Iterator[Callable[..., str]]:
    """Send a task and take its message as a worker would, never to acknowledge it: the worker
    died (its connection is left open; closing it would give the message back). Returns the
    message's delivery tag."""
    from photonix.celery import app

    connections: list[Any] = []

    def take(task: str, *args: Any) -> str:
        app.send_task(task, args=args)
        client = redis.Redis.from_url(clean_broker)
        try:
            keys: list[bytes] = client.keys("*")  # type: ignore[assignment]
            (queue,) = [k.decode() for k in keys if client.type(k) == b"list"]
        finally:
            client.close()
        connection = app.connection_for_write()
        connections.append(connection)
        channel: Any = connection.default_channel  # kombu's Redis channel
        message = channel.basic_get(queue, no_ack=False)
        assert message is not None
        return str(message.delivery_tag)

    yield take
    for connection in connections:
        connection.release()


@pytest.mark.django_db
def test_one_restore_of_orphans_at_a_time(clean_broker: str, orphan: Callable[..., str]) -> None:
    """A search for lost messages that finds another under way does nothing: two overlapping
    ones could give back a message the first gave back and a live worker took again."""
    tag = orphan("photonix.library.scan_folder", 123456)
    client = redis.Redis.from_url(clean_broker)
    client.set(services.RESTORE_LOCK_KEY, "another search", ex=60)
    assert services.restore_orphans() == 0
    assert client.hkeys("unacked") == [tag.encode()]
    client.delete(services.RESTORE_LOCK_KEY)
    assert services.restore_orphans() == 1, "no worker runs: nobody holds it"
    assert client.hlen("unacked") == 0 and client.llen("import") == 1
    assert not client.exists(services.RESTORE_LOCK_KEY), "released"
    client.close()


@pytest.mark.django_db
def test_restore_orphans_leaves_a_message_delivered_again_since_it_looked(
    clean_broker: str, orphan: Callable[..., str]
) -> None:
    """A message keeps its delivery tag when it is delivered again: one looked at before a
    worker took it again is its now, and is left alone."""
    from photonix.celery import app

    tag = orphan("photonix.library.scan_folder", 123456)
    client = redis.Redis.from_url(clean_broker)
    looked = services.delivered_messages(client)
    assert list(looked) == [tag]
    assert services.restore_unchanged(looked) == [tag]
    live = app.connection_for_write()  # a live worker takes it again
    channel: Any = live.default_channel
    again = channel.basic_get("import", no_ack=False)
    assert again is not None and str(again.delivery_tag) == tag
    assert services.restore_unchanged(looked) == [], "the worker holds it now"
    assert client.hkeys("unacked") == [tag.encode()] and client.llen("import") == 0
    assert services.restore_unchanged(services.delivered_messages(client)) == [tag]
    live.release()
    client.close()


class MovingTask:
    """Stand-in for a worker's answers to ``inspect``: its countdown task is scheduled when the
    first question is answered, and running from then on. (A real worker cannot be stopped
    between two answers.)"""

    def __init__(self, task_id: str) -> None:
        self.task_id = task_id
        self.state = "scheduled"

    def _answer(self, state: str) -> dict[str, list[dict[str, Any]]]:
        held = self.state == state
        self.state = "active"
        if not held:
            return {"B": []}
        if state == "scheduled":
            return {"B": [{"eta": None, "priority": 0, "request": {"id": self.task_id}}]}
        return {"B": [{"id": self.task_id}]}

    def scheduled(self) -> dict[str, list[dict[str, Any]]]:
        return self._answer("scheduled")

    def reserved(self) -> dict[str, list[dict[str, Any]]]:
        return self._answer("reserved")

    def active(self) -> dict[str, list[dict[str, Any]]]:
        return self._answer("active")


@pytest.mark.django_db
def test_restore_orphans_sees_a_task_that_starts_while_the_workers_are_asked(
    clean_broker: str, orphan: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from photonix.celery import app
    from photonix.core.worker_state import worker_report

    orphan("photonix.library.scan_folder", 123456)
    client = redis.Redis.from_url(clean_broker)
    (payload,) = client.hvals("unacked")
    task_id = json.loads(payload)[0]["headers"]["id"]
    worker_report(client, "B", ["import"])  # worker B runs, and holds the task
    monkeypatch.setattr(app.control, "inspect", lambda timeout: MovingTask(task_id))
    assert services.restore_orphans() == 0
    assert client.hlen("unacked") == 1 and client.llen("import") == 0
    client.close()


def test_disabled_classifiers_are_left_out_and_nothing_waits(
    tmp_path: Path, worker: Callable[..., Popen[bytes]]
) -> None:
    (fakes.marker_dir() / "fail").touch()
    (fakes.marker_dir() / "slow").touch()
    worker()
    _, files = import_files(tmp_path, GOOD[:2], enabled=[])
    for name in GOOD[:2]:
        photo = photo_of(files[Path(name).name])
        assert settled(photo) == "processed"
        assert set(jobs_of(photo)) == {"thumbnails", "finish"}


def classify_waiting(broker: str, count: int) -> bool:
    return int(redis.Redis.from_url(broker).llen("classify")) >= count


def test_workers_of_split_queues_finish_every_photo(
    tmp_path: Path, worker: Callable[..., Popen[bytes]], clean_broker: str
) -> None:
    """Workers as a distributed install runs them: one on ``import``, one on ``media`` and one on
    ``classify,faces``; nobody consumes ``default``. Every photo still finishes, and while the
    classifiers have no worker the health check names the queue that waits."""
    from photonix.core.health import check_reported_workers, check_workers

    worker(concurrency=1, queues="import")
    worker(concurrency=1, queues="media")
    enabled = ["fake_brightness", "fake_failing"]
    _, files = import_files(tmp_path, GOOD, enabled=enabled)
    photos = [photo_of(files[Path(name).name]) for name in GOOD]
    wait_for(lambda: classify_waiting(clean_broker, 2 * len(GOOD)), 60, "the classifier jobs")
    health = wait_for(
        lambda: (c := check_workers(timeout=1.0))["detail"].count("answering") and c, 30, "health"
    )
    assert not health["ok"]
    assert "queue 'classify' has 6 waiting and no worker consumes it" in health["detail"]
    # What the web endpoint reads instead of asking: each worker's own report says the same.
    reported = check_reported_workers()
    assert not reported["ok"]
    assert reported["detail"] == health["detail"]
    # Paused by a person (the mark alone: a resume would add the queue to these workers), the
    # same queue is named but no longer fails the check.
    from photonix.core.queues import PAUSED_KEY

    redis.Redis.from_url(clean_broker).sadd(PAUSED_KEY, "classify")
    try:
        health = check_workers(timeout=1.0)
    finally:
        redis.Redis.from_url(clean_broker).srem(PAUSED_KEY, "classify")
    assert health["ok"], health
    assert "queue 'classify' has 6 waiting and no worker consumes it (paused)" in health["detail"]

    worker(concurrency=1, queues="classify,faces")
    for photo in photos:
        assert settled(photo) == "processed", jobs_of(photo)
        jobs = jobs_of(photo)
        assert [j.state for j in jobs["finish"]] == ["succeeded"], "the chord fires once"
        assert set(jobs) == {"thumbnails", *(f"classify:{n}" for n in enabled), "finish"}
    assert PhotoTag.objects.filter(source__in=enabled).count() == 2 * len(GOOD)
    health = wait_for(lambda: (c := check_workers(timeout=1.0))["ok"] and c, 30, "health")
    assert health["detail"].startswith("3 answering"), health
    assert check_reported_workers()["detail"] == health["detail"]


def test_a_classifier_switched_off_while_its_canvas_is_in_flight(
    tmp_path: Path, worker: Callable[..., Popen[bytes]], clean_broker: str
) -> None:
    """Brightness is switched off while its job waits, Slow while its job runs: both jobs end
    cleanly, store nothing, and the photo ends processed without them."""
    worker(concurrency=2, queues="import,media")
    (fakes.marker_dir() / "slow").touch()
    library_id, files = import_files(tmp_path, GOOD[:1], enabled=["fake_brightness", "fake_slow"])
    photo = photo_of(files[Path(GOOD[0]).name])
    wait_for(lambda: classify_waiting(clean_broker, 2), 60, "the classifier jobs to wait")
    ClassifierSwitch.objects.filter(library_id=library_id, name="fake_brightness").update(
        enabled=False
    )
    worker(concurrency=2, queues="classify,faces")
    wait_for(lambda: list(fakes.marker_dir().glob("slow-started-*")), 60, "Slow to start")
    ClassifierSwitch.objects.filter(library_id=library_id, name="fake_slow").update(enabled=False)
    (fakes.marker_dir() / "slow").unlink()

    assert settled(photo) == "processed", jobs_of(photo)
    jobs = jobs_of(photo)
    for stage in ("classify:fake_brightness", "classify:fake_slow", "finish"):
        assert [j.state for j in jobs[stage]] == ["succeeded"], (stage, jobs)
    stages = dict(PhotoStage.objects.filter(photo=photo).values_list("stage", "state"))
    assert stages == {"thumbnails": "done"}
    assert not PhotoTag.objects.filter(photo=photo).exists()
    assert PhotoPipeline.objects.get(pk=photo.pk).state == "processed"


def test_lost_queue_is_reconciled(
    tmp_path: Path,
    worker: Callable[..., Popen[bytes]],
    clean_broker: str,
) -> None:
    import datetime as dt

    library_id, files = import_files(tmp_path, GOOD[:2], enabled=["fake_brightness"])
    # No worker yet: the recordings wait in the broker. Then the broker loses them.
    client = redis.Redis.from_url(clean_broker)
    assert client.llen("import") == 2
    for queue in QUEUE_NAMES:
        client.delete(queue)
    assert services.reconcile(dt.timedelta(minutes=5)) == {
        "photos": 0,
        "files": 0,
        "jobs_lost": 0,
        "runs": 0,
    }
    # Once they are older than the limit, the reconciliation sends them again.
    assert services.reconcile(dt.timedelta(0))["files"] == 2
    assert Job.objects.filter(state="revoked", error__startswith="lost").count() == 2
    worker()
    for name in GOOD[:2]:
        assert settled(photo_of(files[Path(name).name])) == "processed"
    # And a photo whose canvas was lost half-way is found through its pipeline state.
    photo = Photo.objects.filter(library_id=library_id).first()
    assert photo is not None
    PhotoStage.objects.filter(photo=photo, stage="classify:fake_brightness").delete()
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    PhotoPipeline.objects.filter(pk=photo.pk).update(state="processing", touched_at=hour_ago)
    # This time as beat runs it: a task on the worker, whose own message is unacknowledged
    # while it runs (it must not take itself for work in the broker).
    from photonix.celery import app

    result = app.send_task("photonix.pipeline.reconcile")
    assert result.get(timeout=60) == {"photos": 1, "files": 0, "jobs_lost": 0, "runs": 0}
    assert settled(photo) == "processed"
    assert PhotoStage.objects.filter(photo=photo, stage="classify:fake_brightness").exists()
    assert not Job.objects.filter(name="photonix.pipeline.reconcile").exists()


@pytest.fixture
def admin_client(client: Client, transactional_db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", password="x" * 16))
    return client
