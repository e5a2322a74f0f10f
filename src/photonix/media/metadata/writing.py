"""Writing a person's edits with exiftool: to an XMP sidecar next to the file, or into it.

The sidecar is ``<name>.<ext>.xmp`` (``IMG_1.JPG.xmp``), the name darktable and digiKam use: a
RAW and its JPEG (``IMG_1.CR2``, ``IMG_1.JPG``) each get their own, where Lightroom's
``IMG_1.xmp`` would be shared by both. A sidecar already there under either name
(:func:`~photonix.media.metadata.reading.find_sidecar`) is updated in place, so what other
programs wrote into it stays. The values are written where the readers of
:mod:`~photonix.media.metadata.parsing` (and other programs) look for them first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from photonix.media.exiftool import ExifTool, ExifToolError
from photonix.media.metadata.reading import find_sidecar

__all__ = ["Edits", "MetadataWriteError", "sidecar_path", "write_edits"]


class MetadataWriteError(Exception):
    """The edits could not be written (read-only folder, damaged sidecar, exiftool refused)."""


@dataclass(frozen=True)
class Edits:
    """What to write. A field left ``None`` with its name in ``clear`` is removed; a field left
    ``None`` otherwise is not touched."""

    taken_at: dt.datetime | None = None  #: aware when the time zone is known
    location: tuple[float, float, float | None] | None = None  #: latitude, longitude, altitude
    rating: int | None = None
    title: str | None = None
    description: str | None = None
    clear: frozenset[str] = frozenset()  #: "taken", "location", "rating", "title", "description"


def sidecar_path(path: Path) -> Path:
    """The sidecar edits of *path* go to: the one already there, else ``<name>.xmp``."""
    return find_sidecar(path) or path.with_name(path.name + ".xmp")


def _escape(text: str) -> str:
    # Sent with ``-ec``: exiftool turns C escapes back into the characters (a description may
    # hold line breaks, which the ``-@`` protocol cannot carry as they are).
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _date_args(taken: dt.datetime | None, *, original: bool) -> list[str]:
    if taken is None:
        value = offset = ""
    else:
        value = taken.strftime("%Y:%m:%d %H:%M:%S")
        utc_offset = taken.utcoffset()
        offset = ""
        if utc_offset is not None:
            minutes = int(utc_offset.total_seconds() // 60)
            sign = "-" if minutes < 0 else "+"
            offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    args = [
        f"-XMP-exif:DateTimeOriginal={value}{offset}",
        f"-XMP-photoshop:DateCreated={value}{offset}",
    ]
    if original:
        args += [f"-EXIF:DateTimeOriginal={value}", f"-EXIF:OffsetTimeOriginal={offset}"]
    return args


def _location_args(
    location: tuple[float, float, float | None] | None, *, original: bool
) -> list[str]:
    if location is None:
        lat = lon = alt = ""
        lat_ref = lon_ref = alt_ref = ""
    else:
        latitude, longitude, altitude = location
        lat, lon = f"{abs(latitude):.8f}", f"{abs(longitude):.8f}"
        lat_ref, lon_ref = ("S" if latitude < 0 else "N"), ("W" if longitude < 0 else "E")
        alt = "" if altitude is None else f"{abs(altitude):.3f}"
        alt_ref = "" if altitude is None else ("1" if altitude < 0 else "0")
    # XMP stores the hemisphere inside the value ("48,51.0N"); exiftool takes a signed number.
    signed_lat = "" if location is None else f"{location[0]:.8f}"
    signed_lon = "" if location is None else f"{location[1]:.8f}"
    args = [
        f"-XMP-exif:GPSLatitude={signed_lat}",
        f"-XMP-exif:GPSLongitude={signed_lon}",
        f"-XMP-exif:GPSAltitude={alt}",
        f"-XMP-exif:GPSAltitudeRef#={alt_ref}",
    ]
    if original:
        args += [
            f"-GPS:GPSLatitude={lat}",
            f"-GPS:GPSLatitudeRef={lat_ref}",
            f"-GPS:GPSLongitude={lon}",
            f"-GPS:GPSLongitudeRef={lon_ref}",
            f"-GPS:GPSAltitude={alt}",
            f"-GPS:GPSAltitudeRef#={alt_ref}",
        ]
    return args


def edit_args(edits: Edits, *, original: bool) -> list[str]:
    """exiftool's arguments setting (or clearing) each edited value."""
    args: list[str] = []
    if edits.taken_at is not None or "taken" in edits.clear:
        args += _date_args(edits.taken_at, original=original)
    if edits.location is not None or "location" in edits.clear:
        args += _location_args(edits.location, original=original)
    if edits.rating is not None or "rating" in edits.clear:
        rating = "" if edits.rating is None else str(edits.rating)
        args.append(f"-XMP-xmp:Rating={rating}")
    if edits.title is not None or "title" in edits.clear:
        args.append(f"-XMP-dc:Title={_escape(edits.title or '')}")
    if edits.description is not None or "description" in edits.clear:
        args.append(f"-XMP-dc:Description={_escape(edits.description or '')}")
    return args


def write_edits(exiftool: ExifTool, path: Path, edits: Edits, *, original: bool = False) -> Path:
    """Write *edits* for the file at *path*: into its XMP sidecar (made when there is none), or
    into the file itself when *original* is true. Returns the path written.

    Raises :class:`MetadataWriteError` with exiftool's reason when nothing could be written: the
    folder is read-only, the sidecar is not well-formed XMP (it is then left as it was), the
    file is gone. A file is never left half-written: exiftool writes a new copy and renames it.
    """
    args = edit_args(edits, original=original)
    target = path if original else sidecar_path(path)
    if not args:
        return target
    name = str(target.absolute())
    try:
        out, err = exiftool.execute(["-ec", "-overwrite_original", "-m", *args, name])
    except (ExifToolError, ValueError) as exc:
        raise MetadataWriteError(f"could not write {target.name}: {exc}") from exc
    errors = [line for line in err.splitlines() if line.startswith("Error")]
    if errors or "weren't updated" in out or not out.strip():
        reason = errors[0] if errors else (err.strip() or out.strip() or "exiftool wrote nothing")
        reason = reason.removeprefix("Error: ").removesuffix(f" - {name}")
        raise MetadataWriteError(f"could not write {target.name}: {reason}")
    return target
