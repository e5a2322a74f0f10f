"""Pipeline throughput with one and with two worker HOSTS (network namespaces on this machine).

    sudo .venv/bin/python bench/hosts.py [--photos 60] [--hosts 1,2] [--concurrency 2]

Builds the hosts of ``tests/deploy/netns.py``: a services host with PostgreSQL and Redis on its
own address, and worker hosts that each run ``photonix worker`` on every queue with
``--concurrency`` processes, all sharing one data directory. For each host count it imports the
same number of distinct JPEGs into a fresh database and times them from ``photonix library add``
until every photo is processed (scan, record with exiftool, thumbnails, every built-in
classifier, finish). Needs root (``ip netns``); everything is removed at the end.

Prints one line per host count and the speed-up. The hosts share this machine's cores, so on a
small machine a second host adds processes, not CPU: read docs/deploy.md for what to expect on
more cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.netns import Hosts, check_machine  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "photos" / "gps" / "DSCN0010.jpg"


def make_photos(folder: Path, count: int) -> None:
    """Distinct real JPEGs (a camera photo with a different crop each), as bench/pipeline.py."""
    base = Image.open(SAMPLE).convert("RGB")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        crop = base.crop((i % 40, i % 30, base.width - (i % 25), base.height - (i % 35)))
        crop.save(folder / f"IMG_{i:05d}.jpg", quality=90)


def run_once(hosts: Hosts, base: Path, n_hosts: int, photos: int, concurrency: int) -> float:
    """Photos per minute with ``n_hosts`` worker hosts, on a fresh database."""
    name = f"bench_{n_hosts}"
    admin = f"postgresql://postgres@{hosts.services.address}:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    database_url = f"postgresql://postgres@{hosts.services.address}:5432/{name}"
    redis.Redis.from_url(hosts.redis_url).flushall()
    data = base / f"data-{n_hosts}"
    data.mkdir()
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": hosts.redis_url,
            "PHOTONIX_DATA_DIR": str(data),
            "PHOTONIX_SECRET_KEY": "bench-hosts-" + "q7Wz3" * 10,
            "PHOTONIX_OFFLINE": "true",
            "PHOTONIX_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )

    def photonix(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "photonix", *args],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    photonix("manage", "migrate", "--noinput")
    folder = base / f"photos-{n_hosts}"
    make_photos(folder, photos)
    workers = [hosts.add_host(f"b{n_hosts}{i}") for i in range(n_hosts)]
    for host in workers:
        hosts.start_worker(host, env, concurrency=concurrency)
    expected = {f"photonix-all@{host.name}" for host in workers}
    deadline = time.monotonic() + 120
    while True:  # every worker answers before the clock starts
        out = subprocess.run(
            [sys.executable, "-m", "photonix", "status", "--json", "--timeout", "3"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if all(name in out for name in expected):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"workers did not start; see {hosts.logs}")
        time.sleep(1)

    start = time.perf_counter()
    photonix("library", "add", "Bench", str(folder), "--no-watch")
    query = "SELECT count(*) FROM pipeline_photopipeline WHERE state IN ('processed', 'failed')"
    with psycopg.connect(database_url, autocommit=True) as conn:
        while True:
            row = conn.execute(query).fetchone()
            if row is not None and row[0] >= photos:
                break
            if time.perf_counter() - start > 1800:
                raise SystemExit(f"only {row} of {photos} photos finished; see {hosts.logs}")
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
        failed = conn.execute(
            "SELECT count(*) FROM pipeline_photopipeline WHERE state = 'failed'"
        ).fetchone()
    if failed and failed[0]:
        raise SystemExit(f"{failed[0]} photos failed; see {hosts.logs}")
    for host in workers:
        hosts.kill_host(host)
    return photos / elapsed * 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--hosts", default="1,2", help="host counts to measure (default 1,2)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes per host")
    args = parser.parse_args()
    if reason := check_machine():
        print(f"bench/hosts.py: cannot build hosts here: {reason}")
        return 2
    counts = [int(n) for n in args.hosts.split(",")]
    base = Path(tempfile.mkdtemp(prefix="pxbh-"))
    hosts = Hosts(base, prefix="pb")
    rates: dict[int, float] = {}
    try:
        hosts.make_services_host()
        hosts.start_services()
        for n in counts:
            rates[n] = run_once(hosts, base, n, args.photos, args.concurrency)
            print(
                f"(d) {args.photos} photos, whole pipeline: {n} worker host(s) x "
                f"{args.concurrency} processes: {rates[n]:.0f} photos/min",
                flush=True,
            )
    finally:
        hosts.cleanup()
        shutil.rmtree(base, ignore_errors=True)
    if len(rates) > 1:
        first, last = counts[0], counts[-1]
        print(
            f"(d) {last} hosts vs {first}: {rates[last] / rates[first]:.2f}x on "
            f"{os.cpu_count()} cores shared by every host"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
