"""One exiftool dump (and its sidecar's) turned into :class:`Metadata`: pure, no I/O.

:func:`parse` is pure (a dict in, a :class:`Metadata` out) so every rule can be unit-tested on
synthetic dicts. The rules (date fallback order, sanitising, camera names) are described in
``docs/metadata.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from photonix.media.metadata.annotations import (
    read_artist,
    read_description,
    read_keywords,
    read_rating,
    read_title,
)
from photonix.media.metadata.camera import normalise_camera, read_drive_mode, read_lens
from photonix.media.metadata.dates import SIDECAR_SOURCE, read_sidecar_taken_at, read_taken_at
from photonix.media.metadata.geometry import read_orientation, read_size
from photonix.media.metadata.gps import read_altitude, read_position
from photonix.media.metadata.model import Metadata
from photonix.media.metadata.regions import read_regions
from photonix.media.metadata.values import (
    Warnings,
    any_group,
    clean_text,
    first_value,
    tag_anywhere,
    to_number,
)

__all__ = ["parse"]


def json_safe(value: Any, depth: int = 0) -> Any:
    """Keep the dump small and storable as JSON in SQLite and PostgreSQL alike: long strings
    cut, NUL characters dropped (PostgreSQL's JSON refuses them), nesting bounded."""
    if isinstance(value, str):
        value = value.replace("\x00", "")
        return value if len(value) <= 2000 else value[:2000] + "…"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool | int | float) or value is None:
        return value
    if depth > 8:
        return None
    if isinstance(value, list | tuple):
        return [json_safe(v, depth + 1) for v in value[:1000]]
    if isinstance(value, dict):
        return {str(k): json_safe(v, depth + 1) for k, v in value.items()}
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
    dict of an XMP sidecar, whose date, place, rating, keywords, title, description and regions
    win over the file's.
    *now* (for the "date in the future" check) defaults to the current time.
    """
    warn = Warnings()
    now = now or datetime.now(UTC)
    for key in ("ExifTool:Warning", "ExifTool:Error"):
        message = clean_text(raw.get(key))
        if message:
            warn.add(f"exiftool: {message}")

    file_type = clean_text(raw.get("File:FileType"))
    orientation = read_orientation(raw, file_type, warn)
    width, height = read_size(raw, file_type)
    if width is not None and height is not None and orientation >= 5:
        width, height = height, width
    taken_at, source = read_taken_at(raw, path, mtime, warn, now)
    make, model = normalise_camera(
        any_group(raw, "Make"),
        any_group(raw, "Model") or any_group(raw, "UniqueCameraModel"),
    )
    latitude, longitude = read_position(raw, warn)

    # The sidecar is what the user edited last (Lightroom, darktable, digiKam): it wins.
    side = sidecar or {}
    side_taken = read_sidecar_taken_at(side, warn, now) if side else None
    if side_taken is not None:
        taken_at, source = side_taken, SIDECAR_SOURCE
    side_lat, side_lon = read_position(side, warn) if side else (None, None)
    if side_lat is not None and side_lon is not None:
        latitude, longitude = side_lat, side_lon
        altitude = read_altitude(side, warn)
    else:
        altitude = read_altitude(raw, warn) if latitude is not None else None
    rating = read_rating(side, warn) if side else None
    if rating is None:
        rating = read_rating(raw, warn)
    keywords = read_keywords(side) or read_keywords(raw)
    title = read_title(side) or read_title(raw)
    description = read_description(side) or read_description(raw)
    regions = read_regions(side, orientation, warn) or read_regions(raw, orientation, warn)

    flash = to_number(tag_anywhere(raw, "Flash"))
    iso = to_number(first_value(raw, "ExifIFD:ISO", "IFD0:ISO", "XMP-exif:ISO", "Composite:ISO"))
    aperture = to_number(
        first_value(
            raw,
            "ExifIFD:FNumber",
            "IFD0:FNumber",
            "Composite:Aperture",
            "ExifIFD:ApertureValue",
            "XMP-exif:FNumber",
        )
    )
    exposure = to_number(
        first_value(
            raw,
            "ExifIFD:ExposureTime",
            "IFD0:ExposureTime",
            "XMP-exif:ExposureTime",
            "Composite:ShutterSpeed",
        )
    )
    focal = to_number(
        first_value(raw, "ExifIFD:FocalLength", "IFD0:FocalLength", "XMP-exif:FocalLength")
    )
    focal35 = to_number(
        first_value(raw, "ExifIFD:FocalLengthIn35mmFormat", "Composite:FocalLength35efl")
    )

    dump = {k: json_safe(v) for k, v in raw.items() if k != "SourceFile"}
    if sidecar:
        dump["Sidecar"] = {k: json_safe(v) for k, v in sidecar.items() if k != "SourceFile"}

    return Metadata(
        path=path,
        file_type=file_type,
        mime_type=clean_text(raw.get("File:MIMEType")),
        taken_at=taken_at,
        taken_at_source=source,
        camera_make=make,
        camera_model=model,
        lens=read_lens(raw),
        aperture=round(aperture, 2) if aperture and aperture > 0 else None,
        exposure_time=exposure if exposure and exposure > 0 else None,
        iso=int(iso) if iso and iso > 0 else None,
        focal_length=round(focal, 2) if focal and focal > 0 else None,
        focal_length_35mm=round(focal35, 2) if focal35 and focal35 > 0 else None,
        flash_fired=bool(int(flash) & 1) if flash is not None else None,
        metering_mode=clean_text(tag_anywhere(raw, "MeteringMode")),
        drive_mode=read_drive_mode(raw),
        exposure_program=clean_text(
            first_value(raw, "ExifIFD:ExposureProgram", "XMP-exif:ExposureProgram",
                   "Composite:ShootingMode")
        ),
        latitude=latitude,
        longitude=longitude,
        altitude=altitude,
        orientation=orientation,
        width=width,
        height=height,
        rating=rating,
        keywords=keywords,
        title=title,
        description=description,
        artist=read_artist(raw, warn),
        regions=regions,
        warnings=tuple(warn.items),
        raw=dump,
    )  # fmt: skip
