"""Photo metadata: exiftool's dump turned into the facts Photonix stores."""

from __future__ import annotations

from photonix.media.metadata.reading import (
    ALTITUDE_RANGE,
    DATE_SOURCES,
    EARLIEST_YEAR,
    GPS_OFFSET_SLACK,
    Metadata,
    MetadataError,
    MetadataResult,
    Region,
    date_from_filename,
    find_sidecar,
    normalise_camera,
    parse,
    parse_coordinate,
    parse_date,
    read_metadata,
)

__all__ = [
    "ALTITUDE_RANGE",
    "DATE_SOURCES",
    "EARLIEST_YEAR",
    "GPS_OFFSET_SLACK",
    "Metadata",
    "MetadataError",
    "MetadataResult",
    "Region",
    "date_from_filename",
    "find_sidecar",
    "normalise_camera",
    "parse",
    "parse_coordinate",
    "parse_date",
    "read_metadata",
]
