"""Unit tests of :func:`parse` on synthetic exiftool dicts (no exiftool needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from photonix.media.metadata import (
    DATE_SOURCES,
    Metadata,
    date_from_filename,
    normalise_camera,
    parse,
    parse_coordinate,
    parse_date,
)

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
MTIME = datetime(2024, 6, 1, 8, 30, tzinfo=UTC).timestamp()


def run(raw: dict[str, Any], name: str = "photo.jpg", **kwargs: Any) -> Metadata:
    kwargs.setdefault("mtime", MTIME)
    return parse(raw, path=Path("/lib") / name, now=NOW, **kwargs)


# -- GPS --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "ref", "expected"),
    [
        (41.8434, "N", 41.8434),
        (41.8434, "S", -41.8434),
        (108.4, "W", -108.4),
        (108.4, "West", -108.4),
        (-108.4, "W", -108.4),  # already signed: not negated twice
        (-33.0, "N", 33.0),  # the reference wins over a stray sign
        (-33.0, None, -33.0),
        ([41, 50, 36.25], "N", 41 + 50 / 60 + 36.25 / 3600),
        ("41 50 36.25", "S", -(41 + 50 / 60 + 36.25 / 3600)),
        ("41,50.6N", None, 41 + 50.6 / 60),
        ("3,3.9735W", None, -(3 + 3.9735 / 60)),
        ("41 deg 50' 36.25\" N", None, 41 + 50 / 60 + 36.25 / 3600),
        ("", "N", None),
        ("garbage", "N", None),
    ],
)
def test_parse_coordinate(value: Any, ref: Any, expected: float | None) -> None:
    result = parse_coordinate(value, ref)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, abs=1e-9)


def test_gps_sign_from_ref() -> None:
    meta = run({"GPS:GPSLatitude": 38.4, "GPS:GPSLatitudeRef": "S",
                "GPS:GPSLongitude": 144.1, "GPS:GPSLongitudeRef": "E",
                "GPS:GPSAltitude": 2.8, "GPS:GPSAltitudeRef": 1})  # fmt: skip
    assert (meta.latitude, meta.longitude, meta.altitude) == (-38.4, 144.1, -2.8)


def test_gps_falls_back_to_xmp() -> None:
    meta = run({"XMP-exif:GPSLatitude": -38.4, "XMP-exif:GPSLongitude": 144.1})
    assert (meta.latitude, meta.longitude) == (-38.4, 144.1)


@pytest.mark.parametrize(
    ("lat", "lon", "warning"),
    [
        (0, 0, "GPS position 0, 0 (no fix); ignored"),
        (91, 10, "out of range"),
        (10, 181, "out of range"),
        ("", "", None),  # an empty GPS IFD is just "no location", silently
    ],
)
def test_gps_missing_or_absurd(lat: Any, lon: Any, warning: str | None) -> None:
    meta = run({"GPS:GPSLatitude": lat, "GPS:GPSLatitudeRef": "N",
                "GPS:GPSLongitude": lon, "GPS:GPSLongitudeRef": "E"})  # fmt: skip
    assert meta.latitude is None and meta.longitude is None
    if warning:
        assert any(warning in w for w in meta.warnings)
    else:
        assert meta.warnings == ()


@pytest.mark.parametrize("altitude", [4294967284, 10_001, -501, 1e300])
def test_absurd_altitude_dropped(altitude: float) -> None:
    meta = run(
        {
            "GPS:GPSLatitude": 45.7,
            "GPS:GPSLatitudeRef": "N",
            "GPS:GPSLongitude": 33.2,
            "GPS:GPSLongitudeRef": "E",
            "GPS:GPSAltitude": altitude,
            "GPS:GPSAltitudeRef": 0,
        }
    )
    assert meta.latitude == 45.7
    assert meta.altitude is None
    assert any("altitude" in w for w in meta.warnings)


# -- dates ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019:01:02 13:14:15", datetime(2019, 1, 2, 13, 14, 15)),
        ("2000/01/01 00:00:00", datetime(2000, 1, 1)),
        ("2021.01.11 11.18.19", datetime(2021, 1, 11, 11, 18, 19)),
        ("2023-09-27T14:35:33+02:00",
         datetime(2023, 9, 27, 14, 35, 33, tzinfo=timezone(timedelta(hours=2)))),
        ("2022:01:10 15:15:44.31", datetime(2022, 1, 10, 15, 15, 44, 310000)),
        ("2013:08:25 11:54:03Z", datetime(2013, 8, 25, 11, 54, 3, tzinfo=UTC)),
        ("2009:08:29", datetime(2009, 8, 29)),
        ("0000:00:00 00:00:00", None),
        ("2019:13:01 00:00:00", None),
        ("    :  :     :  :  ", None),
        (None, None),
    ],
)  # fmt: skip
def test_parse_date(text: Any, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_offset_and_subseconds() -> None:
    meta = run(
        {
            "ExifIFD:DateTimeOriginal": "2023:10:22 09:39:48",
            "ExifIFD:SubSecTimeOriginal": "045",
            "ExifIFD:OffsetTimeOriginal": "+02:00",
        }
    )
    assert meta.taken_at == datetime(2023, 10, 22, 9, 39, 48, 45000,
                                     tzinfo=timezone(timedelta(hours=2)))  # fmt: skip
    assert meta.taken_at_source == "exif:DateTimeOriginal"


def test_naive_without_offset_and_bad_offset_ignored() -> None:
    meta = run(
        {"ExifIFD:DateTimeOriginal": "2023:10:22 09:39:48", "ExifIFD:OffsetTimeOriginal": "+25:00"}
    )
    assert meta.taken_at == datetime(2023, 10, 22, 9, 39, 48)
    assert meta.taken_at.tzinfo is None


def test_offset_from_gps_time() -> None:
    """No offset stored: the GPS time (UTC) says how far the camera's clock was from UTC."""
    base = {"ExifIFD:DateTimeOriginal": "2013:08:25 14:54:05", "GPS:GPSDateStamp": "2013:08:25"}
    meta = run({**base, "GPS:GPSTimeStamp": "11:54:03"})
    assert meta.taken_at == datetime(2013, 8, 25, 14, 54, 5, tzinfo=timezone(timedelta(hours=3)))
    half = run({**base, "GPS:GPSTimeStamp": "09:24:05"})  # India: +05:30
    assert half.taken_at is not None and half.taken_at.utcoffset() == timedelta(hours=5, minutes=30)
    # A stale fix (not a whole zone away) or one more than 14 hours off proves nothing.
    for day, stamp in (("2013:08:25", "11:47:00"), ("2013:08:24", "23:54:05")):
        naive = run({**base, "GPS:GPSDateStamp": day, "GPS:GPSTimeStamp": stamp})
        assert naive.taken_at == datetime(2013, 8, 25, 14, 54, 5), stamp
    # An offset the file states wins over the GPS arithmetic.
    stated = run({**base, "GPS:GPSTimeStamp": "11:54:03", "ExifIFD:OffsetTimeOriginal": "+02:00"})
    assert stated.taken_at is not None and stated.taken_at.utcoffset() == timedelta(hours=2)


def test_iptc_zero_offset_is_a_placeholder() -> None:
    meta = run(
        {
            "ExifIFD:DateTimeOriginal": "2012:08:05 11:39:59",
            "IPTC:DateCreated": "2012:08:05",
            "IPTC:TimeCreated": "11:39:59+00:00",
        }
    )
    assert meta.taken_at == datetime(2012, 8, 5, 11, 39, 59)
    real = run(
        {
            "ExifIFD:DateTimeOriginal": "2022:01:10 15:15:44",
            "IPTC:DateCreated": "2022:01:10",
            "IPTC:TimeCreated": "15:15:44-04:00",
        }
    )
    assert real.taken_at is not None and real.taken_at.utcoffset() == timedelta(hours=-4)


ALL_DATES: dict[str, Any] = {
    "ExifIFD:DateTimeOriginal": "2023:02:02 02:00:00",
    "XMP-exif:DateTimeOriginal": "2023:03:03 03:00:00",
    "IPTC:DateCreated": "2023:04:04",
    "IPTC:TimeCreated": "04:00:00+00:00",
    "ExifIFD:CreateDate": "2023:05:05 05:00:00",
    "XMP-xmp:CreateDate": "2023:06:06 06:00:00",
    "GPS:GPSDateStamp": "2023:07:07",
    "GPS:GPSTimeStamp": "07:00:00",
    "IFD0:ModifyDate": "2023:09:09 09:00:00",
}
FALLBACK = [
    ("exif:DateTimeOriginal", "ExifIFD:DateTimeOriginal", datetime(2023, 2, 2, 2)),
    ("xmp:DateTimeOriginal", "XMP-exif:DateTimeOriginal", datetime(2023, 3, 3, 3)),
    # IPTC's +00:00 is what writers put when they do not know the zone: no offset.
    ("iptc:DateCreated", "IPTC:DateCreated", datetime(2023, 4, 4, 4)),
    ("exif:CreateDate", "ExifIFD:CreateDate", datetime(2023, 5, 5, 5)),
    ("xmp:CreateDate", "XMP-xmp:CreateDate", datetime(2023, 6, 6, 6)),
    ("gps", "GPS:GPSDateStamp", datetime(2023, 7, 7, 7, tzinfo=UTC)),
    ("filename", None, datetime(2023, 8, 8, 8, 8, 8)),
    ("exif:ModifyDate", "IFD0:ModifyDate", datetime(2023, 9, 9, 9)),
    ("mtime", None, datetime(2024, 6, 1, 8, 30, tzinfo=UTC)),
]


def test_fallback_order_is_documented_order() -> None:
    assert [source for source, _, _ in FALLBACK] == list(DATE_SOURCES)


@pytest.mark.parametrize("step", range(len(FALLBACK)))
def test_date_fallback_order(step: int) -> None:
    """Remove the sources one by one: each time the next one in the documented order wins."""
    raw = dict(ALL_DATES)
    for _, key, _ in FALLBACK[:step]:
        if key:
            raw.pop(key)
    name = "IMG_20230808_080808.jpg" if step <= 6 else "photo.jpg"
    meta = run(raw, name=name)
    source, _, expected = FALLBACK[step]
    assert meta.taken_at_source == source
    assert meta.taken_at == expected


def test_no_date_at_all() -> None:
    meta = run({}, mtime=None)
    assert meta.taken_at is None and meta.taken_at_source is None


@pytest.mark.parametrize(
    ("value", "why"),
    [("0001:01:01 00:00:00", "before 1826"), ("1800:01:01 00:00:00", "before 1826"),
     ("2025:01:03 00:00:00", "in the future"), ("0000:00:00 00:00:00", "not a valid date")],
)  # fmt: skip
def test_absurd_dates_fall_through_with_warning(value: str, why: str) -> None:
    meta = run({"ExifIFD:DateTimeOriginal": value, "ExifIFD:CreateDate": "2010:05:05 10:00:00"})
    assert meta.taken_at == datetime(2010, 5, 5, 10)
    assert meta.taken_at_source == "exif:CreateDate"
    assert any(why in w for w in meta.warnings), meta.warnings


def test_tomorrow_within_a_day_is_kept() -> None:
    meta = run({"ExifIFD:DateTimeOriginal": "2025:01:02 06:00:00"})
    assert meta.taken_at_source == "exif:DateTimeOriginal"


def test_naive_date_borrows_offset_of_same_wall_time() -> None:
    meta = run(
        {
            "XMP-photoshop:DateCreated": "2022:01:10 15:15:44.31",
            "IPTC:DateCreated": "2022:01:10",
            "IPTC:TimeCreated": "15:15:44-04:00",
        }
    )
    assert meta.taken_at == datetime(2022, 1, 10, 15, 15, 44, 310000,
                                     tzinfo=timezone(timedelta(hours=-4)))  # fmt: skip


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IMG_20190102_131415.jpg", datetime(2019, 1, 2, 13, 14, 15)),
        ("PXL_20210102_131415123.jpg", datetime(2021, 1, 2, 13, 14, 15)),
        ("PXL_20210102_131415123.MP.jpg", datetime(2021, 1, 2, 13, 14, 15)),
        ("Screenshot_20190102-131415.png", datetime(2019, 1, 2, 13, 14, 15)),
        ("Screenshot_2019-01-02-13-14-15.png", datetime(2019, 1, 2, 13, 14, 15)),
        ("Screenshot 2019-01-02 at 13.14.15.png", datetime(2019, 1, 2, 13, 14, 15)),
        ("2019-01-02 13.14.15.jpg", datetime(2019, 1, 2, 13, 14, 15)),
        ("20190102_131415.jpg", datetime(2019, 1, 2, 13, 14, 15)),
        ("IMG-20190102-WA0001.jpg", datetime(2019, 1, 2)),
        ("signal-2019-01-02-131415.jpg", datetime(2019, 1, 2, 13, 14, 15)),
        ("DSC01234.JPG", None),
        ("P1020345.JPG", None),
        ("IMG_20191302_131415.jpg", None),
        ("holiday.jpg", None),
    ],
)
def test_date_from_filename(name: str, expected: datetime | None) -> None:
    assert date_from_filename(name) == expected


# -- camera -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "model", "expected"),
    [
        ("NIKON CORPORATION", "NIKON D70", ("Nikon", "D70")),
        ("Canon", "Canon EOS 40D", ("Canon", "EOS 40D")),
        ("OLYMPUS IMAGING CORP.  ", "C7070WZ", ("Olympus", "C7070WZ")),
        ("OLYMPUS CORPORATION", "E-PL8", ("Olympus", "E-PL8")),
        ("PENTAX Corporation", "PENTAX K10D", ("Pentax", "K10D")),
        ("SONY", "DSLR-A200", ("Sony", "DSLR-A200")),
        ("Apple", "iPhone 12 Pro", ("Apple", "iPhone 12 Pro")),
        ("HMD Global", "Nokia 8.3 5G", ("HMD Global", "Nokia 8.3 5G")),
        ("motorola", "moto g(9) plus", ("Motorola", "moto g(9) plus")),
        ("EASTMAN KODAK COMPANY", "KODAK EASYSHARE C330", ("Kodak", "EASYSHARE C330")),
        ("TCT", "TCL S950", ("TCT", "TCL S950")),
        ("ACME CAMERA WORKS INC.", "X1", ("Acme Camera Works", "X1")),
        ("  Canon\x00\x00", "  Canon  ", ("Canon", "Canon")),
        (None, "Blackmagic Pocket Cinema Camera 4K", (None, "Blackmagic Pocket Cinema Camera 4K")),
        ("", "", (None, None)),
    ],
)
def test_normalise_camera(make: Any, model: Any, expected: tuple[str | None, str | None]) -> None:
    assert normalise_camera(make, model) == expected


# -- orientation, size, regions ----------------------------------------------------------------
def test_orientation_swaps_displayed_size() -> None:
    meta = run({"IFD0:Orientation": 6, "Composite:ImageSize": "1200 1800"})
    assert (meta.orientation, meta.width, meta.height) == (6, 1800, 1200)


@pytest.mark.parametrize("bad", [0, 9, "Rotate 90 CW", -1])
def test_invalid_orientation(bad: Any) -> None:
    meta = run({"IFD0:Orientation": bad})
    assert meta.orientation == 1
    assert any("Orientation" in w for w in meta.warnings)


def test_heic_container_rotation_is_not_applied_twice() -> None:
    raw = {"File:FileType": "HEIC", "IFD0:Orientation": 6, "Composite:ImageSize": "4032 3024",
           "QuickTime:Rotation": 270}  # fmt: skip
    meta = run(raw)
    assert (meta.orientation, meta.width, meta.height) == (1, 3024, 4032)
    # Without irot, the EXIF orientation still has to be applied.
    del raw["QuickTime:Rotation"]
    meta = run(raw)
    assert (meta.orientation, meta.width, meta.height) == (6, 3024, 4032)


MWG = {
    "AppliedToDimensions": {"W": 700, "H": 840, "Unit": "pixel"},
    "RegionList": [
        {"Area": {"X": 0.307857, "Y": 0.631548, "W": 0.198571, "H": 0.113095,
                  "Unit": "normalized"}, "Name": "Marie Curie", "Type": "Face"},
    ],
}  # fmt: skip


def test_mwg_region_follows_orientation() -> None:
    meta = run({"IFD0:Orientation": 6, "XMP-mwg-rs:RegionInfo": MWG})
    (region,) = meta.regions
    assert region.name == "Marie Curie" and region.type == "Face"
    # Same face in the upright copy of this picture (curie_portrait.jpg), top-left based.
    assert region.x == pytest.approx(0.368452 - 0.113095 / 2, abs=1e-5)
    assert region.y == pytest.approx(0.307857 - 0.198571 / 2, abs=1e-5)
    assert (region.w, region.h) == pytest.approx((0.113095, 0.198571))


def test_mp_regions_and_sidecar_wins() -> None:
    raw = {
        "XMP-MP:RegionInfoMP": {
            "Regions": [{"PersonDisplayName": "A", "Rectangle": "0.1, 0.2, 0.3, 0.4"}]
        },
        "XMP-xmp:Rating": 2,
        "IPTC:Keywords": ["beach"],
        "XMP-dc:Description": "in file",
    }  # fmt: skip
    meta = run(raw)
    assert [(r.name, r.x, r.y, r.w, r.h) for r in meta.regions] == [("A", 0.1, 0.2, 0.3, 0.4)]
    assert (meta.rating, meta.keywords, meta.description) == (2, ("beach",), "in file")
    side = {"XMP-xmp:Rating": 5, "XMP-dc:Subject": ["Sea", "sun"], "XMP-dc:Description": "edited",
            "XMP-mwg-rs:RegionInfo": MWG}  # fmt: skip
    meta = run(raw, sidecar=side)
    assert (meta.rating, meta.keywords, meta.description) == (5, ("Sea", "sun"), "edited")
    assert meta.regions[0].name == "Marie Curie"
    assert "Sidecar" in meta.raw


@pytest.mark.parametrize(
    ("raw", "rating", "warned"),
    [
        ({"XMP-xmp:Rating": 3}, 3, False),
        ({"IFD0:Rating": 4}, 4, False),
        ({"XMP-xmp:Rating": -1}, 0, True),
        ({"XMP-xmp:Rating": 7}, None, True),
        ({"XMP-microsoft:RatingPercent": 75}, 4, False),
        ({}, None, False),
    ],
)
def test_rating(raw: dict[str, Any], rating: int | None, warned: bool) -> None:
    meta = run(raw)
    assert meta.rating == rating
    assert bool(meta.warnings) is warned


def test_text_fields_are_cleaned() -> None:
    meta = run({
        "IFD0:Artist": "??", "XMP-dc:Creator": ["Jane  Doe"],
        "IFD0:ImageDescription": "OLYMPUS DIGITAL CAMERA",
        "XMP-dc:Subject": ["a", "A", " b ", ""], "IPTC:Keywords": "c",
        "IFD0:XPKeywords": "d;e",
    })  # fmt: skip
    assert meta.artist == "Jane Doe"
    assert meta.description is None
    assert meta.keywords == ("a", "b", "c", "d", "e")
    assert any("Artist" in w for w in meta.warnings)


def test_exposure_values() -> None:
    meta = run({
        "IFD0:Make": "Canon", "IFD0:Model": "Canon EOS 40D", "ExifIFD:FNumber": 7.1,
        "ExifIFD:ExposureTime": 0.00625, "ExifIFD:ISO": 100, "ExifIFD:FocalLength": 135,
        "ExifIFD:FocalLengthIn35mmFormat": 216, "ExifIFD:Flash": 9,
        "ExifIFD:MeteringMode": "Multi-segment", "ExifIFD:ExposureProgram": "Manual",
        "Canon:ContinuousDrive": "Single", "Composite:LensID": "Unknown 18-55mm",
        "ExifIFD:LensModel": "EF-S18-55mm f/3.5-5.6 IS",
    })  # fmt: skip
    assert meta.camera == "Canon EOS 40D"
    assert (meta.aperture, meta.exposure_time, meta.iso) == (7.1, 0.00625, 100)
    assert (meta.focal_length, meta.focal_length_35mm, meta.flash_fired) == (135, 216, True)
    assert (meta.metering_mode, meta.exposure_program, meta.drive_mode) == (
        "Multi-segment", "Manual", "Single")  # fmt: skip
    assert meta.lens == "EF-S18-55mm f/3.5-5.6 IS"
    assert run({"ExifIFD:Flash": 16}).flash_fired is False


def test_raw_dump_is_json_safe() -> None:
    import json

    meta = run(
        {"SourceFile": "/x.jpg", "A:B": "x" * 5000, "A:C": float("nan"), "A:D": [1, {"e": 2}]}
    )
    dumped = json.loads(json.dumps(meta.raw, allow_nan=False))
    assert "SourceFile" not in dumped
    assert len(dumped["A:B"]) < 2100
    assert dumped["A:C"] is None


def test_raw_dump_drops_nul_characters_and_lists_tuples() -> None:
    """The dump is stored as it is: PostgreSQL's JSON refuses a NUL character in a string."""
    meta = run({"A:B": "Canon\x00\x00", "A:C": ("x\x00", 2), "A:D": {1: "y\x00"}})
    assert meta.raw["A:B"] == "Canon"
    assert meta.raw["A:C"] == ["x", 2]
    assert meta.raw["A:D"] == {"1": "y"}
