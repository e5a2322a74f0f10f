"""The ``photonix`` command as scripts use it: real processes, the test database, a real worker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import Popen

import pytest
import redis
from django.utils import timezone

from photonix.core.models import User
from photonix.library.models import Library, LibraryMember, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.pipeline.debounce import FACES_RECLUSTER
from photonix.pipeline.models import PhotoPipeline

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent / "fixtures" / "photos"
EXPORT_FIELDS = {
    "path",
    "photo_id",
    "file_type",
    "taken_at",
    "camera_make",
    "camera_model",
    "lens",
    "latitude",
    "longitude",
    "altitude",
    "width",
    "height",
    "rating",
    "favourite",
    "archived",
    "trashed_at",
    "taken_source",
    "undated",
    "title",
    "edited",
    "tags",
    "people",
    "error",
    "state",
    "failures",
}


def photonix(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "photonix", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _photos(root: Path) -> Path:
    root.mkdir()
    shutil.copyfile(FIXTURES / "jpeg-exif" / "Canon_40D.jpg", root / "canon.jpg")
    (root / "trip").mkdir()
    shutil.copyfile(FIXTURES / "gps" / "DSCN0010.jpg", root / "trip" / "arezzo.jpg")
    (root / "zero.jpg").write_bytes(b"")
    (root / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)
    (root / "notes.txt").write_text("not a photo")
    return root


def test_library_add_wait_and_export(
    process_env: dict[str, str],
    clean_broker: str,
    spawn: Callable[..., Popen[bytes]],
    tmp_path: Path,
) -> None:
    User.objects.create_superuser("root", password="correct horse battery staple")
    root = _photos(tmp_path / "photos")
    spawn("worker", "--concurrency", "1", env=process_env)

    added = photonix("library", "add", "Holidays", str(root), env=process_env)
    assert added.returncode == 0, added.stderr
    assert str(root) in added.stdout and "Holidays" in added.stdout
    library = Library.objects.get(name="Holidays")
    assert library.members.get().user.username == "root"  # the administrators own it

    started = time.monotonic()
    waited = photonix("wait", "--timeout", "60", env=process_env, timeout=90)
    assert waited.returncode == 0, waited.stderr
    print(f"photonix wait returned after {time.monotonic() - started:.1f}s")  # noqa: T201
    # When wait says done, it is: every file found and recorded, every photo through the pipeline.
    assert dict(PhotoPipeline.objects.values_list("photo__files__path", "state")) == {
        str(root / "canon.jpg"): "processed",
        str(root / "trip" / "arezzo.jpg"): "processed",
    }
    states = dict(PhotoFile.objects.values_list("path", "state"))
    assert states == {
        str(root / "canon.jpg"): "ok",
        str(root / "trip" / "arezzo.jpg"): "ok",
        str(root / "zero.jpg"): "failed",
        str(root / "clip.mp4"): "unsupported",
    }

    exported = photonix("export", "--library", "holidays", env=process_env)  # any case
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [row["path"] for row in rows] == sorted(states)  # one per file, sorted by path
    for row in rows:
        assert set(row) == EXPORT_FIELDS, row  # fields are added here when export gains them
        assert row["people"] == []
        # The built-in classifiers tag what they can; each tag is a type, a name, a confidence.
        assert all(set(tag) == {"type", "name", "confidence"} for tag in row["tags"]), row
    by_name = {Path(row["path"]).name: row for row in rows}
    canon = by_name["canon.jpg"]
    assert (canon["camera_make"], canon["camera_model"]) == ("Canon", "EOS 40D")
    assert canon["taken_at"] == "2008-05-30T15:56:01"
    assert (canon["width"], canon["height"]) == (100, 68)
    assert canon["file_type"] == "JPEG" and canon["error"] is None
    assert isinstance(canon["photo_id"], int)
    arezzo = by_name["arezzo.jpg"]
    assert arezzo["latitude"] == pytest.approx(43.4674483, abs=1e-5)
    assert arezzo["longitude"] == pytest.approx(11.8851267, abs=1e-5)
    assert by_name["zero.jpg"]["error"] == "empty file (0 bytes)"
    assert by_name["zero.jpg"]["photo_id"] is None
    assert by_name["clip.mp4"]["error"] == "videos are not supported yet"
    # Where each file is in the pipeline, and what went wrong with it.
    assert {name: row["state"] for name, row in by_name.items()} == {
        "canon.jpg": "processed",
        "arezzo.jpg": "processed",
        "zero.jpg": "failed",
        "clip.mp4": "failed",
    }
    assert canon["failures"] == [] and arezzo["failures"] == []
    assert by_name["zero.jpg"]["failures"] == [{"stage": "import", "error": "empty file (0 bytes)"}]
    assert by_name["clip.mp4"]["failures"] == [
        {"stage": "import", "error": "videos are not supported yet"}
    ]

    out = tmp_path / "catalogue.jsonl"
    written = photonix("export", "--library", "Holidays", "--output", str(out), env=process_env)
    assert written.returncode == 0 and written.stdout == ""
    assert out.read_text(encoding="utf-8") == exported.stdout

    # A photo in the trash is left out, unless asked for.
    Photo.objects.filter(pk=canon["photo_id"]).update(trashed_at=timezone.now())
    without = photonix("export", "--library", "Holidays", env=process_env)
    assert str(root / "canon.jpg") not in without.stdout
    with_trash = photonix("export", "--library", "Holidays", "--include-trash", env=process_env)
    trashed = [json.loads(line) for line in with_trash.stdout.splitlines()]
    assert [r["trashed_at"] is not None for r in trashed if r["photo_id"] == canon["photo_id"]] == [
        True
    ]

    unknown = photonix("export", "--library", "Nope", env=process_env)
    assert unknown.returncode == 2
    assert unknown.stdout == "" and "no library named 'Nope'" in unknown.stderr


def test_library_add_refuses_a_bad_folder(process_env: dict[str, str], tmp_path: Path) -> None:
    result = photonix("library", "add", "Holidays", str(tmp_path / "nope"), env=process_env)
    assert result.returncode == 2
    assert "not a folder" in result.stderr and str(tmp_path / "nope") in result.stderr
    assert not Library.objects.exists()


def test_library_add_extends_a_library_without_changing_its_members(
    process_env: dict[str, str], clean_broker: str, tmp_path: Path
) -> None:
    """``library add`` with a library's name (whatever its case) adds the folders to it; who
    belongs to it, and as what, changes only in its member list (docs/adr/0007)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    admin = User.objects.create_superuser("root", password="x" * 12)
    library, _ = library_add("Holidays", [str(tmp_path / "a")], scan=False)
    LibraryMember.objects.filter(library=library, user=admin).update(role="viewer")
    result = photonix("library", "add", "holidays", str(tmp_path / "b"), env=process_env)
    assert result.returncode == 0, result.stderr
    assert f"Holidays: {tmp_path / 'b'} (watched)" in result.stdout
    assert sorted(library.folders.values_list("path", flat=True)) == [
        str(tmp_path / "a"),
        str(tmp_path / "b"),
    ]
    assert list(library.members.values_list("user__username", "role")) == [("root", "viewer")]


def test_wait_times_out_while_work_is_outstanding(
    process_env: dict[str, str], clean_broker: str, tmp_path: Path
) -> None:
    root = _photos(tmp_path / "photos")
    # No worker runs: the scan the library add starts stays queued.
    assert photonix("library", "add", "Holidays", str(root), env=process_env).returncode == 0
    result = photonix("wait", "--timeout", "0.5", env=process_env)  # gives up: no timeout here
    assert result.returncode == 1
    assert "timed out after 0.5s with work outstanding" in result.stderr
    assert "queued: import=1" in result.stderr


def test_wait_waits_for_photos_still_processing(
    process_env: dict[str, str], clean_broker: str, tmp_path: Path
) -> None:
    """The broker holds nothing, yet a photo is still processing (its canvas was lost, and the
    reconciliation has yet to send it again): the pipeline is not done, and wait says so."""
    library, _ = library_add("Holidays", [str(tmp_path)], scan=False)
    photo = Photo.objects.create(library=library)
    PhotoPipeline.objects.create(photo=photo, state="processing", touched_at=timezone.now())
    result = photonix("wait", "--timeout", "1", env=process_env)
    assert result.returncode == 1, result.stderr
    assert "queued: none; running or retrying: 0" in result.stderr
    assert "photos pending or processing: 1" in result.stderr

    PhotoPipeline.objects.filter(pk=photo.pk).update(state="failed")  # visibly failed: done
    result = photonix("wait", "--timeout", "30", env=process_env)
    assert result.returncode == 0, result.stderr


def test_wait_waits_for_people_still_to_be_grouped(
    process_env: dict[str, str], clean_broker: str, tmp_path: Path
) -> None:
    """A library's faces were stored and its re-clustering is pending: its timer is a countdown
    (a worker may hold it, or it waits between two timers), yet the pipeline is not done."""
    library, _ = library_add("Holidays", [str(tmp_path)], scan=False)
    FACES_RECLUSTER.request(library.pk)
    redis.Redis.from_url(clean_broker).delete("faces")  # not in the queue: held elsewhere
    result = photonix("wait", "--timeout", "1", env=process_env)
    assert result.returncode == 1, result.stderr
    assert "queued: none; running or retrying: 0" in result.stderr
    assert "libraries whose people are still to be grouped: 1" in result.stderr

    FACES_RECLUSTER.settle(library.pk, FACES_RECLUSTER.seen(library.pk))  # grouped: done
    result = photonix("wait", "--timeout", "30", env=process_env)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    env = {"PHOTONIX_PRODUCTION": "true", "PHOTONIX_DATA_DIR": str(tmp_path)}
    result = photonix("manage", "check", env=env)
    assert result.returncode != 0
    assert "PHOTONIX_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr  # a message for a person, not a crash


def test_status_prints_where_flower_is_and_its_login(tmp_path: Path) -> None:
    env = {"PHOTONIX_DATA_DIR": str(tmp_path), "PHOTONIX_FLOWER_PORT": "5599"}
    result = photonix("status", "--timeout", "0.5", env=env)
    assert "Traceback" not in result.stderr, result.stderr
    user, _, password = (tmp_path / "flower-login").read_text().strip().partition(":")
    assert f"flower    http://127.0.0.1:5599/ (user {user}, password {password}" in result.stdout
    # The machine-readable report stays the health report alone.
    report = json.loads(photonix("status", "--json", "--timeout", "0.5", env=env).stdout)
    assert set(report) == {"status", "version", "components", "versions"}
