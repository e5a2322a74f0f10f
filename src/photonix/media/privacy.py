"""Copies of a file without what it says about where it was taken and who took it.

Shared downloads use it (docs/albums.md, "What a download carries"): the original is never
touched; exiftool writes a copy (``-o``) with the tags removed.

- *Location*: every GPS tag, in EXIF and XMP (``-gps:all=``, ``-xmp:gps*=``), and the place names
  XMP and IPTC can hold (city, state, country, sub-location).
- *Identifying*: the location, and the serial numbers of the camera and lens, the names of the
  camera's owner, and the maker notes (where many cameras keep another copy of their serial
  number and, on some phones, of the location).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Final

from photonix.media.exiftool import ExifTool, ExifToolError

LOCATION_ARGS: Final = (
    "-gps:all=",
    "-xmp:gps*=",
    "-xmp-iptcCore:Location=",
    "-xmp-iptcExt:LocationShown*=",
    "-xmp-iptcExt:LocationCreated*=",
    "-xmp-photoshop:City=",
    "-xmp-photoshop:State=",
    "-xmp-photoshop:Country=",
    "-iptc:City=",
    "-iptc:Sub-location=",
    "-iptc:Province-State=",
    "-iptc:Country-PrimaryLocationName=",
    "-iptc:Country-PrimaryLocationCode=",
)
IDENTIFYING_ARGS: Final = (
    *LOCATION_ARGS,
    "-makernotes:all=",
    "-SerialNumber=",
    "-InternalSerialNumber=",
    "-LensSerialNumber=",
    "-OwnerName=",
    "-CameraOwnerName=",
    "-xmp-aux:SerialNumber=",
    "-xmp-aux:LensSerialNumber=",
    "-xmp-aux:OwnerName=",
)


class StripError(Exception):
    """The copy could not be written (a format exiftool cannot write, a damaged file)."""


@functools.lru_cache(maxsize=8)
def writable_suffixes(tool: ExifTool) -> frozenset[str]:
    """The file name suffixes (lower case, with the dot) ``tool`` can write, asked once."""
    stdout, _ = tool.execute(["-listwf"])
    words = stdout.split(":", 1)[-1].split()
    return frozenset(f".{word.lower()}" for word in words)


def can_strip(path: Path, tool: ExifTool) -> bool:
    return path.suffix.lower() in writable_suffixes(tool)


def strip_copy(tool: ExifTool, source: Path, dest: Path, *, identifying: bool) -> None:
    """Write ``dest``: ``source`` without its location (and, if ``identifying``, without what
    names the camera and its owner). ``dest`` must not exist yet. Raises :class:`StripError`."""
    if not can_strip(source, tool):
        raise StripError(f"its metadata cannot be removed ({source.suffix or 'no'} files)")
    args = [*(IDENTIFYING_ARGS if identifying else LOCATION_ARGS), "-o", str(dest), str(source)]
    try:
        _, stderr = tool.execute(args)
    except ExifToolError as exc:
        raise StripError(str(exc)) from exc
    if not dest.is_file():
        reason = next((line for line in stderr.splitlines() if line.strip()), "no copy written")
        raise StripError(reason.removeprefix("Error: ").strip())
