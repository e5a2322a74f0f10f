"""Named areas of a photo (faces) from XMP, mapped onto the displayed image."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from photonix.media.metadata.model import Region
from photonix.media.metadata.values import Warnings, clean_text, to_number

__all__ = ["read_regions"]


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


def read_regions(raw: Mapping[str, Any], orientation: int, warn: Warnings) -> tuple[Region, ...]:
    found: list[Region] = []
    info = raw.get("XMP-mwg-rs:RegionInfo")
    if isinstance(info, dict):
        for item in info.get("RegionList") or []:
            area = item.get("Area") if isinstance(item, dict) else None
            if not isinstance(area, dict):
                continue
            nums = [to_number(area.get(k)) for k in ("X", "Y", "W", "H")]
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
                rect = [to_number(v) for v in str(item.get("Rectangle", "")).split(",")]
                if len(rect) != 4 or any(v is None for v in rect):
                    continue
                x, y, w, h = (v for v in rect if v is not None)
                # Microsoft Photo regions are top-left based, on the displayed image.
                found.append(_region(item.get("PersonDisplayName"), "Face", x, y, w, h))
    return tuple(found)


def _region(name: Any, type_: Any, x: float, y: float, w: float, h: float) -> Region:
    x, y = _clamp01(x), _clamp01(y)
    return Region(
        name=clean_text(name),
        type=clean_text(type_),
        x=round(x, 6),
        y=round(y, 6),
        w=round(min(_clamp01(w), 1 - x), 6),
        h=round(min(_clamp01(h), 1 - y), 6),
    )
