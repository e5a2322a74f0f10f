"""The sample photos against the facts in ``tests/fixtures/photos/manifest.json``."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from photonix.media.exiftool import ExifTool
from photonix.media.metadata import Metadata, MetadataError, MetadataResult, read_metadata

from .conftest import MANIFEST, PHOTOS, needs_exiftool

pytestmark = needs_exiftool

GOOD = [e for e in MANIFEST if not e["file"].startswith("broken/")]
BROKEN = {e["file"]: e for e in MANIFEST if e["file"].startswith("broken/")}

# Where the manifest's "displayed" column is not what the metadata layer must report:
# - HEIC with an irot box: libheif already rotated, so nothing is left to apply;
# - HEIC with EXIF 6 and no irot: the decoder's output is sideways, EXIF must still be applied
#   (the manifest note says "correct display is 3024x4032");
ORIENTATION_TO_APPLY = {"faces-objects/classic_car.heic": 1, "heic/iphone_13_pro_max.HEIC": 1}
DISPLAYED = {"heic/iphone_7_exif6_no_irot.heic": (3024, 4032)}
# A header-less RAW has no metadata at all (exiftool: "Unsupported RAW file type"); LibRaw knows
# it by its exact size, and the RAW stage records the developed size on the photo.
SIZE_UNKNOWN = {"raw/RAW_KODAK_C330_FORMAT_NONE_YRGB.raw"}


@pytest.fixture(scope="module")
def results(exiftool: ExifTool) -> dict[str, MetadataResult]:
    paths = [PHOTOS / e["file"] for e in MANIFEST]
    return {e["file"]: r for e, r in zip(MANIFEST, read_metadata(paths, exiftool), strict=True)}


def _meta(results: dict[str, MetadataResult], file: str) -> Metadata:
    result = results[file]
    assert isinstance(result, Metadata), result
    return result


@pytest.mark.parametrize("entry", GOOD, ids=[e["file"] for e in GOOD])
def test_sample_photo(results: dict[str, MetadataResult], entry: dict[str, Any]) -> None:
    meta = _meta(results, entry["file"])
    if entry["date_time_original"]:
        expected = datetime.strptime(entry["date_time_original"], "%Y:%m:%d %H:%M:%S")
        assert meta.taken_at is not None
        assert meta.taken_at.replace(tzinfo=None, microsecond=0) == expected
        assert meta.taken_at_source == "exif:DateTimeOriginal"
    else:
        assert meta.taken_at is not None  # something always wins: at worst the mtime
        assert meta.taken_at_source != "exif:DateTimeOriginal"

    if entry["camera"]:
        camera = entry["camera"].casefold()
        assert meta.camera_make and meta.camera_make.casefold().split()[0] in camera
        assert meta.camera_model and meta.camera_model.casefold() in camera
    else:
        assert meta.camera_make is None

    if entry["gps"]:
        assert meta.latitude is not None and meta.longitude is not None
        # "to 5 decimals" (about a metre), without the rounding-boundary trap of round()
        assert meta.latitude == pytest.approx(entry["gps"][0], abs=1e-5)
        assert meta.longitude == pytest.approx(entry["gps"][1], abs=1e-5)
    else:
        assert meta.latitude is None and meta.longitude is None

    altitude = entry["gps_altitude"]
    if altitude is None or not -500 <= altitude <= 10_000:
        assert meta.altitude is None
    else:
        assert meta.altitude == pytest.approx(altitude, abs=0.01)

    orientation = ORIENTATION_TO_APPLY.get(entry["file"], entry["orientation"] or 1)
    assert meta.orientation == orientation

    if entry["file"] in SIZE_UNKNOWN:
        size = (None, None)
    elif entry["rawpy_sizes"]:
        size = (entry["rawpy_sizes"]["w"], entry["rawpy_sizes"]["h"])
    else:
        size = DISPLAYED.get(entry["file"], tuple(entry["pixels_displayed"]))
    assert (meta.width, meta.height) == size


def test_rating_from_xmp(results: dict[str, MetadataResult]) -> None:
    assert _meta(results, "jpeg-exif/mongolels_rating.jpg").rating == 3


def test_time_zone_offsets(results: dict[str, MetadataResult]) -> None:
    def offset(file: str) -> timedelta | None:
        taken = _meta(results, file).taken_at
        assert taken is not None
        return taken.utcoffset()

    assert offset("faces-objects/classic_car.heic") == timedelta(hours=2)
    assert offset("broken/truncated_sony_a7iii.ARW") == timedelta(hours=2)
    assert offset("broken/nikon_z9_unsupported_compression.dng") == timedelta(hours=3)
    assert offset("jpeg-exif/Canon_40D.jpg") is None  # no offset stored: naive


def test_date_priority(results: dict[str, MetadataResult]) -> None:
    meta = _meta(results, "jpeg-exif/date-priority-test.jpg")
    assert meta.taken_at == datetime(2023, 2, 2, 2, 0)


def test_iptc_date_with_offset(results: dict[str, MetadataResult]) -> None:
    meta = _meta(results, "gps/thompson-springs.jpg")
    assert meta.taken_at is not None
    assert meta.taken_at.replace(microsecond=0) == datetime(
        2022, 1, 10, 15, 15, 44, tzinfo=timezone(timedelta(hours=-4))
    )
    assert "utah" in meta.keywords
    assert meta.artist == "Photographer: Carol M. Highsmith"


def test_modify_date_fallback(results: dict[str, MetadataResult]) -> None:
    meta = _meta(results, "png-webp-tiff/DudleyLeavittUtah.tiff")
    assert (meta.taken_at, meta.taken_at_source) == (
        datetime(2009, 9, 26, 1, 11, 52),
        "exif:ModifyDate",
    )


def test_no_date_falls_back_to_mtime(results: dict[str, MetadataResult]) -> None:
    meta = _meta(results, "faces-objects/hopper_face.jpg")
    assert meta.taken_at_source == "mtime"
    mtime = (PHOTOS / "faces-objects/hopper_face.jpg").stat().st_mtime
    assert meta.taken_at == datetime.fromtimestamp(mtime, tz=UTC)


def test_lens_and_exposure(results: dict[str, MetadataResult]) -> None:
    meta = _meta(results, "raw/canon_eos_6d.dng")
    assert meta.lens is not None and "24-105mm f/4L IS USM" in meta.lens
    assert (meta.aperture, meta.iso, meta.focal_length) == (5.6, 1000, 65)
    assert meta.exposure_time == pytest.approx(1 / 60)
    nikon = _meta(results, "jpeg-exif/Nikon_D70.jpg")
    assert nikon.lens == "100.0mm f/2.8"
    assert nikon.camera == "Nikon D70"


def test_regions_from_xmp(results: dict[str, MetadataResult]) -> None:
    upright = _meta(results, "faces-objects/curie_portrait.jpg").regions
    rotated = _meta(results, "faces-objects/curie_portrait_orientation6.jpg").regions
    assert [r.name for r in upright] == ["Marie Curie", "Pierre Curie"]
    # The same faces, whether the pixels are stored upright or rotated with Orientation 6.
    for a, b in zip(upright, rotated, strict=True):
        assert (a.x, a.y, a.w, a.h) == pytest.approx((b.x, b.y, b.w, b.h), abs=1e-4)


def test_full_dump_is_available(results: dict[str, MetadataResult]) -> None:
    meta = _meta(results, "faces-objects/classic_car.heic")
    assert meta.raw["IFD0:Orientation"] == 6
    assert meta.raw["QuickTime:Rotation"] == 270
    assert "SourceFile" not in meta.raw


# -- broken/ -----------------------------------------------------------------------------------
ERRORS = {
    "broken/zero_bytes.jpg": "empty file (0 bytes)",
    "broken/not_a_png.png": "damaged file: PNG image did not start with IHDR",
    "broken/corrupted.heic": "damaged file: Truncated",
}
# Readable metadata, with the warning a user would want to see (None: nothing to warn about;
# the decoder reports the broken pixels later).
WARNINGS: dict[str, str | None] = {
    "broken/truncated_jpeg.jpg": None,
    "broken/truncated_image.png": "Truncated PNG image",
    "broken/truncated.heic": "Truncated 'mdat' data",
    "broken/jpeg_named.heic": "file extension .heic does not match its content (JPEG)",
    "broken/jpeg_named.png": "file extension .png does not match its content (JPEG)",
    "broken/broken_gps_ifd.jpg": "UserComment",
    "broken/invalid_exif_image01137.jpg": None,
    "broken/invalid_utf8.jpg": "Artist '??' is not readable text",
    "broken/bad_date.jpg": None,
    "broken/stub_canon_350d.cr2": None,
    "broken/truncated_sony_a7iii.ARW": "Bad SubIFD directory",
    "broken/nikon_z9_unsupported_compression.dng": None,
}


def test_every_broken_file_is_covered() -> None:
    assert set(BROKEN) == set(ERRORS) | set(WARNINGS)


@pytest.mark.parametrize(("file", "reason"), sorted(ERRORS.items()))
def test_broken_file_errors(results: dict[str, MetadataResult], file: str, reason: str) -> None:
    result = results[file]
    assert isinstance(result, MetadataError)
    assert result.path == PHOTOS / file
    assert result.reason.startswith(reason)


@pytest.mark.parametrize(("file", "warning"), sorted(WARNINGS.items()))
def test_broken_file_sanitised(
    results: dict[str, MetadataResult], file: str, warning: str | None
) -> None:
    meta = _meta(results, file)
    entry = BROKEN[file]
    if warning:
        assert any(warning in w for w in meta.warnings), meta.warnings
    if entry["date_time_original"]:
        expected = datetime.strptime(entry["date_time_original"], "%Y:%m:%d %H:%M:%S")
        assert meta.taken_at is not None
        assert meta.taken_at.replace(tzinfo=None, microsecond=0) == expected
    if entry["gps"]:
        assert meta.latitude is not None and meta.longitude is not None
        assert (meta.latitude, meta.longitude) == pytest.approx(entry["gps"], abs=1e-5)
    else:
        assert meta.latitude is None
    if entry["format"] == "JPEG":
        assert meta.file_type == "JPEG"


def test_bad_dates_and_text(results: dict[str, MetadataResult]) -> None:
    for file in ("broken/bad_date.jpg", "broken/invalid_utf8.jpg"):
        meta = _meta(results, file)
        assert (meta.taken_at, meta.taken_at_source) == (datetime(2000, 1, 1), "exif:CreateDate")
    assert _meta(results, "broken/invalid_utf8.jpg").artist is None
    assert _meta(results, "broken/jpeg_named.png").altitude == pytest.approx(-2.809, abs=0.01)
    altitude = _meta(results, "gps/altitude.jpg")
    assert altitude.altitude is None
    assert any("4.29497e+09 m is outside" in w for w in altitude.warnings)


# -- read_metadata on files made here -----------------------------------------------------------
XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:Rating="5">
  <dc:subject><rdf:Bag><rdf:li>sidecar keyword</rdf:li></rdf:Bag></dc:subject>
  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">From the sidecar</rdf:li></rdf:Alt>
  </dc:description>
 </rdf:Description></rdf:RDF></x:xmpmeta>
"""


def test_read_metadata_bad_input_and_sidecars(exiftool: ExifTool, tmp_path: Path) -> None:
    photo = tmp_path / "IMG_20190102_131415.jpg"
    photo.write_bytes((PHOTOS / "faces-objects/hopper_face.jpg").read_bytes())
    (tmp_path / "IMG_20190102_131415.jpg.xmp").write_text(XMP, "utf-8")
    text = tmp_path / "notes.png"
    text.write_text("shopping list\n", "utf-8")
    pdf = tmp_path / "scan.jpg"
    pdf.write_bytes(b"%PDF-1.4\n%...")
    unreadable = tmp_path / "secret.jpg"
    unreadable.write_bytes(b"\xff\xd8\xff")
    unreadable.chmod(0)
    missing = tmp_path / "gone.jpg"

    results = read_metadata([text, photo, pdf, missing, unreadable], exiftool)

    assert results[0] == MetadataError(text, "not an image (content is plain text)")
    meta = results[1]
    assert isinstance(meta, Metadata)
    assert (meta.rating, meta.keywords, meta.description) == (
        5,
        ("sidecar keyword",),
        "From the sidecar",
    )
    assert (meta.taken_at, meta.taken_at_source) == (datetime(2019, 1, 2, 13, 14, 15), "filename")
    assert results[2] == MetadataError(pdf, "not an image (content is a PDF document)")
    assert results[3] == MetadataError(missing, "file not found")
    if os.geteuid() != 0:  # root reads everything
        assert isinstance(results[4], MetadataError)
        assert results[4].reason.startswith("cannot open file")
