"""Exact copies of a file (same content, any name or folder) are one photo with several files.

Scanning and recording run in this process with a real exiftool, on real files; the recording
tasks that scans enqueue after commit are captured and the pending files recorded here.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from photonix.library.importing.recording import file_record
from photonix.library.importing.scanning import folder_scan
from photonix.library.importing.services import path_deleted
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.exiftool import ExifTool

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"
DOG = FIXTURES / "jpeg-exif" / "Canon_40D.jpg"
OTHER = FIXTURES / "jpeg-exif" / "Nikon_D70.jpg"


def _copy(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


def _scan(folder: LibraryFolder, capture) -> None:
    with capture(execute=False):
        folder_scan(folder)


def _record_pending(exiftool: ExifTool) -> None:
    for file_id in PhotoFile.objects.filter(state=PhotoFile.State.PENDING).values_list(
        "pk", flat=True
    ):
        file_record(file_id, exiftool)


def _files() -> dict[str, PhotoFile]:
    return {str(Path(f.path).relative_to(f.folder.path)): f for f in PhotoFile.objects.all()}


def test_copies_in_two_folders_are_one_photo_listing_both_files(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks, admin_client
) -> None:
    _copy(DOG, tmp_path / "2014" / "dog.jpg")
    _copy(DOG, tmp_path / "backup" / "phone" / "IMG_0042.JPG")
    _copy(OTHER, tmp_path / "2014" / "other.jpg")
    _, (folder,) = library_add("Copies", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    _record_pending(exiftool)

    files = _files()
    assert {f.state for f in files.values()} == {"ok"}
    dog, copy = files["2014/dog.jpg"], files["backup/phone/IMG_0042.JPG"]
    assert dog.photo_id == copy.photo_id is not None
    assert files["2014/other.jpg"].photo_id != dog.photo_id
    assert Photo.objects.count() == 2

    body = admin_client.get(f"/api/photos/{dog.photo_id}").json()
    assert sorted(Path(f["path"]).name for f in body["files"]) == ["IMG_0042.JPG", "dog.jpg"]
    assert sorted(f["preferred"] for f in body["files"]) == [False, True]
    # The timeline shows the photo once.
    timeline = admin_client.get("/api/photos").json()
    ids = [item["id"] for item in timeline["results"]]
    assert set(ids) == {dog.photo_id, files["2014/other.jpg"].photo_id} and len(ids) == 2


def test_a_copy_recorded_again_stays_with_its_photo(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks
) -> None:
    _copy(DOG, tmp_path / "a" / "dog.jpg")
    _copy(DOG, tmp_path / "b" / "dog.jpg")
    _, (folder,) = library_add("Again", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    _record_pending(exiftool)
    for file in PhotoFile.objects.all():  # idempotent: recording twice changes nothing
        file_record(file.pk, exiftool)
    assert Photo.objects.count() == 1
    assert PhotoFile.objects.filter(state="ok").count() == 2


def test_a_copy_whose_content_changes_leaves_for_a_photo_of_its_own(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks
) -> None:
    _copy(DOG, tmp_path / "a" / "dog.jpg")
    _copy(DOG, tmp_path / "b" / "dog.jpg")
    _, (folder,) = library_add("Edited", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    _record_pending(exiftool)
    (photo,) = Photo.objects.all()
    preferred = photo.preferred_file
    assert preferred is not None
    edited = Path(preferred.path)  # the preferred copy, so the photo must switch to the other

    _copy(OTHER, edited)  # someone edited one copy in place
    file_record(preferred.pk, exiftool)

    files = _files()
    a, b = files["a/dog.jpg"], files["b/dog.jpg"]
    assert a.photo_id != b.photo_id
    assert Photo.objects.count() == 2
    photo.refresh_from_db()
    left = b if preferred.pk == a.pk else a
    assert photo.preferred_file_id == left.pk  # the photo keeps the untouched copy
    assert PhotoFile.objects.get(pk=preferred.pk).photo_id != photo.pk


def test_deleting_the_preferred_copy_shows_the_photo_from_the_other(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks
) -> None:
    _copy(DOG, tmp_path / "a" / "dog.jpg")
    _copy(DOG, tmp_path / "b" / "dog.jpg")
    _, (folder,) = library_add("Deleted", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    _record_pending(exiftool)
    (photo,) = Photo.objects.all()
    preferred = photo.preferred_file
    assert preferred is not None
    Path(preferred.path).unlink()
    path_deleted(preferred.path)

    photo.refresh_from_db()
    assert photo.preferred_file_id != preferred.pk
    assert photo.preferred_file is not None and Path(photo.preferred_file.path).exists()
    assert PhotoFile.objects.get(pk=preferred.pk).state == "missing"


@pytest.mark.django_db(transaction=True)
def test_two_copies_recorded_at_once_make_one_photo(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    """Two workers record two copies at the same moment: one photo, not two."""
    for n in range(6):
        _copy(DOG, tmp_path / f"c{n}" / "dog.jpg")
    _, (folder,) = library_add("Race", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    ids = list(PhotoFile.objects.order_by("pk").values_list("pk", flat=True))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def record(part: list[int]) -> None:
        try:
            with ExifTool() as tool:
                barrier.wait()
                for file_id in part:
                    file_record(file_id, tool)
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(ids[n::2],)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert PhotoFile.objects.filter(state="ok").count() == 6
    assert Photo.objects.count() == 1, connection.vendor
