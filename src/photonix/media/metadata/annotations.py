"""What people wrote about a photo: rating, keywords, description and artist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from photonix.media.metadata.values import Warnings, clean_text, first_value, to_number

__all__ = ["read_artist", "read_description", "read_keywords", "read_rating", "read_title"]


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


def read_rating(raw: Mapping[str, Any], warn: Warnings) -> int | None:
    value = to_number(first_value(raw, "XMP-xmp:Rating", "IFD0:Rating"))
    if value is None:
        percent = to_number(first_value(raw, "XMP-microsoft:RatingPercent", "IFD0:RatingPercent"))
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


def read_keywords(raw: Mapping[str, Any]) -> tuple[str, ...]:
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
            text = clean_text(item)
            if text and text.casefold() not in seen:
                seen[text.casefold()] = text
    return tuple(seen.values())


def read_description(raw: Mapping[str, Any]) -> str | None:
    for key in (
        "XMP-dc:Description",
        "IPTC:Caption-Abstract",
        "IFD0:ImageDescription",
    ):
        text = clean_text(raw.get(key))
        if text and text.casefold() not in _PLACEHOLDER_DESCRIPTIONS:
            return text
    return None


def read_title(raw: Mapping[str, Any]) -> str | None:
    """The photo's title (a short name, distinct from its description)."""
    for key in ("XMP-dc:Title", "IPTC:ObjectName", "XMP-photoshop:Headline"):
        text = clean_text(raw.get(key))
        if text:
            return text[:500]
    return None


def read_artist(raw: Mapping[str, Any], warn: Warnings) -> str | None:
    for key in ("IFD0:Artist", "XMP-dc:Creator", "IPTC:By-line"):
        value = raw.get(key)
        if value in (None, "", []) or (isinstance(value, list) and not any(value)):
            continue
        text = clean_text(value)
        if text is None:
            warn.add(f"{key.split(':')[1]} {value!r} is not readable text; ignored")
            continue
        return text
    return None
