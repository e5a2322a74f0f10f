"""A person's edits stick and travel: kept when files are recorded again, written to XMP sidecars.

Real files and a real exiftool, on SQLite and PostgreSQL. Scanning and recording run in this
process; what the services send after commit (recording, the sidecar writes) is captured, and
the sidecar write is run here through the task's service, as the ``write_edits`` task runs it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from photonix.library.browse.edits import photo_update, photo_write_edits, photos_edit_facts
from photonix.library.importing.recording import file_record
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.exiftool import ExifTool
from photonix.pipeline import services as pipeline_services
from tests.library import photos as make

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"
PARIS = dt.timezone(dt.timedelta(hours=2))


def _copy(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


def _import(folder: LibraryFolder, capture: Any, exiftool: ExifTool) -> list[int]:
    """Scan the folder and record what the scan found new or changed; the recorded file ids."""
    with capture(execute=False):
        folder_scan(folder)
    ids = list(
        PhotoFile.objects.filter(state=PhotoFile.State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for file_id in ids:
        with capture(execute=False):
            file_record(file_id, exiftool)
    return ids


def _touch(path: Path) -> None:
    """Change a file's modification time, surely, so the next scan records it again."""
    mtime = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(mtime, mtime))


def _library(tmp_path: Path, capture: Any, exiftool: ExifTool, source: Path) -> tuple[Any, Path]:
    photo_path = _copy(source, tmp_path / "lib" / "photo.jpg")
    _, (folder,) = library_add("Edits", [str(tmp_path / "lib")], scan=False)
    _import(folder, capture, exiftool)
    return folder, photo_path


def _sidecar_tags(exiftool: ExifTool, path: Path) -> dict[str, Any]:
    (dump,) = exiftool.read([path])
    return dump


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder nobody may create files in, root included (the tests may run as root, whom
    file modes do not stop: the folder is then made immutable)."""
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        done = subprocess.run(["chattr", "+i", str(folder)], check=False, capture_output=True)
        if done.returncode != 0:
            folder.chmod(0o755)
            pytest.skip(f"cannot make a folder read-only for root here: {done.stderr!r}")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_a_date_and_place_edit_lands_in_the_sidecar_and_survives_reprocess_all(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    folder, photo_path = _library(
        tmp_path, django_capture_on_commit_callbacks, exiftool, FIXTURES / "gps" / "DSCN0010.jpg"
    )
    original = photo_path.read_bytes()
    photo = Photo.objects.get()
    assert photo.taken_source == "exif:DateTimeOriginal" and photo.latitude is not None

    with django_capture_on_commit_callbacks(execute=False) as sent:
        photo_update(
            photo,
            {
                "taken_at": dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=PARIS),
                "location": (48.8584, 2.2945, 35.0),
            },
        )
    assert len(sent) == 1  # the sidecar write, after commit
    assert photo_write_edits(photo.pk, exiftool) == ""

    sidecar = photo_path.with_name("photo.jpg.xmp")
    tags = _sidecar_tags(exiftool, sidecar)
    assert tags["XMP-exif:DateTimeOriginal"] == "2020:01:02 03:04:05+02:00"
    assert tags["XMP-exif:GPSLatitude"] == pytest.approx(48.8584)
    assert tags["XMP-exif:GPSLongitude"] == pytest.approx(2.2945)
    assert photo_path.read_bytes() == original  # never into the original by default

    def facts() -> tuple[Any, ...]:
        photo.refresh_from_db()
        return (
            photo.taken_at,
            photo.taken_source,
            photo.latitude,
            photo.longitude,
            photo.altitude,
            sorted(photo.edited),
        )

    edited = (
        dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=PARIS),
        "person",
        48.8584,
        2.2945,
        35.0,
        ["location", "taken"],
    )
    assert facts() == edited
    # Photonix's own write is not taken for someone else's change of the sidecar.
    with django_capture_on_commit_callbacks(execute=False):
        assert folder_scan(folder).changed == 0

    # "Reprocess all", and the file read again (its time changed): the edit stays.
    with django_capture_on_commit_callbacks(execute=False):
        pipeline_services.reprocess()
    _touch(photo_path)
    assert len(_import(folder, django_capture_on_commit_callbacks, exiftool)) == 1
    assert facts() == edited


def test_a_sidecar_made_by_exiftool_before_import_wins(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    photo_path = _copy(FIXTURES / "gps" / "DSCN0010.jpg", tmp_path / "lib" / "photo.jpg")
    sidecar = tmp_path / "lib" / "photo.jpg.xmp"
    _, err = exiftool.execute(
        [
            "-XMP-exif:DateTimeOriginal=2015:07:14 21:30:00-04:00",
            "-XMP-exif:GPSLatitude=40.6892",
            "-XMP-exif:GPSLongitude=-74.0445",
            "-XMP-xmp:Rating=5",
            "-XMP-dc:Title=Fireworks",
            "-XMP-dc:Description=From the ferry",
            "-XMP-dc:Subject=holiday",
            str(sidecar),
        ]
    )
    assert sidecar.is_file(), err
    _, (folder,) = library_add("Edits", [str(tmp_path / "lib")], scan=False)
    _import(folder, django_capture_on_commit_callbacks, exiftool)

    photo = Photo.objects.get()
    assert photo.taken_at == dt.datetime(
        2015, 7, 14, 21, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4))
    )
    assert photo.taken_source == "sidecar"
    assert (photo.latitude, photo.longitude) == (40.6892, -74.0445)  # not the file's own GPS
    assert (photo.rating, photo.title, photo.description) == (5, "Fireworks", "From the ferry")
    assert photo.keywords == ["holiday"]
    assert photo.edited == []  # read from a file: not a person's edit in Photonix
    assert photo_path.is_file()


def test_another_program_editing_the_sidecar_afterwards_wins(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    folder, photo_path = _library(
        tmp_path, django_capture_on_commit_callbacks, exiftool, FIXTURES / "gps" / "DSCN0010.jpg"
    )
    photo = Photo.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        photo_update(photo, {"taken_at": dt.datetime(2020, 1, 2, 3, 4, 5), "rating": 3})
    assert photo_write_edits(photo.pk, exiftool) == ""
    sidecar = photo_path.with_name("photo.jpg.xmp")
    exiftool.execute(
        ["-overwrite_original", "-XMP-exif:DateTimeOriginal=2021:05:06 07:08:09", str(sidecar)]
    )
    _touch(sidecar)
    assert len(_import(folder, django_capture_on_commit_callbacks, exiftool)) == 1
    photo.refresh_from_db()
    assert photo.taken_at == dt.datetime(2021, 5, 6, 7, 8, 9)
    assert photo.taken_source == "sidecar"
    assert photo.rating == 3  # still in the sidecar, where Photonix wrote it
    assert photo.edited == []


def test_moving_a_file_with_its_sidecar_keeps_everything(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    folder, photo_path = _library(
        tmp_path, django_capture_on_commit_callbacks, exiftool, FIXTURES / "gps" / "DSCN0010.jpg"
    )
    photo = Photo.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        photo_update(photo, {"title": "Lighthouse", "location": (43.0, 5.0, None)})
    assert photo_write_edits(photo.pk, exiftool) == ""
    moved = tmp_path / "lib" / "2020" / "photo.jpg"
    moved.parent.mkdir()
    photo_path.rename(moved)
    photo_path.with_name("photo.jpg.xmp").rename(moved.with_name("photo.jpg.xmp"))
    _import(folder, django_capture_on_commit_callbacks, exiftool)

    (file,) = PhotoFile.objects.exclude(state=PhotoFile.State.MISSING)
    assert file.path == str(moved) and file.photo_id == photo.pk
    photo.refresh_from_db()
    assert (photo.title, photo.latitude, photo.longitude) == ("Lighthouse", 43.0, 5.0)
    assert sorted(photo.edited) == ["location", "title"]


def test_a_malformed_sidecar_is_ignored_at_import_and_left_alone_by_an_edit(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    broken = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
    sidecar = tmp_path / "lib" / "photo.jpg.xmp"
    sidecar.parent.mkdir(parents=True)
    sidecar.write_text(broken, encoding="utf-8")
    _, photo_path = _library(
        tmp_path, django_capture_on_commit_callbacks, exiftool, FIXTURES / "gps" / "DSCN0010.jpg"
    )
    file = PhotoFile.objects.get()
    assert file.state == "ok"
    assert any("photo.jpg.xmp is not well-formed XMP" in w for w in file.warnings)
    photo = Photo.objects.get()
    assert photo.taken_source == "exif:DateTimeOriginal"  # the file's own facts

    with django_capture_on_commit_callbacks(execute=False):
        photo_update(photo, {"taken_at": dt.datetime(2019, 9, 9, 9, 9, 9)})
    error = photo_write_edits(photo.pk, exiftool)
    assert "photo.jpg.xmp" in error
    assert sidecar.read_text(encoding="utf-8") == broken  # nothing overwritten
    photo.refresh_from_db()
    assert photo.sidecar_error == error
    assert photo.taken_at == dt.datetime(2019, 9, 9, 9, 9, 9)  # the edit is kept
    assert photo_path.is_file()


def test_a_sidecar_that_describes_another_file_is_ignored(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    sidecar = tmp_path / "lib" / "photo.xmp"
    sidecar.parent.mkdir(parents=True)
    exiftool.execute(["-XMP-crs:RawFileName=photo.CR2", "-XMP-xmp:Rating=5", str(sidecar)])
    _library(
        tmp_path, django_capture_on_commit_callbacks, exiftool, FIXTURES / "gps" / "DSCN0010.jpg"
    )
    file = PhotoFile.objects.get()
    assert any("describes photo.CR2, not this file" in w for w in file.warnings)
    assert Photo.objects.get().rating != 5  # the file's own


def test_a_read_only_folder_keeps_the_edit_and_says_why(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    _, photo_path = _library(
        tmp_path, django_capture_on_commit_callbacks, exiftool, FIXTURES / "gps" / "DSCN0010.jpg"
    )
    photo = Photo.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        photo_update(photo, {"taken_shift": 60, "taken_offset": 60})
    with read_only(photo_path.parent):
        error = photo_write_edits(photo.pk, exiftool)
    assert error.startswith("could not write photo.jpg.xmp")
    photo.refresh_from_db()
    assert photo.sidecar_error == error and photo.edited == ["taken"]
    assert not photo_path.with_name("photo.jpg.xmp").exists()
    # Writable again: the next write succeeds and clears the error.
    assert photo_write_edits(photo.pk, exiftool) == ""
    photo.refresh_from_db()
    assert photo.sidecar_error == ""


def test_a_selection_shifted_in_time_and_placed_like_another_photo(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    for name in ("DSCN0010.jpg", "DSCN0012.jpg"):
        _copy(FIXTURES / "gps" / name, tmp_path / "lib" / name)
    _, (folder,) = library_add("Trip", [str(tmp_path / "lib")], scan=False)
    _import(folder, django_capture_on_commit_callbacks, exiftool)
    before = {p.pk: p.taken_at for p in Photo.objects.all()}
    with django_capture_on_commit_callbacks(execute=False) as sent:
        changed = photos_edit_facts(
            Photo.objects.all(), {"taken_shift": -90, "location": (35.6586, 139.7454, None)}
        )
    assert changed == 2 and len(sent) == 1
    for photo in Photo.objects.all():
        old = before[photo.pk]
        assert old is not None and photo.taken_at == old - dt.timedelta(minutes=90)
        assert (photo.latitude, photo.longitude) == (35.6586, 139.7454)
        assert photo_write_edits(photo.pk, exiftool) == ""


def test_a_library_that_writes_originals_puts_the_edits_into_the_file(
    tmp_path: Path,
    exiftool: ExifTool,
    django_capture_on_commit_callbacks: Any,
    admin_user: Any,
) -> None:
    folder, photo_path = _library(
        tmp_path, django_capture_on_commit_callbacks, exiftool, FIXTURES / "gps" / "DSCN0010.jpg"
    )
    client = make.client_for(admin_user)
    response = client.patch(
        f"/api/libraries/{folder.library_id}",
        {"write_originals": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["write_originals"] is True
    photo = Photo.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        photo_update(photo, {"taken_at": dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=PARIS)})
    assert photo_write_edits(photo.pk, exiftool) == ""
    assert not photo_path.with_name("photo.jpg.xmp").exists()
    tags = _sidecar_tags(exiftool, photo_path)
    assert tags["ExifIFD:DateTimeOriginal"] == "2001:02:03 04:05:06"
    assert tags["ExifIFD:OffsetTimeOriginal"] == "+02:00"
    # Read again (its content changed): the file now says what the person set.
    _import(folder, django_capture_on_commit_callbacks, exiftool)
    photo.refresh_from_db()
    assert photo.taken_at == dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=PARIS)
