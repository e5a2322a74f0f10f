"""The small readers every metadata rule uses: exiftool values to numbers and clean text.

Internal to :mod:`photonix.media.metadata`. Keys are exiftool's ``Group:Tag`` (``-G1``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = [
    "Warnings",
    "any_group",
    "clean_text",
    "first_value",
    "tag_anywhere",
    "to_int",
    "to_number",
]


# Groups exiftool (-G1) uses for EXIF IFDs in the files we read.
_EXIF_GROUPS: Final = ("ExifIFD", "IFD0", "SubIFD", "IFD1")


def first_value(raw: Mapping[str, Any], *keys: str) -> Any:
    """The first present, non-empty value among *keys*."""
    for key in keys:
        value = raw.get(key)
        if value is not None and value != "" and value != []:
            return value
    return None


def any_group(raw: Mapping[str, Any], tag: str, groups: Iterable[str] = _EXIF_GROUPS) -> Any:
    """The first present value of *tag* among *groups* (the EXIF ones by default)."""
    return first_value(raw, *(f"{g}:{tag}" for g in groups))


def tag_anywhere(raw: Mapping[str, Any], tag: str) -> Any:
    """Value of *tag* in whichever group holds it (preferring EXIF, then the first seen)."""
    value = any_group(raw, tag)
    if value is not None:
        return value
    suffix = ":" + tag
    for key, val in raw.items():
        if key.endswith(suffix) and val not in (None, "", []):
            return val
    return None


def to_number(value: Any) -> float | None:
    """A finite float from a number, a text starting with one, or a list's first item; else None."""
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
        return to_number(value[0])
    else:
        return None
    return result if math.isfinite(result) else None


def to_int(value: Any) -> int | None:
    """:func:`to_number` when it is a whole number, else None."""
    number = to_number(value)
    return int(number) if number is not None and number.is_integer() else None


def clean_text(value: Any) -> str | None:
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


class Warnings:
    """The values a rule dropped or repaired, each message once, in order."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.items:
            self.items.append(message)
