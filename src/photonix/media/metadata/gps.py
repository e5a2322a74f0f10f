"""Where a photo was taken: GPS coordinates in any notation, checked, and the altitude."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Final

from photonix.media.metadata.values import Warnings, to_number

__all__ = ["ALTITUDE_RANGE", "parse_coordinate", "read_altitude", "read_position"]


ALTITUDE_RANGE: Final = (-500.0, 10_000.0)  # metres; beyond this the value is a writer bug
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
        parts = [to_number(v) for v in value[:3]]
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


def read_position(raw: Mapping[str, Any], warn: Warnings) -> tuple[float | None, float | None]:
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


def read_altitude(raw: Mapping[str, Any], warn: Warnings) -> float | None:
    for group in ("GPS", "XMP-exif", "Composite"):
        value = to_number(raw.get(f"{group}:GPSAltitude"))
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
