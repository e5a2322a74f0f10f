"""Import the sample photos end to end (scan, then record every file) and check every fact.

The ground truth is the fixture set's ``manifest.json`` (real files from public sources; every
file it lists and every field it records is checked here, through the database rows the import
leaves), completed by the facts its source table (the sample set's ``MANIFEST.md``) gives only in
words: lens, exposure, and the time-zone offset of the date taken (:data:`WORDS`).

``PHOTONIX_SAMPLE_PHOTOS=../shared/sample-photos`` runs the same checks on the whole sample set
instead of the copy in ``tests/fixtures/photos``. Recording runs in this process here;
``tests/library/test_watch.py`` runs it on a real worker.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from photonix.library.browse.export import export_rows
from photonix.library.importing.recording import file_record
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import Library, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.exiftool import ExifTool

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"
SAMPLES = Path(os.environ.get("PHOTONIX_SAMPLE_PHOTOS") or FIXTURES)
MANIFEST: list[dict[str, Any]] = json.loads((SAMPLES / "manifest.json").read_text())
IDS = [e["file"] for e in MANIFEST]
GOOD = [e for e in MANIFEST if not e["file"].startswith("broken/")]
BROKEN = [e for e in MANIFEST if e["file"].startswith("broken/")]

# What MANIFEST.md states in words ("DateTimeOriginal 2023:10:22 09:39:48 +02:00; lens "…";
# 1/9804s f/1.6 ISO 32 4.2 mm"). ``offset`` in minutes east of UTC.
WORDS: dict[str, dict[str, Any]] = {
    "jpeg-exif/Canon_40D.jpg": {"exposure": "1/160", "aperture": 7.1, "iso": 100, "focal": 135.0},
    "jpeg-exif/Nikon_D70.jpg": {
        "lens": "100.0 mm f/2.8",
        "exposure": "1/200",
        "aperture": 9.0,
        "iso": 200,
        "focal": 100.0,
    },
    "jpeg-exif/Pentax_K10D.jpg": {"exposure": "1/180", "aperture": 11.0, "iso": 200, "focal": 90.0},
    "jpeg-exif/Panasonic_DMC-FZ30.jpg": {
        "exposure": "1/30",
        "aperture": 3.2,
        "iso": 100,
        "focal": 14.1,
    },
    "jpeg-exif/Nikon_D300_lens_data.jpeg": {
        "exposure": "1/500",
        "aperture": 5.6,
        "iso": 200,
        "focal": 105.0,
    },
    "jpeg-exif/Sony_DSLR-A200.jpg": {
        "exposure": "1/60",
        "aperture": 5.6,
        "iso": 400,
        "focal": 26.0,
    },
    "jpeg-exif/Canon_EOS_1300D_fullres.jpg": {
        "lens": "EF-S18-55mm f/3.5-5.6 III",
        "exposure": "1/160",
        "aperture": 10.0,
        "iso": 400,
        "focal": 36.0,
    },
    "jpeg-exif/Jolla_phone.jpg": {"exposure": "1/25", "aperture": 2.4, "iso": 320, "focal": 4.0},
    "jpeg-exif/Nokia_8.3_5G_phone.jpg": {
        "offset": 180,
        "exposure": "1/1848",
        "aperture": 2.2,
        "iso": 100,
        "focal": 2.75,
    },
    "jpeg-exif/el_torcal_rocks.jpg": {
        "exposure": "1/160",
        "aperture": 11.0,
        "iso": 200,
        "focal": 75.0,
    },
    "jpeg-exif/mongolels_rating.jpg": {
        "exposure": "1/250",
        "aperture": 11.0,
        "iso": 200,
        "focal": 40.0,
    },
    "gps/DSCN0010.jpg": {"exposure": "1/75", "aperture": 5.9, "iso": 64, "focal": 24.0},
    "gps/DSCN0012.jpg": {"exposure": "1/178", "aperture": 4.5, "iso": 64, "focal": 6.0},
    "gps/DSCN0021.jpg": {"exposure": "1/96", "aperture": 4.7, "iso": 64, "focal": 16.6},
    "gps/empty_gps.jpg": {"exposure": "1/40", "aperture": 1.8, "iso": 234, "focal": 5.53},
    "gps/png_with_exif_and_gps.png": {
        "exposure": "1/500",
        "aperture": 4.9,
        "iso": 100,
        "focal": 21.3,
    },
    "gps/altitude.jpg": {"exposure": "1/4132", "aperture": 2.0, "iso": 107, "focal": 3.5},
    "heic/IMG_2682_iphone7.heic": {
        "lens": "iPhone 7 back camera 3.99mm f/1.8",
        "exposure": "1/887",
        "aperture": 1.8,
        "iso": 20,
        "focal": 3.99,
    },
    "heic/IMG_5195_iphone11promax.HEIC": {
        "offset": -300,
        "lens": "iPhone 11 Pro Max back triple camera 4.25mm f/1.8",
        "exposure": "1/391",
        "aperture": 1.8,
        "iso": 32,
        "focal": 4.25,
    },
    "heic/iphone_13_pro_max.HEIC": {
        "offset": 60,
        "lens": "iPhone 13 Pro Max back triple camera 5.7mm f/1.5",
        "exposure": "1/60",
        "aperture": 1.5,
        "iso": 250,
        "focal": 5.7,
    },
    "heic/sony_a7siii_10bit_422_cat.hif": {
        "offset": -300,
        "lens": "FE 24-70mm F2.8 GM",
        "exposure": "1/200",
        "aperture": 3.2,
        "iso": 80,
        "focal": 48.0,
    },
    "heic/iphone_7_exif6_no_irot.heic": {
        "lens": "iPhone 7 back camera 3.99mm f/1.8",
        "exposure": "1/4000",
        "aperture": 1.8,
        "iso": 20,
        "focal": 3.99,
    },
    "heic/xiaomi.heic": {"exposure": "1/50", "aperture": 2.4, "iso": 62, "focal": 4.03},
    "raw/canon_eos_6d.dng": {
        "lens": "EF24-105mm f/4L IS USM",
        "exposure": "1/60",
        "aperture": 5.6,
        "iso": 1000,
        "focal": 65.0,
    },
    "png-webp-tiff/denali.webp": {
        "lens": "EF28-80mm f/3.5-5.6 USM",
        "exposure": "1/400",
        "aperture": 11.0,
        "iso": 200,
        "focal": 60.0,
    },
    "png-webp-tiff/flower_exif.webp": {"exposure": "1/500", "aperture": 4.9, "focal": 21.31},
    "png-webp-tiff/olympus_C7070WZ_pc260001.tif": {
        "exposure": "1/80",
        "aperture": 5.6,
        "iso": 200,
        "focal": 17.8,
    },
    "png-webp-tiff/canon_6d_gps_16bit.tif": {
        "lens": "EF24-105mm f/4L IS USM",
        "exposure": "1/250",
        "aperture": 8.0,
        "iso": 100,
        "focal": 24.0,
    },
    "png-webp-tiff/olympus_mountains.avif": {
        "lens": "LEICA DG SUMMILUX 25/F1.4",
        "exposure": "1/1000",
        "aperture": 5.0,
        "iso": 200,
        "focal": 25.0,
    },
    "faces-objects/dog_bicycle_truck.jpg": {
        "exposure": "1/80",
        "aperture": 4.0,
        "iso": 250,
        "focal": 6.0,
    },
    "faces-objects/person_dog_horse.jpg": {
        "exposure": "1/160",
        "aperture": 14.0,
        "iso": 200,
        "focal": 50.0,
    },
    "faces-objects/classic_car.heic": {
        "offset": 120,
        "lens": "iPhone 12 Pro back triple camera 4.2mm f/1.6",
        "exposure": "1/9804",
        "aperture": 1.6,
        "iso": 32,
        "focal": 4.2,
    },
    "broken/jpeg_named.heic": {
        "lens": "EF100mm f/2.8L Macro IS USM",
        "exposure": "1/80",
        "aperture": 4.5,
        "iso": 500,
        "focal": 100.0,
    },
    "broken/jpeg_named.png": {
        "lens": "iPhone SE back camera 4.15mm f/2.2",
        "exposure": "1/3205",
        "iso": 25,
        "focal": 4.2,
    },
    "broken/broken_gps_ifd.jpg": {"exposure": "1/250", "aperture": 8.0, "iso": 100, "focal": 17.0},
    "broken/stub_canon_350d.cr2": {"exposure": "1/15", "aperture": 8.0, "iso": 400, "focal": 55.0},
    "broken/truncated_sony_a7iii.ARW": {"offset": 120, "exposure": "1/400", "iso": 6400},
    "broken/nikon_z9_unsupported_compression.dng": {
        "offset": 180,
        "lens": "NIKKOR Z 85mm f/1.2 S",
        "exposure": "30",
        "aperture": 1.2,
        "iso": 65535,
        "focal": 85.0,
    },
}
# Offsets the file states elsewhere than OffsetTimeOriginal, or that its GPS time implies (see
# docs/metadata.md); MANIFEST.md lists only OffsetTimeOriginal. Every other file has none
# (a naive date), except those dated by their modification time, an instant in UTC.
OTHER_OFFSETS = {
    "jpeg-exif/Nikon_D70.jpg": -240,  # XMP exif:DateTimeOriginal 2008:03:15 09:52:01-04:00
    "jpeg-exif/Pentax_K10D.jpg": 540,  # XMP exif:DateTimeOriginal 2008:05:04 16:47:24+09:00
    "gps/thompson-springs.jpg": -240,  # IPTC DateCreated 2022:01:10 15:15:44-04:00
    "gps/altitude.jpg": 180,  # 14:54:05 on the camera, GPS 11:54:03 UTC
    "broken/broken_gps_ifd.jpg": 60,  # XMP exif:DateTimeOriginal 2007:08:15 10:13:13+01:00
    "broken/invalid_exif_image01137.jpg": 120,  # XMP xmp:CreateDate 2009:09:14 11:08:06+02:00
    # 05:20:30 on the camera, GPS 03:20:18 UTC: the camera's clock was two hours ahead of UTC
    # (not on Réunion time, +04:00), so this offset is the one that makes the instant right.
    "png-webp-tiff/canon_6d_gps_16bit.tif": 120,
    # Only in the whole sample set (PHOTONIX_SAMPLE_PHOTOS):
    "jpeg-exif/Jolla_phone.jpg": 120,  # XMP exif:DateTimeOriginal 2014:09:21 16:00:56+02:00
    "heic/IMG_2682_iphone7.heic": -300,  # 11:04:22, GPS 16:04:21 UTC (Omaha in March: CDT)
    "heic/xiaomi.heic": 180,  # 19:44:18, GPS 16:43:45 UTC (Rostov-on-Don: +03:00)
}
# Files without a DateTimeOriginal: the source that wins, and its wall-clock time.
OTHER_DATES = {
    "gps/thompson-springs.jpg": ("xmp:DateTimeOriginal", "2022:01:10 15:15:44"),
    "png-webp-tiff/DudleyLeavittUtah.tiff": ("exif:ModifyDate", "2009:09:26 01:11:52"),
    "broken/bad_date.jpg": ("exif:CreateDate", "2000:01:01 00:00:00"),
    "broken/invalid_utf8.jpg": ("exif:CreateDate", "2000:01:01 00:00:00"),
    "broken/invalid_exif_image01137.jpg": ("xmp:CreateDate", "2009:09:14 11:08:06"),
    "faces-objects/chelsea_cat.png": ("xmp:DateTimeOriginal", "2009:02:09 09:11:30"),
    "raw/Nikon_COOLSCAN_IV_scan.nef": ("exif:ModifyDate", "2021:01:11 11:18:19"),  # dots
}
# The manifest describes what exiftool cannot name: LibRaw knows it by its size alone.
FILE_TYPES = {"headerless raw": ""}
RATINGS = {"jpeg-exif/mongolels_rating.jpg": 3}  # "XMP Rating present": xmp:Rating 3
# HEIFs whose container (irot) already turns the pixels upright: nothing is left to apply.
ORIENTATION_TO_APPLY = {
    "faces-objects/classic_car.heic": 1,
    "heic/iphone_13_pro_max.HEIC": 1,
}
# The manifest's own note says this one displays as 3024x4032 (EXIF 6, no container rotation);
# its pixels_displayed column kept the decoder's sideways size.
DISPLAYED = {"heic/iphone_7_exif6_no_irot.heic": [3024, 4032]}
# Why the import refuses a file (the others in broken/ are readable and imported with warnings;
# the decoder reports their broken pixels later, see tests/pipeline).
ERRORS = {
    "broken/zero_bytes.jpg": "empty file (0 bytes)",
    "broken/not_a_png.png": "damaged file: PNG image did not start with IHDR",
    "broken/corrupted.heic": "damaged file: Truncated",
}
WARNINGS = {
    "broken/truncated_image.png": "Truncated PNG image",
    "broken/truncated.heic": "the file declares 64x64 pixels; its image is 16x16",
    "broken/jpeg_named.heic": "file extension .heic does not match its content (JPEG)",
    "broken/jpeg_named.png": "file extension .png does not match its content (JPEG)",
    "broken/invalid_utf8.jpg": "Artist '??' is not readable text",
    "gps/altitude.jpg": "GPS altitude 4.29497e+09 m is outside -500..10000 m; ignored",
}


@pytest.fixture(scope="module")
def imported(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
    exiftool: ExifTool,
) -> Iterator[dict[str, PhotoFile]]:
    """The sample files imported once for the module, in a transaction rolled back at its end
    (so nothing it would enqueue after commit is ever sent). The files, by manifest name."""
    root = tmp_path_factory.mktemp("import") / "photos"
    for entry in MANIFEST:  # the files the manifest lists, nothing else
        (root / entry["file"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLES / entry["file"], root / entry["file"])
    with django_db_blocker.unblock(), transaction.atomic():
        _, (folder,) = library_add("Samples", [str(root)], scan=False)
        folder_scan(folder)
        for file_id in PhotoFile.objects.filter(state="pending").values_list("pk", flat=True):
            file_record(file_id, exiftool)
        files = {
            Path(f.path).relative_to(root).as_posix(): f
            for f in PhotoFile.objects.select_related("photo__camera", "photo__lens")
        }
        yield files
        transaction.set_rollback(True)


def test_every_file_is_recorded_once(imported: dict[str, PhotoFile]) -> None:
    assert sorted(imported) == sorted(IDS)
    assert not [f for f, row in imported.items() if row.state == PhotoFile.State.PENDING]
    # One photo per file: no two samples are versions of one shot (``jpeg_named.heic`` and
    # ``jpeg_named.png`` share a stem but neither is a RAW).
    photos = [row.photo_id for row in imported.values() if row.photo_id is not None]
    assert len(photos) == len(set(photos))


def _exposure(text: str) -> float:
    return float(Fraction(text))


@pytest.mark.parametrize("entry", MANIFEST, ids=IDS)
def test_file_facts(imported: dict[str, PhotoFile], entry: dict[str, Any]) -> None:
    name = entry["file"]
    file = imported[name]
    assert file.size == entry["bytes"]
    assert file.content_hash == (entry["sha256"] if entry["bytes"] else "")
    # ``rawpy`` is filled for the files LibRaw was tried on: the RAW ones.
    expected_kind = PhotoFile.Kind.RAW if entry["rawpy"] is not None else PhotoFile.Kind.PHOTO
    assert file.kind == expected_kind
    if name in ERRORS:
        assert (file.state, file.photo_id) == (PhotoFile.State.FAILED, None)
        assert file.error.startswith(ERRORS[name]), file.error
        return
    assert file.state == PhotoFile.State.OK, file.error
    assert file.error == ""
    assert file.file_type == FILE_TYPES.get(entry["format"], entry["format"])
    if name in WARNINGS:
        assert any(WARNINGS[name] in w for w in file.warnings), file.warnings
    photo = file.photo
    assert photo is not None and photo.preferred_file_id == file.pk
    words = WORDS.get(name, {})

    # Date taken, its source and its offset.
    assert photo.taken_local is not None, "the date fallbacks end with the file's mtime"
    wall = photo.taken_local.strftime("%Y:%m:%d %H:%M:%S")
    if entry["date_time_original"]:
        assert (photo.taken_source, wall) == ("exif:DateTimeOriginal", entry["date_time_original"])
    elif name in OTHER_DATES:
        assert (photo.taken_source, wall) == OTHER_DATES[name]
    else:
        assert photo.taken_source == "mtime"
        mtime = datetime.fromtimestamp(file.mtime_ns / 1e9).astimezone()
        assert photo.taken_local.timestamp() == pytest.approx(mtime.timestamp(), abs=1e-3)
    if photo.taken_source == "mtime":
        assert photo.taken_offset == 0
    else:
        assert photo.taken_offset == words.get("offset", OTHER_OFFSETS.get(name))

    # Camera, lens, exposure.
    camera = photo.camera
    if entry["camera"]:
        assert camera is not None
        said = entry["camera"].casefold()
        assert camera.make.casefold().split()[0] in said, (camera.make, said)
        assert said.endswith(camera.model.casefold()), (camera.model, said)
    elif camera is not None:  # a DNG without Make/Model still names its camera
        assert file.metadata.get("IFD0:UniqueCameraModel", "").endswith(camera.model)
    if "lens" in words:
        assert photo.lens is not None
        assert photo.lens.name.replace(" ", "") == words["lens"].replace(" ", "")
    if "exposure" in words:
        assert photo.exposure_time == pytest.approx(_exposure(words["exposure"]), rel=0.01)
    if "aperture" in words:
        assert photo.aperture == pytest.approx(words["aperture"], abs=0.05)
    if "iso" in words:
        assert photo.iso == words["iso"]
    if "focal" in words:
        assert photo.focal_length == pytest.approx(words["focal"], abs=0.05)

    # Position, to 5 decimals (about a metre); an absurd altitude dropped.
    if entry["gps"]:
        assert photo.latitude == pytest.approx(entry["gps"][0], abs=1e-5)
        assert photo.longitude == pytest.approx(entry["gps"][1], abs=1e-5)
    else:
        assert (photo.latitude, photo.longitude) == (None, None)
    altitude = entry["gps_altitude"]
    if altitude is None or not -500 <= altitude <= 10_000:
        assert photo.altitude is None
    else:
        assert photo.altitude == pytest.approx(altitude, abs=0.01)

    # Orientation as read, the one left to apply, and the size as displayed.
    if entry["orientation"] is not None:
        assert file.metadata["IFD0:Orientation"] == entry["orientation"]
    orientation = ORIENTATION_TO_APPLY.get(name, entry["orientation"] or 1)
    assert photo.orientation == orientation
    if file.kind == PhotoFile.Kind.RAW:
        # Until the RAW is developed its size is the sensor's as exiftool reads it (unknown for a
        # header-less file); developing sets the developed image's (tests/pipeline).
        # (A RAW LibRaw cannot open has no sensor size to compare with: developing fails it.)
        if sensor := entry["rawpy_sizes"]:
            assert [photo.width, photo.height] in ([None, None], [sensor["w"], sensor["h"]])
        displayed = None
    else:
        displayed = DISPLAYED.get(name, entry["pixels_displayed"])
    if displayed:
        assert [photo.width, photo.height] == displayed
        assert [file.width, file.height] == displayed
        if entry["pixels_stored"]:  # the stored pixels, turned upright
            stored = entry["pixels_stored"]
            assert displayed == (stored[::-1] if orientation >= 5 else stored)

    assert photo.rating == RATINGS.get(name, photo.rating if photo.rating == 0 else None)


def test_recording_again_changes_nothing(
    imported: dict[str, PhotoFile], exiftool: ExifTool
) -> None:
    with transaction.atomic():
        before = (Photo.objects.count(), PhotoFile.objects.count())
        states = {pk: rest for pk, *rest in PhotoFile.objects.values_list("pk", "state", "photo")}
        for file_id in list(states):
            file_record(file_id, exiftool)
        assert (Photo.objects.count(), PhotoFile.objects.count()) == before
        assert {
            pk: rest for pk, *rest in PhotoFile.objects.values_list("pk", "state", "photo")
        } == states
        transaction.set_rollback(True)


def test_export_rows(imported: dict[str, PhotoFile]) -> None:
    root = Path(next(iter(imported.values())).folder.path)
    rows = {
        Path(r["path"]).relative_to(root).as_posix(): r
        for r in export_rows(Library.objects.get(name="Samples"))
    }
    assert sorted(rows) == sorted(IDS)
    iphone = rows["heic/iphone_7_exif6_no_irot.heic"]
    assert iphone["camera_make"] == "Apple" and iphone["camera_model"] == "iPhone 7"
    assert iphone["lens"] == "iPhone 7 back camera 3.99mm f/1.8"
    assert iphone["taken_at"].startswith("2018-09-10T12:16:13")
    assert (iphone["width"], iphone["height"]) == (3024, 4032)
    assert iphone["error"] is None and iphone["tags"] == [] and iphone["people"] == []
    assert rows["faces-objects/classic_car.heic"]["taken_at"].endswith("+02:00")
    assert rows["broken/zero_bytes.jpg"]["error"] == "empty file (0 bytes)"
    assert rows["broken/zero_bytes.jpg"]["taken_at"] is None
    assert set(iphone) >= {
        "path", "taken_at", "camera_make", "camera_model", "lens", "latitude", "longitude",
        "altitude", "width", "height", "rating", "tags", "people", "error", "taken_source",
        "undated", "title", "edited",
    }  # fmt: skip
    # Undated: the date is only the file's time.
    assert (iphone["taken_source"], iphone["undated"]) == ("exif:DateTimeOriginal", False)
    assert {r["undated"] for r in rows.values() if r["taken_source"] == "mtime"} == {True}
    assert not any(r["undated"] for r in rows.values() if r["taken_source"] != "mtime")
    assert any(r["undated"] for r in rows.values())
