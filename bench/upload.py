"""Upload throughput against copying the same files on the local disk, and the server's CPU per MB.

    .venv/bin/python bench/upload.py [--photos 200] [--megapixels 6]
    PYTHONPATH=$PWD/src .venv/bin/python bench/upload.py   # this checkout's code

Makes ``--photos`` distinct JPEGs (noise, so that they compress like real photos: about 1 MB per
2 megapixels), then:

1. **local copy** — copies them into another folder on the same disk, each file fsynced (as the
   server fsyncs what it receives): the bar the upload is held to;
2. **one-request uploads** — ``POST /api/libraries/{id}/upload`` one file after the other, each
   with its SHA-256 checksum, from one client on 127.0.0.1;
3. **tus uploads** — the same files again into a second, empty library, resumably (``photonix
   upload``'s own sending code: 8 MiB chunks, each with its checksum).

The server is the real one (``photonix web``, gunicorn with 2 sync workers) on a fresh data
directory (SQLite) and the Redis database ``--redis-url``, emptied at the end. No Celery worker
runs: what is measured is receiving, checking, de-duplicating, placing and recording the row; the
record tasks wait in the broker. For each way it prints MB/s, the ratio to the local copy, and
the CPU time the web processes (gunicorn's master and workers, from /proc) spent per MB
received. The client's own time is not counted as the server's.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
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

import redis
import requests
from PIL import Image

from photonix.upload_client import Client, Retry, State, send_file

SETUP = """
from photonix.core.models import User
from photonix.core.services import token_create
from photonix.library.models import Library, LibraryFolder, LibraryMember
user = User.objects.create_user(username="bench", password="a-long-Passphrase-42")
ids = []
for name in ("One request", "Tus"):
    library = Library.objects.create(name=name)
    LibraryMember.objects.create(library=library, user=user, role="owner")
    LibraryFolder.objects.create(library=library, path={root!r} + "/" + name.replace(" ", "-"))
    ids.append(library.pk)
print(ids[0], ids[1], token_create(user, "bench")[1])
"""


def _shade(n: int, value: int) -> int:
    return (value + n) % 256


def make_photos(folder: Path, count: int, megapixels: float) -> list[Path]:
    folder.mkdir(parents=True)
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    base = Image.effect_noise((width, height), 40).convert("RGB")
    photos = []
    for n in range(count):
        # A different shade per photo: every file has its own content (nothing is a duplicate).
        image = Image.eval(base, functools.partial(_shade, n))
        path = folder / f"IMG_{n:04d}.jpg"
        image.save(path, quality=90)
        photos.append(path)
    return photos


def local_copy(photos: list[Path], dest: Path) -> float:
    dest.mkdir()
    start = time.perf_counter()
    for path in photos:
        target = dest / path.name
        shutil.copyfile(path, target)
        with target.open("rb") as handle:
            os.fsync(handle.fileno())
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(root_pid: int) -> float:
    """User + system CPU of ``root_pid`` and its children (gunicorn's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


@contextmanager
def web_server(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "photonix", "web", "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_ready(url: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/api/auth/session", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)  # a server starting: nothing to be told, only to ask again
    raise SystemExit(f"the web server did not start:\n{log.read_text()[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--megapixels", type=float, default=6.0)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("PHOTONIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="the broker: a Redis database nobody else uses meanwhile (emptied at the end)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="photonix-bench-upload-"))
    try:
        photos = make_photos(work / "source", args.photos, args.megapixels)
        total = sum(p.stat().st_size for p in photos)
        mb = total / 1e6
        copy_s = local_copy(photos, work / "copy")

        root = work / "libraries"
        for name in ("One-request", "Tus"):
            (root / name).mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOTONIX_", "FLOWER_"))}
        env.pop("DATABASE_URL", None)
        port = free_port()
        env.update(
            PHOTONIX_DATA_DIR=str(work / "data"),
            PHOTONIX_PORT=str(port),
            PHOTONIX_LOG_LEVEL="WARNING",
            REDIS_URL=args.redis_url,
        )
        manage = [sys.executable, "-m", "photonix", "manage"]
        subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
        out = subprocess.run(
            [*manage, "shell", "-c", SETUP.format(root=str(root))],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        one_id, tus_id, token = out.strip().splitlines()[-1].split()
        url = f"http://127.0.0.1:{port}"
        results: list[tuple[str, float, float]] = []
        with web_server(env, work / "web.log") as proc:
            wait_ready(url, work / "web.log")
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            cpu0, start = cpu_seconds(proc.pid), time.perf_counter()
            for path in photos:
                body = path.read_bytes()
                response = session.post(
                    f"{url}/api/libraries/{one_id}/upload",
                    params={
                        "filename": path.name,
                        "checksum": "sha256:" + hashlib.sha256(body).hexdigest(),
                    },
                    data=body,
                    headers={"Content-Type": "application/octet-stream"},
                    timeout=120,
                )
                if response.status_code != 201:
                    raise SystemExit(f"{path.name}: {response.status_code} {response.text}")
            results.append(
                ("one-request", time.perf_counter() - start, cpu_seconds(proc.pid) - cpu0)
            )

            client = Client(url, token, Retry())
            state = State(work / "tus-state.json")
            digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in photos}
            cpu0, start = cpu_seconds(proc.pid), time.perf_counter()
            for path in photos:
                duplicate, _ = send_file(
                    client, int(tus_id), path, digests[path], state, lambda n: None
                )
                assert not duplicate
            results.append(("tus", time.perf_counter() - start, cpu_seconds(proc.pid) - cpu0))

        print(
            f"{args.photos} photos, {args.megapixels:g} MP JPEGs, {mb:.1f} MB in all "
            f"({mb / args.photos:.2f} MB each); server: 2 gunicorn sync workers, SQLite; "
            f"one client on 127.0.0.1; {os.cpu_count()} CPUs"
        )
        print(f"{'way':<13} {'seconds':>8} {'MB/s':>8} {'vs copy':>8} {'server CPU ms/MB':>17}")
        print(f"{'local copy':<13} {copy_s:>8.2f} {mb / copy_s:>8.1f} {1:>8.2f} {'-':>17}")
        for name, seconds, cpu in results:
            print(
                f"{name:<13} {seconds:>8.2f} {mb / seconds:>8.1f} {copy_s / seconds:>8.2f} "
                f"{cpu * 1000 / mb:>17.2f}"
            )
    finally:
        redis.Redis.from_url(args.redis_url).flushdb()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
