"""The pipeline under trouble: a paused queue, a broker restarted without persistence, and (on
PostgreSQL) a database that refuses connections for a few seconds. Every photo still ends
processed or visibly failed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import Popen

import kombu.pools
import psycopg
import pytest
import redis
from django.db import connection
from django.utils import timezone

from photonix.classifiers import registry
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import Photo, PhotoFile
from photonix.library.services import library_add
from photonix.pipeline import services
from photonix.pipeline.models import Job, PhotoPipeline
from tests import fakes
from tests.pipeline.test_pipeline import FIXTURES
from tests.waiting import wait_for

pytestmark = pytest.mark.integration
PHOTOS = [
    "jpeg-exif/Canon_40D.jpg",
    "jpeg-exif/Nikon_D70.jpg",
    "jpeg-exif/Pentax_K10D.jpg",
    "gps/DSCN0010.jpg",
    "gps/DSCN0012.jpg",
    "gps/DSCN0021.jpg",
]


@pytest.fixture
def brightness() -> Iterator[None]:
    classifier = fakes.Brightness()
    registry.register(classifier)
    yield
    registry.unregister(classifier.name)


def _import(tmp_path: Path) -> list[int]:
    root = tmp_path / "photos"
    root.mkdir()
    _, (folder,) = library_add("Trouble", [str(root)], scan=False)
    for name in PHOTOS:
        shutil.copy(FIXTURES / name, root / Path(name).name)
    folder_scan(folder)
    return list(PhotoFile.objects.values_list("pk", flat=True))


def _all_settled() -> bool:
    files = PhotoFile.objects.all()
    if files.exclude(state__in=("ok", "failed")).exists():
        return False
    photos = Photo.objects.count()
    finished = PhotoPipeline.objects.filter(state__in=("processed", "failed")).count()
    return photos == len(PHOTOS) and finished == photos


def _worker_env(process_env: dict[str, str], **extra: str) -> dict[str, str]:
    return {**process_env, "PHOTONIX_EXTRA_CLASSIFIERS": "tests.fakes:Brightness", **extra}


def test_a_paused_queue_waits_and_resumes(
    tmp_path: Path,
    clean_broker: str,
    process_env: dict[str, str],
    brightness: None,
    spawn: Callable[..., Popen[bytes]],
) -> None:
    spawn("worker", "--concurrency", "2", env=_worker_env(process_env))
    from photonix.core.health import check_workers

    wait_for(lambda: check_workers(timeout=1.0)["ok"], 60, "the worker")
    services.queue_pause("media")
    try:
        _import(tmp_path)
        wait_for(lambda: PhotoFile.objects.filter(state="ok").count() == len(PHOTOS), 60, "import")
        time.sleep(2)  # a chance for a worker that ignores the pause to take something
        assert not Job.objects.filter(stage="thumbnails").exclude(state="queued").exists()
        assert redis.Redis.from_url(clean_broker).llen("media") == len(PHOTOS)
    finally:
        resumed_at = timezone.now()
        services.queue_resume("media")
    wait_for(_all_settled, 90, "every photo to finish after resuming")
    assert PhotoPipeline.objects.filter(state="processed").count() == len(PHOTOS)
    # However long the pause lasted, nothing on the paused queue started before the resume.
    early = Job.objects.filter(stage="thumbnails", started_at__lt=resumed_at)
    assert not early.exists(), list(early.values_list("photo_id", "started_at"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_server(port: int, workdir: Path) -> Popen[bytes]:
    proc = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    wait_for(lambda: _pings(client), 10, "redis-server to start")
    return proc


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def _use_broker(url: str) -> None:
    """Point this process's Celery app at another broker (its connection pools start afresh)."""
    from photonix.celery import app

    app.conf.update(broker_url=url, result_backend=url)
    kombu.pools.reset()  # kombu keeps producer pools per connection, process-wide
    app._after_fork()  # type: ignore[attr-defined]  # as in a forked child: forget the pools


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_broker_restarted_without_persistence_loses_nothing(
    tmp_path: Path,
    process_env: dict[str, str],
    brightness: None,
    spawn: Callable[..., Popen[bytes]],
    settings: object,
) -> None:
    """Redis dies with photos in flight and comes back empty; the safety net finishes the job."""
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    server = _redis_server(port, tmp_path)
    settings.CELERY_BROKER_URL = url  # type: ignore[attr-defined]

    _use_broker(url)
    try:
        (fakes.marker_dir() / "slow").unlink(missing_ok=True)
        spawn("worker", "--concurrency", "1", env=_worker_env(process_env, REDIS_URL=url))
        _import(tmp_path)
        wait_for(lambda: Job.objects.filter(state="succeeded").exists(), 60, "work to start")
        server.kill()  # everything queued or unacknowledged is gone with it
        server.wait()
        time.sleep(1)
        server = _redis_server(port, tmp_path)

        def finish_or_reconcile() -> bool:
            if _all_settled():
                return True
            services.reconcile(dt.timedelta(seconds=2))  # what beat runs every few minutes
            return False

        wait_for(finish_or_reconcile, 180, "every photo to end processed or failed")
        failed = list(Job.objects.filter(state="failed").values_list("stage", "error"))
        assert PhotoPipeline.objects.filter(state="processed").count() == len(PHOTOS), failed
    finally:
        server.kill()
        server.wait()
        _use_broker(os.environ["REDIS_URL"])


def test_database_unreachable_for_a_few_seconds(
    tmp_path: Path,
    clean_broker: str,
    process_env: dict[str, str],
    brightness: None,
    spawn: Callable[..., Popen[bytes]],
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a database that refuses connections needs PostgreSQL (SQLite is a file)")
    name = connection.settings_dict["NAME"]
    admin_url = f"postgresql://{connection.settings_dict['USER']}@127.0.0.1:5432/postgres"
    spawn("worker", "--concurrency", "2", env=_worker_env(process_env))
    _import(tmp_path)
    wait_for(lambda: Job.objects.filter(state="started").exists(), 60, "work to start")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        time.sleep(4)
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    connection.close()

    def finish_or_reconcile() -> bool:
        if _all_settled():
            return True
        services.reconcile(dt.timedelta(seconds=5))
        return False

    wait_for(finish_or_reconcile, 180, "every photo to end processed or failed")
    assert PhotoPipeline.objects.filter(state="processed").count() == len(PHOTOS)
