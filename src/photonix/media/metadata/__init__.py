"""Photo metadata: exiftool's dump turned into the facts Photonix stores.

:func:`parse` is pure (a dict in, a :class:`Metadata` out) so every rule can be unit-tested on
synthetic dicts. :func:`read_metadata` does the I/O: it checks each file's content, reads all files
(and their XMP sidecars) through one :class:`~photonix.media.exiftool.ExifTool` round trip and
returns, per path, either a :class:`Metadata` or a :class:`MetadataError` — one bad file never
stops a batch. The rules (date fallback order, sanitising, camera names) are described in
``docs/metadata.md``.

The modules, each importing only those above it:

- ``values``: exiftool values to numbers and clean text (used by every rule);
- ``model``: :class:`Metadata`, :class:`Region`, :class:`MetadataError`;
- ``dates``, ``camera``, ``gps``, ``geometry`` (orientation, size), ``regions``,
  ``annotations`` (rating, keywords, description, artist): one concern each;
- ``parsing``: :func:`parse`, which combines them;
- ``reading``: :func:`read_metadata` and :func:`find_sidecar`, the file and exiftool I/O;
- ``writing``: :func:`write_edits`, a person's edits to a sidecar (or the file) with exiftool.
"""

from __future__ import annotations

from photonix.media.metadata.camera import normalise_camera
from photonix.media.metadata.dates import (
    DATE_SOURCES,
    EARLIEST_YEAR,
    GPS_OFFSET_SLACK,
    PERSON_SOURCE,
    SIDECAR_SOURCE,
    UNDATED_SOURCES,
    date_from_filename,
    parse_date,
)
from photonix.media.metadata.gps import ALTITUDE_RANGE, parse_coordinate
from photonix.media.metadata.model import Metadata, MetadataError, MetadataResult, Region
from photonix.media.metadata.parsing import parse
from photonix.media.metadata.reading import find_sidecar, read_metadata
from photonix.media.metadata.writing import Edits, MetadataWriteError, sidecar_path, write_edits

__all__ = [
    "ALTITUDE_RANGE",
    "DATE_SOURCES",
    "EARLIEST_YEAR",
    "GPS_OFFSET_SLACK",
    "PERSON_SOURCE",
    "SIDECAR_SOURCE",
    "UNDATED_SOURCES",
    "Edits",
    "Metadata",
    "MetadataError",
    "MetadataResult",
    "MetadataWriteError",
    "Region",
    "date_from_filename",
    "find_sidecar",
    "normalise_camera",
    "parse",
    "parse_coordinate",
    "parse_date",
    "read_metadata",
    "sidecar_path",
    "write_edits",
]
