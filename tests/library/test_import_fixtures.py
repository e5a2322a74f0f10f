"""Import the fixture photo set end to end (scan, then record every file) and check each photo.

The ground truth is ``tests/fixtures/photos/manifest.json`` (real files from public sources).
Recording runs in this process here; ``tests/library/test_watch.py`` runs it on a real worker.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from photonix.library.export import export_rows
from photonix.library.models import Library, Photo, PhotoFile
from photonix.library.recording import file_record
from photonix.library.scanning import folder_scan
from photonix.library.services import library_add
from photonix.media.exiftool import ExifTool

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"
MANIFEST: list[dict[str, Any]] = json.loads((FIXTURES / "manifest.json").read_text())
GOOD = [e for e in MANIFEST if not e["file"].startswith("broken/")]
BROKEN = [e for e in MANIFEST if e["file"].startswith("broken/")]
# The manifest's own note says this one displays as 3024x4032 (EXIF 6, no container rotation);
# its pixels_displayed column kept the decoder's sideways size.
DISPLAYED = {"heic/iphone_7_exif6_no_irot.heic": [3024, 4032]}


@pytest.fixture(scope="module")
def exiftool() -> Iterator[ExifTool]:
    with ExifTool() as tool:
        yield tool


@pytest.fixture
def imported(tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks) -> Path:
    root = tmp_path / "photos"
    shutil.copytree(FIXTURES, root, ignore=shutil.ignore_patterns("*.json", "*.md"))
    _, (folder,) = library_add("Samples", [str(root)], scan=False)
    with django_capture_on_commit_callbacks(execute=False):
        folder_scan(folder)
    for file_id in PhotoFile.objects.filter(state="pending").values_list("pk", flat=True):
        file_record(file_id, exiftool)
    return root


@pytest.mark.django_db
def test_every_fixture_file_is_recorded(imported: Path) -> None:
    files = {Path(f.path).relative_to(imported).as_posix(): f for f in PhotoFile.objects.all()}
    assert set(files) == {e["file"] for e in MANIFEST}
    assert not PhotoFile.objects.filter(state="pending").exists()

    for entry in GOOD:
        file = files[entry["file"]]
        assert file.state == "ok", (entry["file"], file.error)
        assert file.photo is not None
        photo = file.photo
        assert photo.preferred_file_id == file.pk
        assert photo.taken_local is not None, "the date fallbacks end with the file's mtime"
        if entry["date_time_original"]:
            assert photo.taken_local.strftime("%Y:%m:%d %H:%M:%S") == entry["date_time_original"]
        if entry["gps"]:
            assert photo.latitude == pytest.approx(entry["gps"][0], abs=1e-5), entry["file"]
            assert photo.longitude == pytest.approx(entry["gps"][1], abs=1e-5), entry["file"]
        else:
            assert photo.latitude is None and photo.longitude is None
        if entry["camera"]:
            assert photo.camera is not None, entry["file"]
        if entry["pixels_displayed"] and entry["format"] not in ("DNG",):
            expected = DISPLAYED.get(entry["file"], entry["pixels_displayed"])
            assert [photo.width, photo.height] == expected, entry["file"]

    # Every broken file ends with a clear reason, or imported with what could be read.
    for entry in BROKEN:
        file = files[entry["file"]]
        assert file.state in ("ok", "failed"), entry["file"]
        if file.state == "failed":
            assert len(file.error) > 8, (entry["file"], file.error)
    assert files["broken/zero_bytes.jpg"].state == "failed"
    assert files["broken/zero_bytes.jpg"].error == "empty file (0 bytes)"
    assert files["broken/not_a_png.png"].state == "failed"
    assert files["broken/corrupted.heic"].state == "failed"
    mislabelled = files["broken/jpeg_named.heic"]
    assert mislabelled.state == "ok" and mislabelled.file_type == "JPEG"
    assert any("JPEG" in w for w in mislabelled.warnings)
    altitude = files["gps/altitude.jpg"]
    assert altitude.photo is not None and altitude.photo.altitude is None
    assert altitude.warnings


@pytest.mark.django_db
def test_recording_is_idempotent(imported: Path, exiftool: ExifTool) -> None:
    before = (Photo.objects.count(), PhotoFile.objects.count())
    states = dict(PhotoFile.objects.values_list("pk", "state"))
    for file_id in list(states):
        file_record(file_id, exiftool)
    assert (Photo.objects.count(), PhotoFile.objects.count()) == before
    assert dict(PhotoFile.objects.values_list("pk", "state")) == states


@pytest.mark.django_db
def test_export_rows(imported: Path) -> None:
    rows = {
        Path(r["path"]).relative_to(imported).as_posix(): r
        for r in export_rows(Library.objects.get(name="Samples"))
    }
    assert len(rows) == len(MANIFEST)
    iphone = rows["heic/iphone_7_exif6_no_irot.heic"]
    assert iphone["camera_make"] == "Apple" and iphone["camera_model"] == "iPhone 7"
    assert iphone["taken_at"].startswith("2018-09-10T12:16:13")
    assert (iphone["width"], iphone["height"]) == (3024, 4032)
    assert iphone["error"] is None and iphone["tags"] == [] and iphone["people"] == []
    assert rows["broken/zero_bytes.jpg"]["error"] == "empty file (0 bytes)"
    assert rows["broken/zero_bytes.jpg"]["taken_at"] is None
    assert set(iphone) >= {
        "path", "taken_at", "camera_make", "camera_model", "lens", "latitude", "longitude",
        "altitude", "width", "height", "rating", "tags", "people", "error",
    }  # fmt: skip
