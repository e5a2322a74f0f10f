"""The date a photo was taken: lenient date parsing and the fallback order of ``DATE_SOURCES``.

The rules are described in ``docs/metadata.md``, "Date taken".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final

from photonix.media.metadata.values import Warnings, any_group, first_value

__all__ = [
    "DATE_SOURCES",
    "EARLIEST_YEAR",
    "GPS_OFFSET_SLACK",
    "PERSON_SOURCE",
    "SIDECAR_SOURCE",
    "UNDATED_SOURCES",
    "date_from_filename",
    "parse_date",
    "read_sidecar_taken_at",
    "read_taken_at",
]


#: The values ``Metadata.taken_at_source`` takes from the file itself, in the order they are
#: tried. Before all of them comes :data:`SIDECAR_SOURCE`; a person's edit is
#: :data:`PERSON_SOURCE` (in ``Photo.taken_source``, never read from a file).
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
#: The XMP sidecar's DateTimeOriginal, DateCreated or CreateDate: it wins over the file's.
SIDECAR_SOURCE: Final = "sidecar"
#: Set by a person in Photonix.
PERSON_SOURCE: Final = "person"
#: Sources that say nothing about when the photo was taken, only when its file was written.
UNDATED_SOURCES: Final[tuple[str, ...]] = ("mtime",)
EARLIEST_YEAR: Final = 1826  # the oldest surviving photograph; anything earlier is a wrong clock
GPS_OFFSET_SLACK: Final = timedelta(minutes=2)
_XMP_DTO_KEYS: Final = ("XMP-exif:DateTimeOriginal", "XMP-photoshop:DateCreated")


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


def _plausible(value: datetime, what: str, warn: Warnings, now: datetime) -> bool:
    if value.year < EARLIEST_YEAR:
        warn.add(f"{what} {value.isoformat(sep=' ')} is before {EARLIEST_YEAR}; ignored")
        return False
    compare = value if value.tzinfo else value.replace(tzinfo=UTC)
    if compare > now + timedelta(days=1):
        warn.add(f"{what} {value.isoformat(sep=' ')} is in the future; ignored")
        return False
    return True


def read_sidecar_taken_at(
    side: Mapping[str, Any], warn: Warnings, now: datetime
) -> datetime | None:
    """The date an XMP sidecar gives (what a person set in another program): its
    DateTimeOriginal, else DateCreated, else CreateDate; None when it gives none."""
    for key in (*_XMP_DTO_KEYS, "XMP-xmp:CreateDate"):
        stored = side.get(key)
        if not (isinstance(stored, str) and stored.strip()):
            continue
        value = parse_date(stored)
        if value is None:
            warn.add(f"sidecar {key.split(':')[1]} {stored.strip()!r} is not a valid date; ignored")
        elif _plausible(value, f"sidecar {key.split(':')[1]}", warn, now):
            return value
    return None


def read_taken_at(
    raw: Mapping[str, Any], path: Path, mtime: float | None, warn: Warnings, now: datetime
) -> tuple[datetime | None, str | None]:
    def exif(tag: str, subsec: str, offset: str) -> Callable[[], datetime | None]:
        return lambda: parse_date(
            any_group(raw, tag),
            subsec=any_group(raw, subsec),
            offset=any_group(raw, offset),
        )

    def xmp_dto() -> datetime | None:
        return parse_date(first_value(raw, *_XMP_DTO_KEYS))

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
        stamp = first_value(raw, "Composite:GPSDateTime", "XMP-exif:GPSDateTime")
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
        "exif:DateTimeOriginal": any_group(raw, "DateTimeOriginal"),
        "xmp:DateTimeOriginal": first_value(raw, *_XMP_DTO_KEYS),
        "iptc:DateCreated": raw.get("IPTC:DateCreated"),
        "exif:CreateDate": any_group(raw, "CreateDate"),
        "xmp:CreateDate": raw.get("XMP-xmp:CreateDate"),
        "exif:ModifyDate": any_group(raw, "ModifyDate"),
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
