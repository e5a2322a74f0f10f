"""Photo metadata: exiftool's dump turned into the facts Photonix stores.

:func:`parse` is pure (a dict in, a :class:`Metadata` out) so every rule can be unit-tested on
synthetic dicts. :func:`read_metadata` does the I/O: it checks each file's content, reads all files
(and their XMP sidecars) through one :class:`~photonix.media.exiftool.ExifTool` round trip and
returns, per path, either a :class:`Metadata` or a :class:`MetadataError` — one bad file never
stops a batch. The rules (date fallback order, sanitising, camera names) are described in
``docs/metadata.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final

from photonix.media.exiftool import ExifTool, ExifToolTimeout
from photonix.media.formats import FileKind, check_content, kind_for_path

__all__ = [
    "DATE_SOURCES",
    "Metadata",
    "MetadataError",
    "MetadataResult",
    "Region",
    "normalise_camera",
    "parse",
    "parse_date",
    "read_metadata",
]

#: Every value ``Metadata.taken_at_source`` can take, in the order they are tried.
DATE_SOURCES: Final[tuple[str, ...]] = (
    "exif:DateTimeOriginal",
    "xmp:DateTimeOriginal",
    "iptc:DateCreated",
    "exif:CreateDate",
    "xmp:CreateDate",
    "gps",
    "filename",
    "exif:ModifyDate",
    "mtime",
)

EARLIEST_YEAR: Final = 1826  # the oldest surviving photograph; anything earlier is a wrong clock
ALTITUDE_RANGE: Final = (-500.0, 10_000.0)  # metres; beyond this the value is a writer bug

# Groups exiftool (-G1) uses for EXIF IFDs in the files we read.
_EXIF_GROUPS: Final = ("ExifIFD", "IFD0", "SubIFD", "IFD1")
_XMP_DTO_KEYS: Final = ("XMP-exif:DateTimeOriginal", "XMP-photoshop:DateCreated")
_MAKER_DRIVE_KEYS: Final = (
    "Composite:DriveMode",
    "Canon:ContinuousDrive",
    "Nikon:ShootingMode",
    "Sony:DriveMode",
    "Sony:ReleaseMode",
    "Olympus:DriveMode",
    "Pentax:DriveMode",
    "FujiFilm:DriveMode",
    "Panasonic:BurstMode",
    "Samsung:DriveMode",
)
_HEIF_TYPES: Final = frozenset({"HEIC", "HEIF", "AVIF"})
# Descriptions cameras write by default; they describe nothing.
_PLACEHOLDER_DESCRIPTIONS: Final = frozenset(
    {
        "",
        "olympus digital camera",
        "sony dsc",
        "default",
        "digital camera",
        "minolta dsc",
        "image",
        "picasa",
        "samsung",
        "lg",
        "camera",
        "<unknown>",
        "unknown",
    }
)
_EXIFTOOL_FATAL_WARNINGS: Final = ("did not start with", "truncated", "corrupt", "not a valid")


@dataclass(frozen=True)
class Region:
    """A named area of a photo (usually a face) from XMP, as fractions of the displayed image.

    ``x``, ``y`` are the top-left corner, ``w``, ``h`` the size, all in 0..1, measured on the
    image after its orientation is applied.
    """

    name: str | None
    type: str | None
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Metadata:
    """What Photonix stores about one photo. Every field may be missing except ``orientation``."""

    path: Path
    file_type: str | None = None  #: real type from content, e.g. "JPEG", "HEIC", "DNG"
    mime_type: str | None = None
    taken_at: datetime | None = None  #: aware when the offset is known, naive otherwise
    taken_at_source: str | None = None  #: one of :data:`DATE_SOURCES`
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    aperture: float | None = None  #: f-number
    exposure_time: float | None = None  #: seconds
    iso: int | None = None
    focal_length: float | None = None  #: mm
    focal_length_35mm: float | None = None  #: mm, 35 mm equivalent
    flash_fired: bool | None = None
    metering_mode: str | None = None
    drive_mode: str | None = None
    exposure_program: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None  #: metres above sea level (negative below)
    orientation: int = 1  #: EXIF orientation (1-8) still to APPLY when displaying
    width: int | None = None  #: as displayed (after orientation)
    height: int | None = None
    rating: int | None = None  #: 0-5
    keywords: tuple[str, ...] = ()
    description: str | None = None
    artist: str | None = None
    regions: tuple[Region, ...] = ()
    warnings: tuple[str, ...] = ()  #: every value dropped or repaired, human-readable
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def camera(self) -> str | None:
        """``"Make Model"`` for display, e.g. ``"Nikon D70"``."""
        parts = [p for p in (self.camera_make, self.camera_model) if p]
        return " ".join(parts) or None


@dataclass(frozen=True)
class MetadataError:
    """A file whose metadata could not be read, with a reason a user understands."""

    path: Path
    reason: str


MetadataResult = Metadata | MetadataError


# -- small value helpers -------------------------------------------------------------------------
def _first(raw: Mapping[str, Any], *keys: str) -> Any:
    """The first present, non-empty value among *keys*."""
    for key in keys:
        value = raw.get(key)
        if value is not None and value != "" and value != []:
            return value
    return None


def _any_group(raw: Mapping[str, Any], tag: str, groups: Iterable[str] = _EXIF_GROUPS) -> Any:
    return _first(raw, *(f"{g}:{tag}" for g in groups))


def _tag_anywhere(raw: Mapping[str, Any], tag: str) -> Any:
    """Value of *tag* in whichever group holds it (preferring EXIF, then the first seen)."""
    value = _any_group(raw, tag)
    if value is not None:
        return value
    suffix = ":" + tag
    for key, val in raw.items():
        if key.endswith(suffix) and val not in (None, "", []):
            return val
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip().split()[0]) if value.strip() else math.nan
        except ValueError:
            return None
    elif isinstance(value, list) and value:
        return _number(value[0])
    else:
        return None
    return result if math.isfinite(result) else None


def _clean_text(value: Any) -> str | None:
    """Strip, collapse whitespace, drop NULs; None for empty or garbage ("??", U+FFFD only)."""
    if value is None:
        return None
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value if v not in (None, ""))
    text = " ".join(str(value).replace("\x00", " ").split())
    # exiftool turns undecodable bytes into "?" (and we decode its output with U+FFFD):
    # a value made only of those carries no information.
    if not text or not text.strip("?\ufffd "):
        return None
    return text


# -- dates ---------------------------------------------------------------------------------------
_DATE_RE: Final = re.compile(
    r"^\s*(?P<y>\d{4})[:\-/.](?P<mo>\d{1,2})[:\-/.](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<h>\d{1,2})[:.](?P<mi>\d{1,2})(?:[:.](?P<s>\d{1,2}))?(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<tz>Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$"
)
_OFFSET_RE: Final = re.compile(r"^\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\s*$")
_TIME_RE: Final = re.compile(
    r"^\s*(?P<h>\d{1,2}):(?P<mi>\d{1,2})(?::(?P<s>\d{1,2}(?:\.\d+)?))?"
    r"\s*(?P<tz>Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$"
)


def _parse_offset(text: Any) -> timezone | None:
    if not isinstance(text, str):
        return None
    if text.strip() == "Z":
        return UTC
    m = _OFFSET_RE.match(text)
    if not m:
        return None
    minutes = int(m["h"]) * 60 + int(m["m"] or 0)
    if minutes > 14 * 60:  # no zone on Earth is further than ±14:00
        return None
    return timezone(timedelta(minutes=-minutes if m["sign"] == "-" else minutes))


def parse_date(value: Any, *, subsec: Any = None, offset: Any = None) -> datetime | None:
    """Parse an EXIF/XMP/IPTC date leniently; None when it is not a date.

    Accepts ``:``, ``-``, ``/`` or ``.`` between date parts, ``T`` or spaces before the time,
    fractional seconds, an inline offset (``Z``, ``+02:00``, ``-0500``) and a date without time.
    *subsec* (``SubSecTimeOriginal``) adds fractions; *offset* (``OffsetTimeOriginal``) makes the
    result aware when the value has no inline offset.
    """
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    fraction = m["f"]
    if fraction is None and subsec is not None:
        digits = str(subsec).strip()
        fraction = digits if digits.isdigit() else None
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        result = datetime(
            int(m["y"]), int(m["mo"]), int(m["d"]),
            int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0), micro,
        )  # fmt: skip
    except ValueError:
        return None  # month 13, day 0, year 0...
    tz = _parse_offset(m["tz"]) if m["tz"] else _parse_offset(offset)
    return result.replace(tzinfo=tz) if tz is not None else result


_FILENAME_DATE_RE: Final = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.]?(?P<mo>0[1-9]|1[0-2])[-_.]?(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?:(?:[ _\-T]+|\sat\s|(?=\d{6}))(?P<h>[01]\d|2[0-3])[-_.:h]?(?P<mi>[0-5]\d)[-_.:m]?"
    r"(?P<s>[0-5]\d))?"
)


def date_from_filename(name: str) -> datetime | None:
    """A naive date-time from names like ``IMG_20190102_131415.jpg``, ``PXL_20210102_131415123``,
    ``Screenshot_20190102-131415``, ``2019-01-02 13.14.15.jpg``,
    ``Screenshot 2019-01-02 at 13.14.15.png`` or ``IMG-20190102-WA0001.jpg`` (date only)."""
    for m in _FILENAME_DATE_RE.finditer(Path(name).stem):
        try:
            return datetime(
                int(m["y"]), int(m["mo"]), int(m["d"]),
                int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0),
            )  # fmt: skip
        except ValueError:
            continue
    return None


def _borrow_offset(value: datetime, getters: Iterable[Callable[[], datetime | None]]) -> datetime:
    """Give a naive date the offset of another tag holding the same wall-clock time.

    Lightroom writes ``photoshop:DateCreated`` without offset but IPTC ``TimeCreated`` with one;
    when both say the same local time, the offset is known.
    """
    for getter in getters:
        other = getter()
        if (
            other is not None
            and other.tzinfo is not None
            and other.replace(tzinfo=None, microsecond=0) == value.replace(microsecond=0)
        ):
            return value.replace(tzinfo=other.tzinfo)
    return value


GPS_OFFSET_SLACK: Final = timedelta(minutes=2)


def _offset_from_gps(local: datetime, gps_utc: datetime | None) -> datetime | None:
    """Give a naive local time the offset that its GPS time (UTC) implies, or None.

    The difference between the camera's clock and the satellites' must be a real zone offset
    (a multiple of 15 minutes within ±14 hours) give or take :data:`GPS_OFFSET_SLACK`; a stale
    fix or a wrong clock gives anything else, and then nothing is concluded.
    """
    if gps_utc is None or gps_utc.tzinfo is None:
        return None
    difference = local.replace(tzinfo=UTC) - gps_utc
    quarters = round(difference / timedelta(minutes=15))
    offset = timedelta(minutes=15 * quarters)
    if abs(offset) > timedelta(hours=14) or abs(difference - offset) > GPS_OFFSET_SLACK:
        return None
    return local.replace(tzinfo=timezone(offset))


class _Warnings:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.items:
            self.items.append(message)


def _plausible(value: datetime, what: str, warn: _Warnings, now: datetime) -> bool:
    if value.year < EARLIEST_YEAR:
        warn.add(f"{what} {value.isoformat(sep=' ')} is before {EARLIEST_YEAR}; ignored")
        return False
    compare = value if value.tzinfo else value.replace(tzinfo=UTC)
    if compare > now + timedelta(days=1):
        warn.add(f"{what} {value.isoformat(sep=' ')} is in the future; ignored")
        return False
    return True


def _taken_at(
    raw: Mapping[str, Any], path: Path, mtime: float | None, warn: _Warnings, now: datetime
) -> tuple[datetime | None, str | None]:
    def exif(tag: str, subsec: str, offset: str) -> Callable[[], datetime | None]:
        return lambda: parse_date(
            _any_group(raw, tag),
            subsec=_any_group(raw, subsec),
            offset=_any_group(raw, offset),
        )

    def xmp_dto() -> datetime | None:
        return parse_date(_first(raw, *_XMP_DTO_KEYS))

    def iptc() -> datetime | None:
        day = raw.get("IPTC:DateCreated")
        time_ = raw.get("IPTC:TimeCreated")
        if not isinstance(day, str):
            return None
        if isinstance(time_, str) and (tm := _TIME_RE.match(time_)):
            zone = tm["tz"] or ""
            # IPTC requires a zone on TimeCreated, so writers that do not know it write +00:00
            # (Photoshop, Lightroom, phones): that is no evidence of UTC.
            if _parse_offset(zone) == UTC:
                zone = ""
            return parse_date(f"{day} {tm['h']}:{tm['mi']}:{tm['s'] or '0'}{zone}")
        return parse_date(day)

    def gps() -> datetime | None:
        stamp = _first(raw, "Composite:GPSDateTime", "XMP-exif:GPSDateTime")
        if stamp is None:
            day, time_ = raw.get("GPS:GPSDateStamp"), raw.get("GPS:GPSTimeStamp")
            if not isinstance(day, str) or time_ is None:
                return None
            stamp = f"{day} {time_}"
        value = parse_date(str(stamp))
        # GPS time is UTC by definition, whatever the writer appended.
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    raw_values = {
        "exif:DateTimeOriginal": _any_group(raw, "DateTimeOriginal"),
        "xmp:DateTimeOriginal": _first(raw, *_XMP_DTO_KEYS),
        "iptc:DateCreated": raw.get("IPTC:DateCreated"),
        "exif:CreateDate": _any_group(raw, "CreateDate"),
        "xmp:CreateDate": raw.get("XMP-xmp:CreateDate"),
        "exif:ModifyDate": _any_group(raw, "ModifyDate"),
    }
    candidates: list[tuple[str, str, Callable[[], datetime | None]]] = [
        ("exif:DateTimeOriginal", "DateTimeOriginal",
         exif("DateTimeOriginal", "SubSecTimeOriginal", "OffsetTimeOriginal")),
        ("xmp:DateTimeOriginal", "XMP DateTimeOriginal", xmp_dto),
        ("iptc:DateCreated", "IPTC DateCreated", iptc),
        ("exif:CreateDate", "CreateDate",
         exif("CreateDate", "SubSecTimeDigitized", "OffsetTimeDigitized")),
        ("xmp:CreateDate", "XMP CreateDate", lambda: parse_date(raw.get("XMP-xmp:CreateDate"))),
        ("gps", "GPS date", gps),
        ("filename", "date in the file name", lambda: date_from_filename(path.name)),
        ("exif:ModifyDate", "ModifyDate", exif("ModifyDate", "SubSecTime", "OffsetTime")),
    ]  # fmt: skip
    for source, label, getter in candidates:
        value = getter()
        stored = raw_values.get(source)
        if value is None:
            if isinstance(stored, str) and stored.strip():
                warn.add(f"{label} {stored.strip()!r} is not a valid date; ignored")
            continue
        if _plausible(value, label, warn, now):
            if value.tzinfo is None and source != "gps":
                # An offset the file states for the same moment, else the one its GPS implies.
                value = _borrow_offset(value, [g for _, _, g in candidates[:5]])
                if value.tzinfo is None:
                    value = _offset_from_gps(value, gps()) or value
            return value, source
    if mtime is not None:
        value = datetime.fromtimestamp(mtime, tz=UTC)
        if _plausible(value, "file modification time", warn, now):
            return value, "mtime"
    return None, None


# -- camera --------------------------------------------------------------------------------------
_MAKE_NAMES: Final[dict[str, str]] = {
    "nikon": "Nikon",
    "canon": "Canon",
    "sony": "Sony",
    "olympus": "Olympus",
    "om digital solutions": "OM System",
    "pentax": "Pentax",
    "ricoh": "Ricoh",
    "fujifilm": "Fujifilm",
    "fuji photo film": "Fujifilm",
    "panasonic": "Panasonic",
    "leica": "Leica",
    "eastman kodak": "Kodak",
    "kodak": "Kodak",
    "konica minolta": "Konica Minolta",
    "minolta": "Minolta",
    "samsung": "Samsung",
    "casio": "Casio",
    "sigma": "Sigma",
    "hasselblad": "Hasselblad",
    "phase one": "Phase One",
    "motorola": "Motorola",
    "huawei": "Huawei",
    "xiaomi": "Xiaomi",
    "lge": "LG",
    "lg electronics": "LG",
    "google": "Google",
    "apple": "Apple",
    "hmd global": "HMD Global",
    "gopro": "GoPro",
    "dji": "DJI",
}
_CORPORATE_RE: Final = re.compile(
    r"(?:[\s,.]+(?:corporation|corp|co|ltd|limited|inc|company|imaging|optical|ag|gmbh))+\.?\s*$",
    re.IGNORECASE,
)


def normalise_camera(make: Any, model: Any) -> tuple[str | None, str | None]:
    """Tidy a camera's make and model (see docs/metadata.md, "Camera names").

    The make becomes the brand as people write it (``"NIKON CORPORATION"`` → ``"Nikon"``,
    ``"OLYMPUS IMAGING CORP."`` → ``"Olympus"``); the model loses a repeated brand
    (``"NIKON D70"`` → ``"D70"``, ``"Canon EOS 40D"`` → ``"EOS 40D"``) so ``make + " " + model``
    never says the brand twice.
    """
    make_text = _clean_text(make)
    model_text = _clean_text(model)
    brand: str | None = None
    if make_text:
        lowered = make_text.lower()
        for prefix, name in _MAKE_NAMES.items():
            if lowered == prefix or lowered.startswith((prefix + " ", prefix + ",")):
                brand = name
                break
        if brand is None:
            stripped = _CORPORATE_RE.sub("", make_text).strip(" ,.") or make_text
            # ALL-CAPS names are shouting, not acronyms, unless short (HTC, DJI, TCT).
            brand = stripped.title() if stripped.isupper() and len(stripped) > 3 else stripped
    if model_text and brand:
        words = {brand.lower(), brand.split()[0].lower()}
        if make_text:
            words.add(make_text.lower())
            words.add(make_text.split()[0].lower())
        for word in sorted(words, key=len, reverse=True):
            if model_text.lower().startswith(word + " ") and len(model_text) > len(word) + 1:
                model_text = model_text[len(word) + 1 :].strip()
                break
    return brand, model_text


# -- GPS -----------------------------------------------------------------------------------------
_DMS_RE: Final = re.compile(
    r"^\s*(?P<d>-?\d+(?:\.\d+)?)(?:\s*(?:deg|°)?\s*[, ]\s*(?P<m>\d+(?:\.\d+)?)\s*'?"
    r"(?:\s*[, ]?\s*(?P<s>\d+(?:\.\d+)?)\s*\"?)?)?\s*(?:deg|°)?\s*(?P<ref>[NSEW])?\s*$",
    re.IGNORECASE,
)


def parse_coordinate(value: Any, ref: Any = None) -> float | None:
    """Decimal degrees from a number, ``[d, m, s]`` or a DMS text (``"41 50 36.25"``,
    ``"41,50.6N"``, ``41 deg 50' 36.25" N``), negative when *ref* is S, W, South or West.

    The reference wins over a sign already present (writers disagree on whether to sign).
    """
    ref_text = str(ref).strip().upper()[:1] if ref not in (None, "") else ""
    inline_ref = ""
    if isinstance(value, list) and value:
        parts = [_number(v) for v in value[:3]]
        if any(p is None for p in parts):
            return None
        nums = [p for p in parts if p is not None]
        nums += [0.0] * (3 - len(nums))
        degrees = abs(nums[0]) + nums[1] / 60 + nums[2] / 3600
        negative = nums[0] < 0
    elif isinstance(value, int | float) and not isinstance(value, bool):
        degrees, negative = abs(float(value)), value < 0
    elif isinstance(value, str):
        m = _DMS_RE.match(value)
        if not m:
            return None
        first = float(m["d"])
        degrees = abs(first) + float(m["m"] or 0) / 60 + float(m["s"] or 0) / 3600
        negative = first < 0
        inline_ref = (m["ref"] or "").upper()
    else:
        return None
    if not math.isfinite(degrees):
        return None
    hemisphere = ref_text or inline_ref
    if hemisphere in ("S", "W"):
        negative = True
    elif hemisphere in ("N", "E"):
        negative = False
    return -degrees if negative else degrees


def _gps(raw: Mapping[str, Any], warn: _Warnings) -> tuple[float | None, float | None]:
    lat = lon = None
    for group in ("GPS", "XMP-exif", "Composite"):
        lat_v, lon_v = raw.get(f"{group}:GPSLatitude"), raw.get(f"{group}:GPSLongitude")
        if lat_v in (None, "") or lon_v in (None, ""):
            continue
        lat = parse_coordinate(lat_v, raw.get(f"{group}:GPSLatitudeRef"))
        lon = parse_coordinate(lon_v, raw.get(f"{group}:GPSLongitudeRef"))
        if lat is not None and lon is not None:
            break
    if lat is None or lon is None:
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        warn.add(f"GPS position {lat:.6f}, {lon:.6f} is out of range; ignored")
        return None, None
    if lat == 0 and lon == 0:
        # "Null Island": a GPS that had no fix writes zeros.
        warn.add("GPS position 0, 0 (no fix); ignored")
        return None, None
    return round(lat, 8), round(lon, 8)


def _altitude(raw: Mapping[str, Any], warn: _Warnings) -> float | None:
    for group in ("GPS", "XMP-exif", "Composite"):
        value = _number(raw.get(f"{group}:GPSAltitude"))
        if value is None:
            continue
        ref = raw.get(f"{group}:GPSAltitudeRef")
        below = str(ref).strip() in ("1", "Below Sea Level") if group != "Composite" else False
        altitude = -abs(value) if below else value
        low, high = ALTITUDE_RANGE
        if not low <= altitude <= high:
            warn.add(f"GPS altitude {altitude:g} m is outside {low:g}..{high:g} m; ignored")
            return None
        return round(altitude, 3)
    return None


# -- orientation, size, regions -------------------------------------------------------------------
def _orientation(raw: Mapping[str, Any], file_type: str | None, warn: _Warnings) -> int:
    value = _first(raw, "IFD0:Orientation", "XMP-tiff:Orientation")
    number = _number(value)
    if value is None:
        exif_orientation = 1
    elif number is not None and number.is_integer() and 1 <= number <= 8:
        exif_orientation = int(number)
    else:
        warn.add(f"Orientation {value!r} is not valid (1-8); using 1")
        exif_orientation = 1
    if file_type in _HEIF_TYPES and _heif_transformed(raw):
        # The container's irot/imir already turns the decoded image upright (libheif applies
        # it); EXIF Orientation only repeats that for old readers. Applying it again would
        # rotate twice.
        return 1
    return exif_orientation


def _heif_transformed(raw: Mapping[str, Any]) -> bool:
    return "QuickTime:Rotation" in raw or "QuickTime:Mirror" in raw or "QuickTime:MirrorAxis" in raw


def _size(raw: Mapping[str, Any], file_type: str | None) -> tuple[int | None, int | None]:
    width = height = None
    image_size = raw.get("Composite:ImageSize")
    if isinstance(image_size, str):
        parts = image_size.replace("x", " ").split()
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            width, height = int(parts[0]), int(parts[1])
    if width is None:
        width = _int(
            _first(
                raw,
                "File:ImageWidth",
                "PNG:ImageWidth",
                "IFD0:ImageWidth",
                "ExifIFD:ExifImageWidth",
            )
        )
        height = _int(
            _first(
                raw,
                "File:ImageHeight",
                "PNG:ImageHeight",
                "IFD0:ImageHeight",
                "ExifIFD:ExifImageHeight",
            )
        )
    if not width or not height or width <= 0 or height <= 0:
        return None, None
    if file_type in _HEIF_TYPES:
        # ispe is the size before the container's rotation.
        rotation = _number(raw.get("QuickTime:Rotation")) or 0
        if int(rotation) % 180 == 90:
            width, height = height, width
    return width, height


def _int(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number.is_integer() else None


def _orient_rect(
    x: float, y: float, w: float, h: float, orientation: int
) -> tuple[float, float, float, float]:
    """Map a normalised top-left rectangle on the stored image onto the displayed image."""
    match orientation:
        case 2:
            return 1 - x - w, y, w, h
        case 3:
            return 1 - x - w, 1 - y - h, w, h
        case 4:
            return x, 1 - y - h, w, h
        case 5:
            return y, x, h, w
        case 6:
            return 1 - y - h, x, h, w
        case 7:
            return 1 - y - h, 1 - x - w, h, w
        case 8:
            return y, 1 - x - w, h, w
        case _:
            return x, y, w, h


def _clamp01(value: float) -> float:
    return min(1.0, max(0.0, value))


def _regions(raw: Mapping[str, Any], orientation: int, warn: _Warnings) -> tuple[Region, ...]:
    found: list[Region] = []
    info = raw.get("XMP-mwg-rs:RegionInfo")
    if isinstance(info, dict):
        for item in info.get("RegionList") or []:
            area = item.get("Area") if isinstance(item, dict) else None
            if not isinstance(area, dict):
                continue
            nums = [_number(area.get(k)) for k in ("X", "Y", "W", "H")]
            if any(n is None for n in nums) or str(area.get("Unit", "normalized")) != "normalized":
                warn.add("an XMP region without a normalised area was ignored")
                continue
            cx, cy, w, h = (n for n in nums if n is not None)
            # MWG areas give the centre, on the image as stored (before orientation).
            x, y, w, h = _orient_rect(cx - w / 2, cy - h / 2, w, h, orientation)
            found.append(_region(item.get("Name"), item.get("Type"), x, y, w, h))
    if not found:
        info_mp = raw.get("XMP-MP:RegionInfoMP")
        if isinstance(info_mp, dict):
            for item in info_mp.get("Regions") or []:
                if not isinstance(item, dict):
                    continue
                rect = [_number(v) for v in str(item.get("Rectangle", "")).split(",")]
                if len(rect) != 4 or any(v is None for v in rect):
                    continue
                x, y, w, h = (v for v in rect if v is not None)
                # Microsoft Photo regions are top-left based, on the displayed image.
                found.append(_region(item.get("PersonDisplayName"), "Face", x, y, w, h))
    return tuple(found)


def _region(name: Any, type_: Any, x: float, y: float, w: float, h: float) -> Region:
    x, y = _clamp01(x), _clamp01(y)
    return Region(
        name=_clean_text(name),
        type=_clean_text(type_),
        x=round(x, 6),
        y=round(y, 6),
        w=round(min(_clamp01(w), 1 - x), 6),
        h=round(min(_clamp01(h), 1 - y), 6),
    )


# -- rating, keywords, text ---------------------------------------------------------------------
def _rating(raw: Mapping[str, Any], warn: _Warnings) -> int | None:
    value = _number(_first(raw, "XMP-xmp:Rating", "IFD0:Rating"))
    if value is None:
        percent = _number(_first(raw, "XMP-microsoft:RatingPercent", "IFD0:RatingPercent"))
        if percent is None:
            return None
        value = round(percent / 20) if 0 <= percent <= 100 else None
        if value is None:
            warn.add(f"RatingPercent {percent:g} is outside 0-100; ignored")
            return None
    if value == -1:
        warn.add("Rating -1 (rejected) stored as 0")
        return 0
    if not 0 <= value <= 5:
        warn.add(f"Rating {value:g} is outside 0-5; ignored")
        return None
    return round(value)


def _keywords(raw: Mapping[str, Any]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for key in ("XMP-dc:Subject", "IPTC:Keywords", "IFD0:XPKeywords"):
        value = raw.get(key)
        items: list[Any]
        if isinstance(value, list):
            items = value
        elif isinstance(value, str):
            items = value.split(";") if key == "IFD0:XPKeywords" else value.split(",")
        elif value is not None:
            items = [value]
        else:
            items = []
        for item in items:
            text = _clean_text(item)
            if text and text.casefold() not in seen:
                seen[text.casefold()] = text
    return tuple(seen.values())


def _lens(raw: Mapping[str, Any]) -> str | None:
    """The lens as the camera named it; exiftool's lookup from the maker's lens code otherwise.

    The camera's text is exact; exiftool's ``LensID`` guesses between lenses that share a code
    (it calls a Canon "EF28-80mm f/3.5-5.6 USM" the "... USM IV"), so it is used only when the
    camera wrote no name (older Nikons), and never when it is "Unknown 7-21mm".
    """
    model = _clean_text(_first(raw, "ExifIFD:LensModel", "XMP-exifEX:LensModel"))
    if model:
        return model
    lens_id = _clean_text(raw.get("Composite:LensID"))
    if lens_id and not lens_id.lower().startswith("unknown"):
        return lens_id
    # What an editor (Lightroom) wrote, then the focal range exiftool works out from the
    # camera's lens information ("7.1 - 21.3 mm").
    return _clean_text(_first(raw, "XMP-aux:Lens", "Composite:Lens")) or lens_id


def _description(raw: Mapping[str, Any]) -> str | None:
    for key in (
        "XMP-dc:Description",
        "IPTC:Caption-Abstract",
        "IFD0:ImageDescription",
    ):
        text = _clean_text(raw.get(key))
        if text and text.casefold() not in _PLACEHOLDER_DESCRIPTIONS:
            return text
    return None


def _artist(raw: Mapping[str, Any], warn: _Warnings) -> str | None:
    for key in ("IFD0:Artist", "XMP-dc:Creator", "IPTC:By-line"):
        value = raw.get(key)
        if value in (None, "", []) or (isinstance(value, list) and not any(value)):
            continue
        text = _clean_text(value)
        if text is None:
            warn.add(f"{key.split(':')[1]} {value!r} is not readable text; ignored")
            continue
        return text
    return None


# -- the parser ---------------------------------------------------------------------------------
def _json_safe(value: Any, depth: int = 0) -> Any:
    """Keep the dump small and serialisable: long strings cut, nesting bounded."""
    if isinstance(value, str):
        return value if len(value) <= 2000 else value[:2000] + "…"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool | int | float) or value is None:
        return value
    if depth > 8:
        return None
    if isinstance(value, list):
        return [_json_safe(v, depth + 1) for v in value[:1000]]
    if isinstance(value, dict):
        return {str(k): _json_safe(v, depth + 1) for k, v in value.items()}
    return str(value)


def parse(
    raw: Mapping[str, Any],
    *,
    path: Path,
    mtime: float | None,
    sidecar: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Metadata:
    """Turn one exiftool JSON dict (see ``ExifTool.read``) into :class:`Metadata`. No I/O.

    *mtime* is the file's modification time (the last date fallback); *sidecar* is the exiftool
    dict of an XMP sidecar, whose rating, keywords, description and regions win over the file's.
    *now* (for the "date in the future" check) defaults to the current time.
    """
    warn = _Warnings()
    now = now or datetime.now(UTC)
    for key in ("ExifTool:Warning", "ExifTool:Error"):
        message = _clean_text(raw.get(key))
        if message:
            warn.add(f"exiftool: {message}")

    file_type = _clean_text(raw.get("File:FileType"))
    orientation = _orientation(raw, file_type, warn)
    width, height = _size(raw, file_type)
    if width is not None and height is not None and orientation >= 5:
        width, height = height, width
    taken_at, source = _taken_at(raw, path, mtime, warn, now)
    make, model = normalise_camera(
        _any_group(raw, "Make"),
        _any_group(raw, "Model") or _any_group(raw, "UniqueCameraModel"),
    )
    latitude, longitude = _gps(raw, warn)

    # The sidecar is what the user edited last (Lightroom, darktable, digiKam): it wins.
    side = sidecar or {}
    rating = _rating(side, warn) if side else None
    if rating is None:
        rating = _rating(raw, warn)
    keywords = _keywords(side) or _keywords(raw)
    description = _description(side) or _description(raw)
    regions = _regions(side, orientation, warn) or _regions(raw, orientation, warn)

    flash = _number(_tag_anywhere(raw, "Flash"))
    iso = _number(_first(raw, "ExifIFD:ISO", "IFD0:ISO", "XMP-exif:ISO", "Composite:ISO"))
    aperture = _number(
        _first(
            raw,
            "ExifIFD:FNumber",
            "IFD0:FNumber",
            "Composite:Aperture",
            "ExifIFD:ApertureValue",
            "XMP-exif:FNumber",
        )
    )
    exposure = _number(
        _first(
            raw,
            "ExifIFD:ExposureTime",
            "IFD0:ExposureTime",
            "XMP-exif:ExposureTime",
            "Composite:ShutterSpeed",
        )
    )
    focal = _number(_first(raw, "ExifIFD:FocalLength", "IFD0:FocalLength", "XMP-exif:FocalLength"))
    focal35 = _number(_first(raw, "ExifIFD:FocalLengthIn35mmFormat", "Composite:FocalLength35efl"))

    dump = {k: _json_safe(v) for k, v in raw.items() if k != "SourceFile"}
    if sidecar:
        dump["Sidecar"] = {k: _json_safe(v) for k, v in sidecar.items() if k != "SourceFile"}

    return Metadata(
        path=path,
        file_type=file_type,
        mime_type=_clean_text(raw.get("File:MIMEType")),
        taken_at=taken_at,
        taken_at_source=source,
        camera_make=make,
        camera_model=model,
        lens=_lens(raw),
        aperture=round(aperture, 2) if aperture and aperture > 0 else None,
        exposure_time=exposure if exposure and exposure > 0 else None,
        iso=int(iso) if iso and iso > 0 else None,
        focal_length=round(focal, 2) if focal and focal > 0 else None,
        focal_length_35mm=round(focal35, 2) if focal35 and focal35 > 0 else None,
        flash_fired=bool(int(flash) & 1) if flash is not None else None,
        metering_mode=_clean_text(_tag_anywhere(raw, "MeteringMode")),
        drive_mode=_clean_text(_first(raw, *_MAKER_DRIVE_KEYS)),
        exposure_program=_clean_text(
            _first(raw, "ExifIFD:ExposureProgram", "XMP-exif:ExposureProgram",
                   "Composite:ShootingMode")
        ),
        latitude=latitude,
        longitude=longitude,
        altitude=_altitude(raw, warn) if latitude is not None else None,
        orientation=orientation,
        width=width,
        height=height,
        rating=rating,
        keywords=keywords,
        description=description,
        artist=_artist(raw, warn),
        regions=regions,
        warnings=tuple(warn.items),
        raw=dump,
    )  # fmt: skip


# -- batch reading ------------------------------------------------------------------------------
def find_sidecar(path: Path) -> Path | None:
    """The XMP sidecar of *path*: ``photo.jpg.xmp`` (darktable) or ``photo.xmp`` (Lightroom)."""
    for candidate in (
        path.with_name(path.name + ".xmp"),
        path.with_name(path.name + ".XMP"),
        path.with_suffix(".xmp"),
        path.with_suffix(".XMP"),
    ):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def _fatal(raw: Mapping[str, Any], kind: FileKind) -> str | None:
    """The reason a file cannot be a photo, from exiftool's verdict, or None."""
    error = _clean_text(raw.get("ExifTool:Error"))
    if error:
        if kind is FileKind.RAW and "unsupported" in error.lower():
            return None  # header-less RAW: LibRaw knows it by its size, exiftool does not
        return f"cannot read metadata: {error}"
    warning = (_clean_text(raw.get("ExifTool:Warning")) or "").lower()
    has_size = raw.get("Composite:ImageSize") not in (None, "")
    if (
        not has_size
        and kind is FileKind.PHOTO
        and any(w in warning for w in _EXIFTOOL_FATAL_WARNINGS)
    ):
        return f"damaged file: {raw.get('ExifTool:Warning')}"
    return None


def read_metadata(
    paths: Sequence[Path],
    exiftool: ExifTool,
    *,
    sidecars: bool = True,
    timeout: float | None = None,
) -> list[MetadataResult]:
    """Read the metadata of *paths* in one exiftool round trip; one result per path, same order.

    Each result is :class:`Metadata` (possibly with ``warnings``) or :class:`MetadataError`
    (missing, empty, not an image, unreadable). XMP sidecars next to the files are read too when
    *sidecars* is true. If exiftool times out on the batch, files are retried one by one so only
    the culprit fails.
    """
    results: list[MetadataResult | None] = [None] * len(paths)
    content_warnings: dict[int, str] = {}
    mtimes: dict[int, float] = {}
    to_read: list[int] = []
    for index, path in enumerate(paths):
        try:
            stat = path.stat()
            with path.open("rb") as fh:
                head = fh.read(64)
        except FileNotFoundError:
            results[index] = MetadataError(path, "file not found")
            continue
        except OSError as exc:
            results[index] = MetadataError(path, f"cannot open file: {exc.strerror or exc}")
            continue
        check = check_content(path, head)
        if check.error:
            results[index] = MetadataError(path, check.error)
            continue
        if check.warning:
            content_warnings[index] = check.warning
        mtimes[index] = stat.st_mtime
        to_read.append(index)

    sidecar_of: dict[int, Path] = {}
    if sidecars:
        for index in to_read:
            found = find_sidecar(paths[index])
            if found is not None:
                sidecar_of[index] = found
    batch = [paths[i] for i in to_read] + [sidecar_of[i] for i in to_read if i in sidecar_of]
    dumps = _read_batch(batch, exiftool, timeout)
    by_sidecar = dict(zip(batch[len(to_read) :], dumps[len(to_read) :], strict=True))

    for index, raw in zip(to_read, dumps, strict=False):
        path = paths[index]
        kind = kind_for_path(path)
        reason = _fatal(raw, kind)
        if reason:
            results[index] = MetadataError(path, reason)
            continue
        side_path = sidecar_of.get(index)
        side = by_sidecar.get(side_path) if side_path else None
        if side is not None and side.get("ExifTool:Error"):
            side = None
        meta = parse(raw, path=path, mtime=mtimes[index], sidecar=side)
        if meta.file_type in ("HEIC", "HEIF"):
            meta = _heif_size(meta)
        if index in content_warnings:
            meta = _with_warning(meta, content_warnings[index])
        results[index] = meta
    return [
        r if r is not None else MetadataError(p, "not read")
        for r, p in zip(results, paths, strict=True)
    ]


def _heif_size(meta: Metadata) -> Metadata:
    """The displayed size of a HEIC/HEIF from libheif, which decodes it, when exiftool differs.

    exiftool reports the ``ispe`` box, which a damaged or unusual file may set apart from the
    primary image libheif actually decodes (a truncated file: 64x64 declared, 16x16 decoded).
    libheif's size already has the container's rotation applied; EXIF orientation comes on top.
    """
    try:
        import pillow_heif  # only HEIF files need it

        width, height = pillow_heif.open_heif(meta.path, convert_hdr_to_8bit=False).size
    except Exception:  # noqa: BLE001 - decoding will report it; the metadata stays usable
        return meta
    if meta.orientation >= 5:
        width, height = height, width
    if (width, height) == (meta.width, meta.height):
        return meta
    return replace(
        meta,
        width=width,
        height=height,
        warnings=(
            *meta.warnings,
            f"the file declares {meta.width}x{meta.height} pixels; its image is {width}x{height}",
        ),
    )


def _with_warning(meta: Metadata, message: str) -> Metadata:
    return replace(meta, warnings=(message, *meta.warnings))


def _read_batch(
    paths: Sequence[Path], exiftool: ExifTool, timeout: float | None
) -> list[dict[str, Any]]:
    if not paths:
        return []
    try:
        return exiftool.read(paths, timeout=timeout)
    except ExifToolTimeout:
        if len(paths) == 1:
            return [{"SourceFile": str(paths[0]), "ExifTool:Error": "timed out reading metadata"}]
    # One file made exiftool hang: read one at a time so the others still succeed.
    out: list[dict[str, Any]] = []
    for path in paths:
        try:
            out.extend(exiftool.read([path], timeout=timeout))
        except ExifToolTimeout:
            out.append({"SourceFile": str(path), "ExifTool:Error": "timed out reading metadata"})
    return out
