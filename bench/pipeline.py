"""The pipeline end to end, on the embedded default (``photonix serve``).

    .venv/bin/python bench/pipeline.py [--photos 60] [--latency-runs 5] [--idle-seconds 630]
                                       [--hosts 1,2] [--skip a,b,c,d]

Prints
  (a) the time from a JPEG landing in a watched folder to its thumbnail being served by the API,
  (b) database transactions while idle (PostgreSQL's own counters, so every process — workers,
      watcher, beat and its housekeeping — is counted; needs PostgreSQL on 127.0.0.1:5432), over
      more than one period of beat's 5-minute housekeeping (reconcile, recluster), with the time
      of each transaction seen; the default 630 s covers two periods,
  (c) photos per minute through the whole pipeline with 1 and with 2 worker processes,
  (d) photos per minute with 1 and with 2 worker *hosts* (network namespaces, PostgreSQL and
      Redis on a services host; the machinery of ``bench/hosts.py``; root only), and the ratio.

Everything runs in temporary data directories on ports of its own and is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import requests
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "photos" / "gps" / "DSCN0010.jpg"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password-1234"  # noqa: S105 - a throwaway account in a temporary install


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_photos(folder: Path, count: int, start: int = 0) -> None:
    """Distinct real JPEGs (a camera photo with a different crop each)."""
    base = Image.open(SAMPLE).convert("RGB")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        crop = base.crop((i % 40, i % 30, base.width - (i % 25), base.height - (i % 35)))
        crop.save(folder / f"IMG_{i:05d}.jpg", quality=90)


class Install:
    """A running ``photonix serve`` with an admin signed in through the API."""

    def __init__(self, data: Path, env: dict[str, str], port: int) -> None:
        self.data, self.env, self.port = data, env, port
        self.url = f"http://127.0.0.1:{port}"
        self.http = requests.Session()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.data / "serve.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "photonix", "serve"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if self.http.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.3)
        else:
            raise SystemExit(f"photonix serve did not become healthy; see {self.data}/serve.log")
        self.http.get(f"{self.url}/api/auth/session")
        token = self.http.cookies["csrftoken"]
        self.http.headers["X-CSRFToken"] = token
        answer = self.http.post(
            f"{self.url}/api/setup", json={"username": "bench", "password": PASSWORD}
        )
        answer.raise_for_status()
        self.http.headers["X-CSRFToken"] = self.http.cookies["csrftoken"]

    def add_library(self, folder: Path) -> int:
        answer = self.http.post(
            f"{self.url}/api/libraries", json={"name": folder.name, "folders": [str(folder)]}
        )
        answer.raise_for_status()
        return int(answer.json()["id"])

    def photos(self) -> list[dict[str, Any]]:
        answer = self.http.get(f"{self.url}/api/photos", params={"page_size": 500})
        answer.raise_for_status()
        return list(answer.json()["results"])

    def wait_idle(self, timeout: float = 900) -> None:
        subprocess.run(
            [sys.executable, "-m", "photonix", "wait", "--timeout", str(timeout)],
            env=self.env,
            check=True,
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=60)


@contextmanager
def install(
    concurrency: int = 2,
    database_url: str | None = None,
    watcher: bool = True,
    log_level: str = "WARNING",
) -> Iterator[Install]:
    data = Path(tempfile.mkdtemp(prefix="pxb-"))  # short: the broker's unix socket lives here
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")},
        "PHOTONIX_DATA_DIR": str(data),
        "PHOTONIX_PORT": str(free_port()),
        "PHOTONIX_FLOWER_PORT": str(free_port()),
        "PHOTONIX_WORKER_CONCURRENCY": str(concurrency),
        "PHOTONIX_WATCHER": "true" if watcher else "false",
        "PHOTONIX_LOG_LEVEL": log_level,
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    server = Install(data, env, int(env["PHOTONIX_PORT"]))
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def latency(runs: int) -> list[float]:
    times: list[float] = []
    with install() as server:
        folder = server.data / "watched"
        folder.mkdir()
        server.add_library(folder)
        server.wait_idle()
        time.sleep(2)  # the watcher reloads its folders when the library is announced
        staging = server.data / "staging"
        make_photos(staging, runs)
        for i, source in enumerate(sorted(staging.iterdir())):
            start = time.perf_counter()
            shutil.copy(source, folder / source.name)
            deadline = start + 60
            while time.perf_counter() < deadline:
                ready = [p for p in server.photos() if p["thumbnail_version"]]
                if len(ready) > i:
                    photo = max(ready, key=lambda p: p["id"])
                    thumb = server.http.get(
                        f"{server.url}/api/photos/{photo['id']}/thumbnail/grid",
                        params={"v": photo["thumbnail_version"]},
                    )
                    if thumb.status_code == 200:
                        times.append(time.perf_counter() - start)
                        break
                time.sleep(0.02)
            else:
                raise SystemExit(f"photo {i} never got a thumbnail; see {server.data}/serve.log")
    return times


BEAT_PERIOD = 300  # reconcile-pipeline and recluster-faces, settings.CELERY_BEAT_SCHEDULE
PG_REPORT_DELAY = 15  # PostgreSQL's backends report their counters up to ~10 s after going idle


def housekeeping_runs(log: Path) -> dict[str, int]:
    """How many times each of beat's 5-minute tasks ran to the end, from the worker's log."""
    text = log.read_text(errors="replace")
    return {
        name: sum(1 for line in text.splitlines() if f"{name}[" in line and "succeeded" in line)
        for name in ("photonix.pipeline.reconcile", "photonix.faces.recluster")
    }


def idle_queries(
    seconds: float, sample: float = 10.0
) -> tuple[int, float, list[int], dict[str, int]] | None:
    """Transactions while idle: (count, over how many seconds, seconds at which they were seen,
    how many times each housekeeping task ran meanwhile)."""
    name = f"photonix_bench_{os.getpid()}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"(b) skipped: PostgreSQL not reachable ({exc})")
        return None
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql://postgres@127.0.0.1:5432/{name}"
        # INFO: the worker logs each task it runs, so the housekeeping runs can be counted.
        with install(database_url=url, log_level="INFO") as server:
            folder = server.data / "lib"
            make_photos(folder, 5)
            server.add_library(folder)
            server.wait_idle()
            # PostgreSQL's backends report their counters up to ~10 s after going idle: let the
            # import's own transactions land before the measurement starts.
            time.sleep(15)

            def transactions() -> int:
                row = admin.execute(
                    "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
                    (name,),
                ).fetchone()
                return int(row[0]) if row else 0

            admin.execute("SELECT pg_stat_clear_snapshot()")
            ran_before = housekeeping_runs(server.data / "serve.log")
            before = last = transactions()
            seen: list[int] = []
            start = time.monotonic()
            total = seconds + PG_REPORT_DELAY
            while (elapsed := time.monotonic() - start) < total:
                time.sleep(min(sample, max(0.1, total - elapsed)))
                admin.execute("SELECT pg_stat_clear_snapshot()")
                now = transactions()
                seen += [round(time.monotonic() - start)] * (now - last)
                last = now
            ran = housekeeping_runs(server.data / "serve.log")
            runs = {name: ran[name] - ran_before[name] for name in ran}
            return last - before, total, seen, runs
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def throughput(photos: int, concurrency: int) -> float:
    with install(concurrency=concurrency, watcher=False) as server:
        folder = server.data / "lib"
        make_photos(folder, photos)
        start = time.perf_counter()
        server.add_library(folder)
        server.wait_idle()
        elapsed = time.perf_counter() - start
        done = [p for p in server.photos() if p["thumbnail_version"]]
        if len(done) != photos:
            raise SystemExit(f"only {len(done)} of {photos} photos were processed")
    return photos / elapsed * 60


def worker_hosts(photos: int, counts: list[int], concurrency: int = 2) -> dict[int, float]:
    """Photos per minute with each number of worker hosts (``bench/hosts.py``'s machinery)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from tests.deploy.netns import Hosts, check_machine

    import hosts as bench_hosts  # bench/hosts.py

    if reason := check_machine():
        print(f"(d) skipped: cannot build worker hosts here: {reason}")
        return {}
    base = Path(tempfile.mkdtemp(prefix="pxbh-"))
    machine = Hosts(base, prefix="pb")
    rates: dict[int, float] = {}
    try:
        machine.make_services_host()
        machine.start_services()
        for n in counts:
            rates[n] = bench_hosts.run_once(machine, base, n, photos, concurrency)
            print(
                f"(d) {photos} photos, whole pipeline: {n} worker host(s) x {concurrency} "
                f"processes: {rates[n]:.0f} photos/min",
                flush=True,
            )
    finally:
        machine.cleanup()
        shutil.rmtree(base, ignore_errors=True)
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--latency-runs", type=int, default=5)
    parser.add_argument(
        "--idle-seconds",
        type=float,
        default=2 * BEAT_PERIOD + 30,
        help=f"idle measurement; more than {BEAT_PERIOD} s covers a beat housekeeping period",
    )
    parser.add_argument("--hosts", default="1,2", help="worker host counts for (d)")
    parser.add_argument("--skip", default="", help="measures to leave out, e.g. a,d")
    args = parser.parse_args()
    skip = set(args.skip.split(","))

    if "a" not in skip:
        times = latency(args.latency_runs)
        print(
            f"(a) watched folder -> thumbnail served: median "
            f"{sorted(times)[len(times) // 2]:.2f} s, max {max(times):.2f} s over {len(times)} "
            "photos (target < 2 s)",
            flush=True,
        )
    if "b" not in skip:
        if args.idle_seconds <= BEAT_PERIOD:
            print(
                f"(b) note: {args.idle_seconds:g} s is shorter than beat's {BEAT_PERIOD} s period"
            )
        idle = idle_queries(args.idle_seconds)
        if idle is not None:
            count, over, seen, runs = idle
            periods = over / BEAT_PERIOD
            ran = ", ".join(f"{name.rsplit('.', 1)[1]} {n}x" for name, n in runs.items())
            print(
                f"(b) idle database transactions: {count} in {over:.0f} s = {count / over:.4f}/s "
                f"({periods:.1f} beat housekeeping periods of {BEAT_PERIOD} s, which ran: {ran}; "
                f"target 0); seen at: {', '.join(f'{t} s' for t in seen) or 'never'}",
                flush=True,
            )
    if "c" not in skip:
        one = throughput(args.photos, 1)
        two = throughput(args.photos, 2)
        print(
            f"(c) {args.photos} photos, whole pipeline: 1 worker process {one:.0f} photos/min, "
            f"2 worker processes {two:.0f} photos/min ({two / one:.2f}x) on {os.cpu_count()} "
            "cores",
            flush=True,
        )
    if "d" not in skip:
        counts = [int(n) for n in args.hosts.split(",")]
        rates = worker_hosts(args.photos, counts)
        if len(rates) > 1:
            first, last = counts[0], counts[-1]
            print(
                f"(d) {last} worker hosts vs {first}: {rates[last] / rates[first]:.2f}x on "
                f"{os.cpu_count()} cores shared by every host"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
