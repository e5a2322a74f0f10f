"""Photonix on several hosts: PostgreSQL and Redis on one, Celery workers on others.

The hosts are network namespaces on this machine (``tests/deploy/netns.py``): a services host
running PostgreSQL and Redis bound to its own address, and worker hosts, each running
``photonix worker --queues import,media,classify,faces,default`` with ``DATABASE_URL`` and
``REDIS_URL`` pointing at the services host and the same data directory (the shared storage).

The test imports a batch of photos, kills one worker host outright (SIGKILL to every process in
its namespace) while it runs tasks, and shows that every photo still ends processed: the tasks
that host had taken come back to the queue after ``PHOTONIX_VISIBILITY_TIMEOUT`` (10 s here) and
the surviving host runs them. Then it adds a third host and shows that host takes work.

The fake ``Slow`` classifier (``tests/fakes.py``) holds tasks while a marker file exists, so the
kill lands while both hosts are busy, deterministically.

Where the machine cannot make the hosts (not Linux, not root, no ``ip``, no PostgreSQL or Redis
server binaries, namespaces refused) the test is skipped and says exactly why; with
``PHOTONIX_REQUIRE_MULTIHOST=1`` it fails instead, so a machine that is meant to run it (CI as
root) cannot skip it unnoticed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import psycopg
import pytest
from PIL import Image

from tests.deploy.netns import ROOT, Host, Hosts, Unavailable, check_machine
from tests.waiting import wait_for

# Typically 1–2 minutes here; the two visibility timeouts, worker start-ups and PostgreSQL's
# initdb can take several times that on a loaded machine.
pytestmark = [pytest.mark.integration, pytest.mark.multihost, pytest.mark.timeout(900)]
REQUIRE = "PHOTONIX_REQUIRE_MULTIHOST"


def cannot_run(reason: str) -> NoReturn:
    """Skip, saying why — or fail, when this machine is required to run the test."""
    message = f"multi-host test cannot run here: {reason}"
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{message} (and {REQUIRE}=1 requires it)", pytrace=False)
    pytest.skip(f"{message} (set {REQUIRE}=1 to make this a failure)")


FIXTURES = ROOT / "tests" / "fixtures" / "photos"
VISIBILITY_TIMEOUT = 10
RECEIVED = re.compile(r"Task (\S+)\[([0-9a-f-]{36})\] received")
SUCCEEDED = re.compile(r"Task (\S+)\[([0-9a-f-]{36})\] succeeded")


class Cluster:
    def __init__(self, hosts: Hosts, base: Path) -> None:
        self.hosts = hosts
        self.base = base
        self.data = base / "data"  # the shared storage every host mounts
        self.data.mkdir()
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
        self.env = {k: v for k, v in os.environ.items() if k in keep}
        self.env.update(
            {
                "DATABASE_URL": hosts.database_url,
                "REDIS_URL": hosts.redis_url,
                "PHOTONIX_DATA_DIR": str(self.data),
                "PHOTONIX_SECRET_KEY": "multihost-test-" + "k9Xq2" * 10,
                "PHOTONIX_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
                "PHOTONIX_EXTRA_CLASSIFIERS": "tests.fakes:Slow",
                "PHOTONIX_OFFLINE": "true",
                "PHOTONIX_LOG_FORMAT": "text",
                "PHOTONIX_LOG_LEVEL": "INFO",
                "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1",
            }
        )

    def photonix(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``photonix …`` from the test's side of the network (the root namespace)."""
        result = subprocess.run(
            [sys.executable, "-m", "photonix", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, f"photonix {' '.join(args)}:\n{result.stderr[-3000:]}"
        return result

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.hosts.database_url, connect_timeout=5) as conn:
            return list(conn.execute(query).fetchall())

    def photo_states(self) -> dict[str, int]:
        rows = self.sql(
            "SELECT coalesce(pp.state, 'none'), count(*) FROM library_photo p "
            "LEFT JOIN pipeline_photopipeline pp ON pp.photo_id = p.id GROUP BY 1"
        )
        return {str(state): int(count) for state, count in rows}

    def succeeded_jobs(self, task_ids: set[str]) -> set[str]:
        """Which of these tasks the job records (written by the workers' signals) say succeeded."""
        with psycopg.connect(self.hosts.database_url, connect_timeout=5) as conn:
            rows = conn.execute(
                "SELECT task_id FROM pipeline_job WHERE state = 'succeeded' AND task_id = ANY(%s)",
                (sorted(task_ids),),
            ).fetchall()
        return {str(task_id) for (task_id,) in rows}

    def all_processed(self, count: int) -> bool:
        return self.photo_states() == {"processed": count}

    @property
    def markers(self) -> Path:
        path = self.data / "fakes"
        path.mkdir(exist_ok=True)
        return path

    def slow_started_on(self, host: Host) -> set[int]:
        started = {int(p.name.rsplit("-", 1)[1]) for p in self.markers.glob("slow-started-*")}
        return started & self.hosts.pids(host)

    def start_worker(self, host: Host) -> None:
        self.hosts.start_worker(host, self.env)
        wait_for(lambda: " ready." in log_text(host), 60, f"the worker on {host.name} to be ready")


def log_text(host: Host) -> str:
    return "".join(log.read_text(errors="replace") for log in host.logs if log.exists())


def tasks(host: Host, pattern: re.Pattern[str]) -> set[str]:
    return {task_id for _, task_id in pattern.findall(log_text(host))}


def make_batch(folder: Path, count: int, *, start: int = 0) -> None:
    """Distinct JPEGs: the fixture photos themselves, then cropped re-saves of one of them."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(
        p
        for d in ("gps", "jpeg-exif", "faces-objects", "orientation")
        for p in (FIXTURES / d).glob("*.jpg")
    )
    written = 0
    for source in sources[start:]:
        if written == count:
            return
        try:
            with Image.open(source) as image:
                image.verify()
        except Exception:  # noqa: BLE001, S112 - only clean fixtures make the batch
            continue
        shutil.copy(source, folder / source.name)
        written += 1
    base = Image.open(FIXTURES / "gps" / "DSCN0010.jpg").convert("RGB")
    i = start
    while written < count:
        crop = base.crop((i % 40, i % 30, base.width - (i % 25), base.height - (i % 35)))
        crop.save(folder / f"variant_{i:03d}.jpg", quality=90)
        written += 1
        i += 1


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if reason := check_machine():
        cannot_run(reason)
    base = Path(tempfile.mkdtemp(prefix="pxmh-"))
    hosts: Hosts | None = None
    try:
        try:
            hosts = Hosts(base)
            hosts.make_services_host()
        except Unavailable as exc:
            cannot_run(str(exc))
        hosts.start_services()
        cluster = Cluster(hosts, base)
        cluster.photonix("manage", "migrate", "--noinput", timeout=180)
        yield cluster
    finally:
        if hosts is not None:
            for log in sorted(hosts.logs.glob("*.log")):
                print(f"----- {log.name} -----\n{log.read_text(errors='replace')[-3000:]}")  # noqa: T201
            hosts.cleanup()
        shutil.rmtree(base, ignore_errors=True)


def test_losing_a_worker_host_loses_no_photo_and_a_new_host_takes_work(cluster: Cluster) -> None:
    began = time.monotonic()
    hosts = cluster.hosts
    first, second = hosts.add_host("w1"), hosts.add_host("w2")
    cluster.start_worker(first)
    cluster.start_worker(second)

    # A batch of 20 photos, imported while the Slow classifier holds its tasks.
    batch = 20
    make_batch(cluster.base / "photos", batch)
    (cluster.markers / "slow").touch()
    cluster.photonix("library", "add", "Multihost", str(cluster.base / "photos"), "--no-watch")
    wait_for(
        lambda: cluster.slow_started_on(first) and cluster.slow_started_on(second),
        90,
        "both hosts to be running tasks",
    )

    # The first host dies with work in its hands.
    received_before = tasks(first, RECEIVED)
    killed = hosts.kill_host(first)
    assert killed, "the host had processes"
    assert not hosts.pids(first)
    # Unfinished: received, and neither logged nor recorded as succeeded (a SIGKILL can take the
    # last lines of a log with it, after the task's success was recorded and its message acked).
    unfinished = tasks(first, RECEIVED) - tasks(first, SUCCEEDED)
    lost = unfinished - cluster.succeeded_jobs(unfinished)
    assert lost, f"the killed host held no unfinished task ({len(received_before)} received)"
    (cluster.markers / "slow").unlink()

    # Every photo still ends processed: the lost tasks ran again on the surviving host.
    wait_for(lambda: cluster.all_processed(batch), 120, f"all {batch} photos to be processed")
    recovered = time.monotonic() - began
    assert lost <= tasks(second, SUCCEEDED), "each task of the dead host ran on the other one"
    rows = cluster.sql("SELECT count(*) FROM pipeline_photostage WHERE state <> 'done'")
    assert rows == [(0,)]
    tagged = cluster.sql(
        "SELECT count(DISTINCT pt.photo_id) FROM classifiers_phototag pt "
        "JOIN classifiers_tag t ON t.id = pt.tag_id WHERE t.name = 'slowpoke'"
    )
    assert tagged == [(batch,)], "the Slow classifier's tag is on every photo"

    # A third host joins; while the surviving host is busy, the new one takes the work.
    third = hosts.add_host("w3")
    cluster.start_worker(third)
    more = 8
    (cluster.markers / "slow").touch()
    make_batch(cluster.base / "photos2", more, start=100)
    cluster.photonix("library", "add", "Multihost", str(cluster.base / "photos2"), "--no-watch")
    wait_for(lambda: cluster.slow_started_on(third), 90, "the new host to take a task")
    (cluster.markers / "slow").unlink()
    wait_for(
        lambda: cluster.all_processed(batch + more), 120, f"all {batch + more} photos processed"
    )
    assert tasks(third, SUCCEEDED), "the new host ran tasks to the end"

    status = json.loads(cluster.photonix("status", "--json").stdout)
    workers = status["components"]["workers"]["detail"]
    assert second.name in workers and third.name in workers, workers
    assert first.name not in workers, workers
    print(  # noqa: T201
        f"multi-host: {batch} photos recovered after a host loss in {recovered:.0f} s; "
        f"{len(lost)} tasks taken over; new host ran {len(tasks(third, SUCCEEDED))} tasks; "
        f"total {time.monotonic() - began:.0f} s"
    )
