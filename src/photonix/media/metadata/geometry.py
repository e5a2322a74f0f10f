"""The orientation still to apply to a photo and its size as displayed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from photonix.media.metadata.values import Warnings, first_value, to_int, to_number

__all__ = ["read_orientation", "read_size"]


_HEIF_TYPES: Final = frozenset({"HEIC", "HEIF", "AVIF"})


def read_orientation(raw: Mapping[str, Any], file_type: str | None, warn: Warnings) -> int:
    value = first_value(raw, "IFD0:Orientation", "XMP-tiff:Orientation")
    number = to_number(value)
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


def read_size(raw: Mapping[str, Any], file_type: str | None) -> tuple[int | None, int | None]:
    width = height = None
    image_size = raw.get("Composite:ImageSize")
    if isinstance(image_size, str):
        parts = image_size.replace("x", " ").split()
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            width, height = int(parts[0]), int(parts[1])
    if width is None:
        width = to_int(
            first_value(
                raw,
                "File:ImageWidth",
                "PNG:ImageWidth",
                "IFD0:ImageWidth",
                "ExifIFD:ExifImageWidth",
            )
        )
        height = to_int(
            first_value(
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
        rotation = to_number(raw.get("QuickTime:Rotation")) or 0
        if int(rotation) % 180 == 90:
            width, height = height, width
    return width, height
