"""What Photonix stores about a photo's metadata, and the error a file can give instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["Metadata", "MetadataError", "MetadataResult", "Region"]


@dataclass(frozen=True)
class Region:
    """A named area of a photo (usually a face) from XMP, as fractions of the displayed image.

    ``x``, ``y`` are the top-left corner, ``w``, ``h`` the size, all in 0..1, measured on the
    image after its orientation is applied.
    """

    name: str | None
    type: str | None
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Metadata:
    """What Photonix stores about one photo. Every field may be missing except ``orientation``."""

    path: Path
    file_type: str | None = None  #: real type from content, e.g. "JPEG", "HEIC", "DNG"
    mime_type: str | None = None
    taken_at: datetime | None = None  #: aware when the offset is known, naive otherwise
    taken_at_source: str | None = None  #: one of :data:`DATE_SOURCES`
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    aperture: float | None = None  #: f-number
    exposure_time: float | None = None  #: seconds
    iso: int | None = None
    focal_length: float | None = None  #: mm
    focal_length_35mm: float | None = None  #: mm, 35 mm equivalent
    flash_fired: bool | None = None
    metering_mode: str | None = None
    drive_mode: str | None = None
    exposure_program: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None  #: metres above sea level (negative below)
    orientation: int = 1  #: EXIF orientation (1-8) still to APPLY when displaying
    width: int | None = None  #: as displayed (after orientation)
    height: int | None = None
    rating: int | None = None  #: 0-5
    keywords: tuple[str, ...] = ()
    title: str | None = None
    description: str | None = None
    artist: str | None = None
    regions: tuple[Region, ...] = ()
    warnings: tuple[str, ...] = ()  #: every value dropped or repaired, human-readable
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def camera(self) -> str | None:
        """``"Make Model"`` for display, e.g. ``"Nikon D70"``."""
        parts = [p for p in (self.camera_make, self.camera_model) if p]
        return " ".join(parts) or None


@dataclass(frozen=True)
class MetadataError:
    """A file whose metadata could not be read, with a reason a user understands."""

    path: Path
    reason: str


MetadataResult = Metadata | MetadataError
