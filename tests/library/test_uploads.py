"""Uploads through the HTTP API (Django's test client): where files go, de-duplication,
checksums, and every kind of bad input ending as a clear error with nothing left behind.

The running server, resumed tus uploads, two clients at once and the command line are in
``test_upload_live.py``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from photonix.core.models import User
from photonix.core.services import token_create
from photonix.library.importing import uploads
from photonix.library.models import Library, LibraryFolder, LibraryMember, PhotoFile, Upload

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PHOTOS = Path(__file__).resolve().parents[1] / "fixtures" / "photos"
CANON = PHOTOS / "jpeg-exif" / "Canon_40D.jpg"  # taken 2008-05-30
NIKON = PHOTOS / "jpeg-exif" / "Nikon_D70.jpg"  # taken 2008-03-15


def _user(name: str) -> User:
    return User.objects.create_user(username=name, password=PASSWORD)


def _client(user: User, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def owner() -> User:
    return _user("alice")


@pytest.fixture
def library(tmp_path: Path, owner: User) -> Library:
    root = tmp_path / "photos"
    root.mkdir()
    library = Library.objects.create(name="Family")
    LibraryMember.objects.create(library=library, user=owner, role=LibraryMember.Role.OWNER)
    LibraryFolder.objects.create(library=library, path=str(root))
    return library


def _root(library: Library) -> Path:
    return Path(library.folders.get().path) / "uploads"


def _upload(client: Client, library: Library, body: bytes, name: str, **query: str) -> Any:
    params = "&".join(f"{k}={v}" for k, v in {"filename": name, **query}.items())
    return client.post(
        f"/api/libraries/{library.pk}/upload?{params}",
        data=body,
        content_type="application/octet-stream",
    )


def _left_behind(library: Library) -> list[str]:
    """Files under the upload folder other than stored photos: partial files, temporaries."""
    incoming = _root(library) / uploads.INCOMING
    if not incoming.exists():
        return []
    return sorted(p.name for p in incoming.iterdir() if p.name != ".lock")


def test_an_upload_is_filed_by_user_and_date_taken_and_recorded_like_a_scanned_file(
    library: Library, owner: User
) -> None:
    body = CANON.read_bytes()
    response = _upload(_client(owner), library, body, "Canon_40D.jpg")
    assert response.status_code == 201, response.content
    data = response.json()
    stored = _root(library) / "alice" / "2008" / "05" / "Canon_40D.jpg"
    assert data["status"] == "created"
    assert data["path"] == str(stored)
    assert stored.read_bytes() == body
    file = PhotoFile.objects.get(pk=data["file"])
    # The row the watcher's path makes: pending, waiting for the record task.
    assert (file.path, file.state, file.library_id) == (str(stored), "pending", library.pk)
    assert file.content_hash == hashlib.sha256(body).hexdigest() == data["sha256"]
    assert _left_behind(library) == []


def test_the_same_content_again_is_not_stored_twice_and_names_the_file_it_already_is(
    library: Library, owner: User
) -> None:
    client = _client(owner)
    body = CANON.read_bytes()
    first = _upload(client, library, body, "Canon_40D.jpg").json()
    again = _upload(client, library, body, "renamed.jpg")
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["file"] == first["file"]
    assert PhotoFile.objects.count() == 1
    assert not (Path(first["path"]).parent / "renamed.jpg").exists()
    assert _left_behind(library) == []


def test_a_scanned_file_with_the_same_content_is_a_duplicate_too(
    library: Library, owner: User
) -> None:
    folder = library.folders.get()
    body = NIKON.read_bytes()
    scanned = PhotoFile.objects.create(
        library=library,
        folder=folder,
        path=f"{folder.path}/old/holiday.jpg",
        kind="photo",
        state="ok",
        size=len(body),
        mtime_ns=1,
        content_hash=hashlib.sha256(body).hexdigest(),
    )
    response = _upload(_client(owner), library, body, "Nikon_D70.jpg")
    assert response.status_code == 200
    assert response.json()["file"] == scanned.pk


def test_a_name_taken_by_other_content_gets_a_number_and_overwrites_nothing(
    library: Library, owner: User
) -> None:
    client = _client(owner)
    first = _upload(client, library, CANON.read_bytes(), "photo.jpg").json()
    # Another photo taken the same month under the same name.
    body = bytearray(CANON.read_bytes())
    body[-3] ^= 0xFF
    second = _upload(client, library, bytes(body), "photo.jpg").json()
    assert Path(second["path"]).name == "photo (1).jpg"
    assert Path(first["path"]).read_bytes() == CANON.read_bytes()
    assert Path(second["path"]).read_bytes() == bytes(body)


def test_a_file_without_a_date_goes_by_its_time_on_the_client(
    library: Library, owner: User
) -> None:
    png = PHOTOS / "png-webp-tiff"
    body = next(p for p in sorted(png.iterdir()) if p.suffix == ".png").read_bytes()
    modified = dt.datetime(2019, 11, 5, 12, tzinfo=dt.UTC)
    response = _upload(
        _client(owner), library, body, "scan.png", modified=str(int(modified.timestamp()))
    )
    assert response.status_code == 201, response.content
    stored = Path(response.json()["path"])
    assert stored.parent == _root(library) / "alice" / "2019" / "11"
    assert stored.stat().st_mtime == modified.timestamp()


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_a_matching_checksum_is_accepted_in_hex_or_base64(
    library: Library, owner: User, algorithm: str
) -> None:
    body = CANON.read_bytes()
    digest = hashlib.new(algorithm, body)
    client = _client(owner)
    hexed = _upload(client, library, body, "a.jpg", checksum=f"{algorithm}:{digest.hexdigest()}")
    assert hexed.status_code == 201, hexed.content
    b64 = base64.b64encode(digest.digest()).decode().replace("+", "%2B").replace("=", "%3D")
    again = _upload(client, library, body, "a.jpg", checksum=f"{algorithm}%20{b64}")
    assert again.status_code == 200, again.content


def test_a_wrong_checksum_stores_nothing(library: Library, owner: User) -> None:
    body = CANON.read_bytes()
    wrong = hashlib.sha256(b"something else").hexdigest()
    response = _upload(_client(owner), library, body, "a.jpg", checksum=f"sha256:{wrong}")
    assert response.status_code == 400
    assert response.json()["code"] == "checksum_mismatch"
    assert "does not match" in response.json()["detail"]
    assert PhotoFile.objects.count() == 0
    assert Upload.objects.count() == 0
    assert _left_behind(library) == []
    assert not (_root(library) / "alice").exists()


@pytest.mark.parametrize(
    ("name", "body", "status", "words"),
    [
        ("notes.jpg", b"just some text, not a photo\n" * 4, 415, "plain text"),
        ("doc.jpg", b"%PDF-1.4\n" + bytes(100), 415, "PDF document"),
        ("report.pdf", b"%PDF-1.4\n" + bytes(100), 415, "not a photo or RAW file name"),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(100), 415, "videos"),
        ("empty.jpg", b"", 400, "empty file"),
    ],
)
def test_what_is_not_a_photo_is_refused_with_what_it_is(
    library: Library, owner: User, name: str, body: bytes, status: int, words: str
) -> None:
    response = _upload(_client(owner), library, body, name)
    assert response.status_code == status, response.content
    assert words in str(response.json())
    assert PhotoFile.objects.count() == 0
    assert Upload.objects.count() == 0
    assert _left_behind(library) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("..%2F..%2Fescape.jpg", "without a folder"),
        ("a%2Fb.jpg", "without a folder"),
        ("a%5Cb.jpg", "without a folder"),
        ("..", "dot"),
        (".hidden.jpg", "dot"),
        ("a%00b.jpg", "NUL"),
        ("x" * 300 + ".jpg", "at most 255 bytes"),
        ("", "give the file's name"),
    ],
)
def test_names_that_could_escape_or_cannot_be_files_are_refused(
    library: Library, owner: User, name: str, words: str
) -> None:
    response = _upload(_client(owner), library, CANON.read_bytes(), name)
    assert response.status_code == 400, response.content
    assert words in response.json()["filename"][0]
    assert PhotoFile.objects.count() == 0
    assert not any(p.is_file() for p in Path(library.folders.get().path).rglob("*"))


def test_viewers_may_not_upload_and_non_members_do_not_see_the_library(
    library: Library,
) -> None:
    viewer, stranger = _user("victor"), _user("stranger")
    LibraryMember.objects.create(library=library, user=viewer, role=LibraryMember.Role.VIEWER)
    refused = _upload(_client(viewer), library, CANON.read_bytes(), "a.jpg")
    assert refused.status_code == 403
    assert "owners and editors" in refused.json()["detail"]
    assert _upload(_client(stranger), library, CANON.read_bytes(), "a.jpg").status_code == 404
    assert PhotoFile.objects.count() == 0


def test_an_editor_uploads_with_an_api_token(library: Library) -> None:
    editor = _user("eddie")
    LibraryMember.objects.create(library=library, user=editor, role=LibraryMember.Role.EDITOR)
    _, raw = token_create(editor, "cli")
    response = Client().post(
        f"/api/libraries/{library.pk}/upload?filename=a.jpg",
        data=CANON.read_bytes(),
        content_type="application/octet-stream",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    assert "/uploads/eddie/2008/05/" in response.json()["path"]


def test_a_session_needs_its_csrf_token(library: Library, owner: User) -> None:
    client = _client(owner, enforce_csrf_checks=True)
    response = _upload(client, library, CANON.read_bytes(), "a.jpg")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert PhotoFile.objects.count() == 0


def test_a_body_cut_short_stores_nothing(library: Library, owner: User) -> None:
    body = CANON.read_bytes()
    with pytest.raises(uploads.UploadError, match=r"cut off: 1000 of \d+ bytes"):
        uploads.upload_whole(
            owner,
            library,
            io.BytesIO(body[:1000]),
            length=len(body),
            filename="a.jpg",
            checksum=None,
            modified=None,
        )
    assert Upload.objects.count() == 0
    assert PhotoFile.objects.count() == 0
    assert _left_behind(library) == []


def test_the_size_limit_and_the_quota(library: Library, owner: User) -> None:
    client = _client(owner)
    body = CANON.read_bytes()
    with override_settings(PHOTONIX_UPLOAD_MAX_BYTES=len(body) - 1):
        too_big = _upload(client, library, body, "a.jpg")
    assert too_big.status_code == 413
    assert "limited to" in too_big.json()["detail"]
    with override_settings(PHOTONIX_UPLOAD_QUOTA_BYTES=len(body) + 100):
        assert _upload(client, library, body, "a.jpg").status_code == 201
        # A duplicate stores nothing: named by its checksum, it is not held to the quota.
        checksum = "sha256:" + hashlib.sha256(body).hexdigest()
        assert _upload(client, library, body, "b.jpg", checksum=checksum).status_code == 200
        over = _upload(client, library, NIKON.read_bytes(), "c.jpg")
    assert over.status_code == 413
    assert "quota" in over.json()["detail"]
    assert PhotoFile.objects.count() == 1
    assert _left_behind(library) == []


def test_the_check_says_which_checksums_the_library_has(library: Library, owner: User) -> None:
    client = _client(owner)
    stored = _upload(client, library, CANON.read_bytes(), "a.jpg").json()
    other = hashlib.sha256(b"not here").hexdigest()
    response = client.post(
        f"/api/libraries/{library.pk}/upload/check",
        {"checksums": [stored["sha256"].upper(), other]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"known": {stored["sha256"]: {"file": stored["file"], "photo": None}}}
    bad = client.post(
        f"/api/libraries/{library.pk}/upload/check",
        {"checksums": ["abc"]},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_owners_choose_the_upload_folder_inside_the_library(
    library: Library, owner: User, tmp_path: Path
) -> None:
    client = _client(owner)
    root = Path(library.folders.get().path)
    chosen = root / "phone" / "incoming"
    response = client.patch(
        f"/api/libraries/{library.pk}",
        {"upload_folder": str(chosen)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["upload_folder"] == str(chosen)
    stored = _upload(client, library, CANON.read_bytes(), "a.jpg").json()
    assert stored["path"] == str(chosen / "alice" / "2008" / "05" / "a.jpg")
    for outside in (str(tmp_path / "elsewhere"), str(root), "relative/path", str(root / ".x")):
        refused = client.patch(
            f"/api/libraries/{library.pk}",
            {"upload_folder": outside},
            content_type="application/json",
        )
        assert refused.status_code == 400, outside
        assert "upload_folder" in refused.json()


# --- tus ------------------------------------------------------------------------------------

TUS = {"Tus-Resumable": "1.0.0"}


def _meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _tus_create(client: Client, library: Library, length: int, **meta: str) -> Any:
    return client.post(
        "/api/uploads/tus",
        headers={
            **TUS,
            "Upload-Length": str(length),
            "Upload-Metadata": _meta(library=str(library.pk), **meta),
        },
    )


def _tus_patch(
    client: Client, url: str, offset: int, chunk: bytes, checksum: str | None = None
) -> Any:
    extra = {} if checksum is None else {"Upload-Checksum": checksum}
    return client.patch(
        url,
        data=chunk,
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": str(offset), **extra},
    )


def test_tus_upload_in_two_chunks_with_checksums(library: Library, owner: User) -> None:
    client = _client(owner)
    body = CANON.read_bytes()
    options = client.options("/api/uploads/tus")
    assert options.status_code == 204
    assert options["Tus-Version"] == "1.0.0"
    assert set(options["Tus-Extension"].split(",")) == {
        "creation",
        "checksum",
        "expiration",
        "termination",
    }
    assert "sha1" in options["Tus-Checksum-Algorithm"]
    created = _tus_create(
        client,
        library,
        len(body),
        filename="Canon_40D.jpg",
        checksum="sha256 " + hashlib.sha256(body).hexdigest(),
    )
    assert created.status_code == 201, created.content
    url = created["Location"]
    assert url.startswith("http://testserver/api/uploads/tus/")
    assert created["Upload-Expires"].endswith("GMT")
    half = len(body) // 2
    chunk_sum = base64.b64encode(hashlib.sha1(body[:half], usedforsecurity=False).digest()).decode()
    first = _tus_patch(client, url, 0, body[:half], checksum=f"sha1 {chunk_sum}")
    assert first.status_code == 204
    assert first["Upload-Offset"] == str(half)
    head = client.head(url, headers=TUS)
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (
        200,
        str(half),
        str(len(body)),
    )
    assert head["Cache-Control"] == "no-store"
    # A chunk whose checksum does not match is discarded: the offset stays.
    bad_sum = base64.b64encode(hashlib.sha1(b"other", usedforsecurity=False).digest()).decode()
    bad = _tus_patch(client, url, half, body[half:], checksum=f"sha1 {bad_sum}")
    assert bad.status_code == 460
    assert client.head(url, headers=TUS)["Upload-Offset"] == str(half)
    # Sending from the wrong offset is a conflict.
    assert _tus_patch(client, url, 0, body[half:]).status_code == 409
    last = _tus_patch(client, url, half, body[half:])
    assert last.status_code == 204, last.content
    assert last["Upload-Offset"] == str(len(body))
    assert last["Photonix-Upload-Status"] == "created"
    file = PhotoFile.objects.get(pk=int(last["Photonix-File-Id"]))
    assert Path(file.path).read_bytes() == body
    assert Path(file.path).parent == _root(library) / "alice" / "2008" / "05"
    assert _left_behind(library) == []


def test_tus_refusals(library: Library, owner: User) -> None:
    client = _client(owner)
    body = CANON.read_bytes()
    no_version = client.post(
        "/api/uploads/tus",
        headers={
            "Upload-Length": "10",
            "Upload-Metadata": _meta(library=str(library.pk), filename="a.jpg"),
        },
    )
    assert no_version.status_code == 412
    assert no_version["Tus-Version"] == "1.0.0"
    assert _tus_create(client, library, 0, filename="a.jpg").status_code == 400
    assert _tus_create(client, library, 10, filename="../a.jpg").status_code == 400
    assert _tus_create(client, library, 10, filename="a.txt").status_code == 415
    with override_settings(PHOTONIX_UPLOAD_MAX_BYTES=5):
        assert _tus_create(client, library, 10, filename="a.jpg").status_code == 413
    other = Library.objects.create(name="Not mine")
    refused = _tus_create(client, other, 10, filename="a.jpg")
    assert refused.status_code == 404
    # The whole file's checksum is checked when the last byte arrives.
    created = _tus_create(client, library, len(body), filename="a.jpg", checksum="sha1 " + "0" * 40)
    done = _tus_patch(client, created["Location"], 0, body)
    assert done.status_code == 460
    assert "does not match" in done.json()["detail"]
    assert client.head(created["Location"], headers=TUS).status_code == 404
    # Someone else's upload is not found.
    mine = _tus_create(client, library, len(body), filename="b.jpg")["Location"]
    stranger = _client(_user("stranger"))
    assert stranger.head(mine, headers=TUS).status_code == 404
    assert _tus_patch(stranger, mine, 0, body).status_code == 404
    assert PhotoFile.objects.count() == 0


def test_tus_termination_and_expiry_delete_the_partial_file(library: Library, owner: User) -> None:
    client = _client(owner)
    body = CANON.read_bytes()
    kept = _tus_create(client, library, len(body), filename="a.jpg")["Location"]
    dropped = _tus_create(client, library, len(body), filename="b.jpg")["Location"]
    _tus_patch(client, kept, 0, body[:100])
    _tus_patch(client, dropped, 0, body[:100])
    assert len(_left_behind(library)) == 2
    assert client.delete(dropped, headers=TUS).status_code == 204
    assert client.head(dropped, headers=TUS).status_code == 404
    assert len(_left_behind(library)) == 1
    Upload.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert uploads.uploads_expire() == 1
    assert Upload.objects.count() == 0
    assert _left_behind(library) == []


@pytest.fixture
def small_disk(library: Library) -> Iterator[Path]:
    """The upload folder on a 64 KiB tmpfs: a real full disk (root only, else skipped)."""
    root = _root(library)
    root.mkdir(parents=True)
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield root
    finally:
        subprocess.run([shutil.which("umount") or "umount", str(root)], check=True)


def test_a_full_disk_fails_cleanly_and_leaves_nothing(
    library: Library, owner: User, small_disk: Path
) -> None:
    body = (PHOTOS / "jpeg-exif" / "Nikon_D300_lens_data.jpeg").read_bytes() * 3  # > 64 KiB
    response = _upload(_client(owner), library, body, "big.jpg")
    assert response.status_code == 507, response.content
    assert "disk is full" in response.json()["detail"]
    assert PhotoFile.objects.count() == 0
    assert Upload.objects.count() == 0
    assert _left_behind(library) == []
    # And once there is room, the next upload goes through.
    assert _upload(_client(owner), library, CANON.read_bytes(), "a.jpg").status_code == 201
