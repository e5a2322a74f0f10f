"""Signed-in timeline throughput while anonymous clients call ``GET /api/health`` in a loop.

    .venv/bin/python bench/health.py [--health-clients 8] [--seconds 10] [--photos 2000]
    PYTHONPATH=<another checkout>/src .venv/bin/python bench/health.py   # that checkout's code

Starts the real web server as ``photonix serve`` does (``photonix web``, gunicorn with
``PHOTONIX_WEB_WORKERS`` = 2 sync workers) and one Celery worker, on a fresh data directory (SQLite)
and the Redis database ``--redis-url``. It fills a library with synthetic photos, then for each
phase runs ``--seconds`` of signed-in timeline requests (``--timeline-clients`` threads, with an
administrator's API token) beside 0 and then ``--health-clients`` threads asking ``/api/health``
without signing in, each thread one request at a time; then, as a control, as many threads on
``/api/auth/session`` (public, and asking nothing of the workers). It prints, per phase, the
timeline's requests per second and p50/p95 latency, and how the anonymous requests were
answered (by status).

Two server configurations are measured: the default anonymous rate limit
(``PHOTONIX_HEALTH_RATE``), and the limit lifted (``PHOTONIX_HEALTH_RATE=1000000/second``), which
shows what the health endpoint itself costs when every call is answered. Older code ignores
that setting: both configurations then measure the same server.

Every request goes to 127.0.0.1; every loop ends after ``--seconds``; the processes it started
are stopped and the data directory removed at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

UNLIMITED = "1000000/second"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fill(photos: int) -> str:
    """A library of ``photos`` synthetic photos owned by an administrator; returns their token."""
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction

    from photonix.core.services import token_create, user_create
    from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile

    call_command("migrate", verbosity=0)
    rng = random.Random(8)
    user = user_create(username="bench", password=secrets.token_urlsafe(), is_admin=True)
    library = Library.objects.create(name="Bench")
    LibraryMember.objects.create(library=library, user=user, role="owner")
    folder = LibraryFolder.objects.create(library=library, path="/bench/photos")
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with transaction.atomic():
        rows = Photo.objects.bulk_create(
            Photo(
                library=library,
                taken_local=start + dt.timedelta(seconds=rng.randrange(365 * 86400)),
                width=4000,
                height=3000,
                placeholder="3OcRJYB4d3h/iIeHeEh3eIhw+j2w",
                thumbnail_version=3,
            )
            for _ in range(photos)
        )
        files = PhotoFile.objects.bulk_create(
            PhotoFile(
                library=library,
                folder=folder,
                photo=photo,
                path=f"/bench/photos/{photo.pk}.jpg",
                kind="photo",
                state="ok",
                size=3_000_000,
                mtime_ns=1,
                file_type="JPEG",
            )
            for photo in rows
        )
        for photo, file in zip(rows, files, strict=True):
            photo.preferred_file = file
        Photo.objects.bulk_update(rows, ["preferred_file"])
    _, raw = token_create(user, "bench")
    return raw


def get(port: int, path: str, token: str | None = None) -> tuple[int, bytes]:
    """One request on a new connection (gunicorn's sync workers close each one anyway)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextmanager
def processes(env: dict[str, str], log_dir: Path) -> Iterator[None]:
    """The web server and one worker, stopped (their whole process groups) on the way out."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        for role, extra in (("web", ["--workers", "2"]), ("worker", ["--concurrency", "1"])):
            with (log_dir / f"{role}.log").open("ab") as log:
                started.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "photonix", role, *extra],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        yield
    finally:
        for proc in started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in started:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_ready(port: int, token: str, log_dir: Path, timeout: float = 90) -> None:
    """Until the web server answers and the health report (as an administrator) says ok."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            status, body = get(port, "/api/health", token)
        except OSError as exc:
            last = exc
        else:
            last = (status, body[:300])
            if status == 200:
                return
        time.sleep(0.5)
    logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in log_dir.glob("*.log"))
    raise SystemExit(f"the server did not become healthy: {last!r}\n{logs}")


@dataclass
class Phase:
    timeline_latencies: list[float] = field(default_factory=list)
    timeline_errors: Counter[int] = field(default_factory=Counter)
    health_codes: Counter[int] = field(default_factory=Counter)
    health_latencies: list[float] = field(default_factory=list)


def run_phase(
    port: int, token: str, timeline_clients: int, health_clients: int, seconds: float, path: str
) -> Phase:
    result = Phase()
    lock = threading.Lock()
    start = threading.Barrier(timeline_clients + health_clients + 1)
    deadline = 0.0

    def timeline() -> None:
        start.wait()
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                status, _ = get(port, "/api/timeline", token)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - began
            with lock:
                if status == 200:
                    result.timeline_latencies.append(elapsed)
                else:
                    result.timeline_errors[status] += 1

    def health() -> None:
        start.wait()
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                status, _ = get(port, path)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - began
            with lock:
                result.health_codes[status] += 1
                result.health_latencies.append(elapsed)

    threads = [threading.Thread(target=timeline) for _ in range(timeline_clients)]
    threads += [threading.Thread(target=health) for _ in range(health_clients)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return result


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1]


def describe(config: str, path: str, clients: int, phase: Phase, seconds: float) -> str:
    lat = phase.timeline_latencies
    codes = ", ".join(f"{code or 'error'}: {n}" for code, n in sorted(phase.health_codes.items()))
    health = f"{sum(phase.health_codes.values()) / seconds:7.1f}/s ({codes})" if clients else "-"
    errors = f"  timeline errors {dict(phase.timeline_errors)}" if phase.timeline_errors else ""
    return (
        f"{config:<8} {path if clients else '-':<18} {clients:>5} {len(lat) / seconds:10.1f} "
        f"{percentile(lat, 50) * 1e3:8.1f} {percentile(lat, 95) * 1e3:8.1f}   {health}{errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--health-clients", type=int, default=8)
    parser.add_argument("--timeline-clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("PHOTONIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="the broker: a Redis database nobody else uses meanwhile",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="photonix-bench-health-"))
    data_dir = work / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOTONIX_", "FLOWER_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "PHOTONIX_DATA_DIR": str(data_dir),
            "REDIS_URL": args.redis_url,
            "DJANGO_SETTINGS_MODULE": "photonix.settings",
            "PHOTONIX_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.update(env)
    try:
        import django

        django.setup()
        token = fill(args.photos)
        print(
            f"{args.photos} photos; {args.timeline_clients} signed-in timeline clients, "
            f"{args.seconds:g} s a phase; web: 2 gunicorn sync workers; one Celery worker"
        )
        print(
            f"{'limit':<8} {'anonymous calls':<18} {'count':>5} {'timeline/s':>10} {'p50 ms':>8}"
            f" {'p95 ms':>8}   anonymous answers"
        )
        # The control: as many anonymous clients on another public endpoint that asks nothing of
        # the workers (the session probe every page load makes), to tell the price of any flood
        # on two sync workers from the price of the health check itself.
        plans = (
            ("default", None, ("/api/health", "/api/auth/session")),
            ("lifted", UNLIMITED, ("/api/health",)),
        )
        for config, rate, paths in plans:
            port = free_port()
            server_env = {**env, "PHOTONIX_PORT": str(port)}
            if rate is not None:
                server_env["PHOTONIX_HEALTH_RATE"] = rate
            with processes(server_env, work):
                wait_ready(port, token, work)
                for path, clients in [("-", 0)] + [(p, args.health_clients) for p in paths]:
                    phase = run_phase(
                        port, token, args.timeline_clients, clients, args.seconds, path
                    )
                    print(describe(config, path, clients, phase, args.seconds), flush=True)
                status, body = get(port, "/api/health")
        print(f"(an anonymous answer: {status} {json.loads(body or b'{}')})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
