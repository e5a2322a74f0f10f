"""Uploads against the real running app: ``photonix web`` (gunicorn) in a subprocess, a real
Celery worker recording what arrives, real HTTP from ``requests`` and raw sockets, and the
``photonix upload`` command run as a user would run it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests import slots
from tests.e2e.conftest import serving
from tests.e2e.support import LiveServer
from tests.waiting import wait_for

PHOTOS = Path(__file__).resolve().parents[1] / "fixtures" / "photos"
EXIF = PHOTOS / "jpeg-exif"
TUS = {"Tus-Resumable": "1.0.0"}

SETUP = """
from photonix.core.models import User
from photonix.core.services import token_create
from photonix.library.models import Library, LibraryFolder, LibraryMember
user = User.objects.create_user(username="alice", password="a-long-Passphrase-42")
library = Library.objects.create(name="Family")
LibraryMember.objects.create(library=library, user=user, role="owner")
LibraryFolder.objects.create(library=library, path={root!r})
print(library.pk, token_create(user, "cli")[1])
"""


@dataclass
class App:
    server: LiveServer
    root: Path
    library: int
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def upload(self, body: bytes, name: str) -> requests.Response:
        return requests.post(
            f"{self.server.url}/api/libraries/{self.library}/upload",
            params={"filename": name},
            data=body,
            headers={**self.auth, "Content-Type": "application/octet-stream"},
            timeout=60,
        )

    def known(self, digest: str) -> dict[str, int | None] | None:
        response = requests.post(
            f"{self.server.url}/api/libraries/{self.library}/upload/check",
            json={"checksums": [digest]},
            headers=self.auth,
            timeout=30,
        )
        response.raise_for_status()
        found: dict[str, int | None] | None = response.json()["known"].get(digest)
        return found


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    base = tmp_path_factory.mktemp("upload-server")
    root = base / "photos"
    root.mkdir()
    with serving(base, slots.claim_url(), web_workers=3) as server:
        output = server.manage("shell", "-c", SETUP.format(root=str(root)))
        library, token = output.strip().splitlines()[-1].split()
        worker_log = (base / "worker.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "photonix", "worker", "--concurrency", "1"],
            env=dict(server.env),
            cwd=server.cwd,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield App(server, root, int(library), token)
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=30)
            worker_log.close()


def _tus_create(app: App, body: bytes, name: str) -> str:
    meta = {
        "library": str(app.library),
        "filename": name,
        "checksum": "sha256 " + hashlib.sha256(body).hexdigest(),
    }
    created = requests.post(
        f"{app.server.url}/api/uploads/tus",
        headers={
            **app.auth,
            **TUS,
            "Upload-Length": str(len(body)),
            "Upload-Metadata": ",".join(
                f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in meta.items()
            ),
        },
        timeout=30,
    )
    assert created.status_code == 201, created.text
    return str(created.headers["Location"])


def _offset(app: App, url: str) -> int:
    head = requests.head(url, headers={**app.auth, **TUS}, timeout=30)
    assert head.status_code == 200
    return int(head.headers["Upload-Offset"])


def _patch_cut_off(app: App, url: str, body: bytes, sent: int) -> None:
    """A PATCH announcing the whole body whose connection drops after ``sent`` bytes."""
    parts = urlsplit(url)
    request = (
        f"PATCH {parts.path} HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        f"Authorization: Bearer {app.token}\r\n"
        "Tus-Resumable: 1.0.0\r\n"
        "Upload-Offset: 0\r\n"
        "Content-Type: application/offset+octet-stream\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request + body[:sent])
        sock.shutdown(socket.SHUT_WR)  # the client is gone: no more bytes will come
        sock.recv(4096)  # the server answers (or closes) once it has seen the end


def test_a_tus_upload_cut_half_way_resumes_from_where_it_stopped(app: App) -> None:
    # A photo of a few MiB, so that half of it is more than one read.
    body = (EXIF / "Nikon_D300_lens_data.jpeg").read_bytes()
    body = body[:-2] + bytes(4 * 1024 * 1024) + body[-2:]
    url = _tus_create(app, body, "cut.jpg")
    half = len(body) // 2
    _patch_cut_off(app, url, body, half)
    assert _offset(app, url) == half
    rest = requests.patch(
        url,
        data=body[half:],
        headers={
            **app.auth,
            **TUS,
            "Upload-Offset": str(half),
            "Content-Type": "application/offset+octet-stream",
        },
        timeout=60,
    )
    assert rest.status_code == 204, rest.text
    assert rest.headers["Upload-Offset"] == str(len(body))
    assert rest.headers["Photonix-Upload-Status"] == "created"
    stored = next(app.root.rglob("cut.jpg"))
    assert stored.read_bytes() == body
    assert list((app.root / "uploads" / ".incoming").glob("*.part")) == []


def test_a_duplicate_upload_returns_the_existing_photo(app: App) -> None:
    body = (EXIF / "Pentax_K10D.jpg").read_bytes()
    first = app.upload(body, "Pentax_K10D.jpg")
    assert first.status_code == 201, first.text
    digest = hashlib.sha256(body).hexdigest()
    # The worker records it, as it would a file copied into the folder.
    recorded = wait_for(
        lambda: (app.known(digest) or {}).get("photo"), 60, "the upload to be recorded"
    )
    again = app.upload(body, "another name.jpg")
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "duplicate"
    assert again.json()["photo"] == recorded
    assert again.json()["file"] == first.json()["file"]
    assert not list(app.root.rglob("another name.jpg"))


def test_two_clients_sending_the_same_file_at_once_make_one_photo(app: App) -> None:
    body = (EXIF / "Panasonic_DMC-FZ30.jpg").read_bytes()
    body = body[:-2] + bytes(2 * 1024 * 1024) + body[-2:]
    answers: list[requests.Response] = []
    start = threading.Barrier(4)

    def send(n: int) -> None:
        start.wait()
        answers.append(app.upload(body, f"same-{n}.jpg"))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a.json()["status"] for a in answers)
    assert statuses == ["created", "duplicate", "duplicate", "duplicate"]
    assert len({a.json()["file"] for a in answers}) == 1
    assert len(list(app.root.rglob("same-*.jpg"))) == 1


def _cli(app: App, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "photonix", "upload", *args],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PHOTONIX_")},
            "PHOTONIX_SERVER": app.server.url,
            "PHOTONIX_TOKEN": app.token,
            "XDG_CACHE_HOME": str(home),
        },
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_photonix_upload_run_twice_sends_nothing_the_second_time(app: App, tmp_path: Path) -> None:
    source = tmp_path / "card"
    (source / "DCIM" / "100CANON").mkdir(parents=True)
    for name in ("Canon_40D.jpg", "Nikon_D70.jpg", "el_torcal_rocks.jpg"):
        shutil.copy(EXIF / name, source / "DCIM" / "100CANON" / name)
    shutil.copy(EXIF / "mongolels_rating.jpg", source / "top.jpg")
    (source / "notes.txt").write_text("not a photo")  # skipped, like a scan skips it
    (source / ".DS_Store").write_bytes(b"\x00")
    first = _cli(app, str(source), "--library", "Family", home=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "sent: 4" in first.stdout
    assert "failed: 0" in first.stdout
    for name in ("Canon_40D.jpg", "Nikon_D70.jpg", "top.jpg"):
        assert len(list((app.root / "uploads" / "alice").rglob(name))) == 1, name
    # The cwd holds no data directory or secret: the command is a client only.
    assert not (tmp_path / "data").exists()

    again = _cli(app, str(source), home=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "sent: 0 (0.0 MiB)" in again.stdout
    assert "skipped as duplicates: 4" in again.stdout


def test_photonix_upload_reports_what_failed_and_exits_non_zero(app: App, tmp_path: Path) -> None:
    source = tmp_path / "mixed"
    source.mkdir()
    (source / "fake.jpg").write_text("plain text in disguise")
    shutil.copy(EXIF / "date-priority-test.jpg", source / "good.jpg")
    done = _cli(app, str(source), str(tmp_path / "nowhere"), home=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "sent: 1" in done.stdout
    assert "failed: 2" in done.stdout
    assert "fake.jpg: HTTP 415: fake.jpg: not an image (content is plain text)" in done.stdout
    assert "nowhere: no such file or folder" in done.stdout
    bad_token = subprocess.run(
        [
            sys.executable,
            "-m",
            "photonix",
            "upload",
            str(source),
            "--server",
            app.server.url,
            "--token",
            "pnx_not-a-token",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert bad_token.returncode == 2
    assert "refused the token" in bad_token.stdout
