"""What near-duplicate grouping needs to know of a photo's pixels, from an image already decoded.

:func:`measure` takes the upright preview the pipeline already holds and returns a
:class:`Likeness`: a 64-bit perceptual hash (``imagehash.phash``: the signs of the lowest 8x8
DCT frequencies of a 32x32 grey copy, so a re-encode or a resize moves only a few bits) and the
numbers a group's shots are ranked by:

- ``sharpness``: the variance of the Laplacian (the measure faces use) of a grey copy scaled to
  :data:`SHARPNESS_EDGE` px on its long edge, up or down, so every copy of a photo is measured at
  the same scale: a smaller copy is enlarged and loses detail, as it would on screen.
- ``exposure``: the share of pixels neither crushed to black nor blown to white (0 to 1).
- ``brightness``: the mean grey level (0 to 1), for the review page.

How the numbers are used and why: ``docs/duplicates.md``. Raise :data:`SIMILARITY_VERSION`
when any of them changes: every photo is measured again. Pure code: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import imagehash
import numpy as np
from PIL import Image

__all__ = [
    "SHARPNESS_EDGE",
    "SIMILARITY_VERSION",
    "Likeness",
    "hamming",
    "measure",
    "signed64",
    "unsigned64",
]

SIMILARITY_VERSION: Final = 1
#: The long edge sharpness is measured at: a 2048 px preview is halved (a cheap box reduce).
SHARPNESS_EDGE: Final = 1024
#: Grey levels (of 255) at or below which a pixel is crushed, at or above which it is blown.
CRUSHED: Final = 4
BLOWN: Final = 251
#: The hash is taken from a copy about this wide, not from the 1024 px one: resampling that
#: straight to 32x32 cost several times the rest of the measure.
_HASH_EDGE: Final = 128


@dataclass(frozen=True)
class Likeness:
    """A photo's perceptual hash (signed 64-bit, as databases store it) and quality numbers."""

    phash: int
    sharpness: float
    exposure: float
    brightness: float


def signed64(value: int) -> int:
    """An unsigned 64-bit number as the signed one with the same bits (a BIGINT column)."""
    return value - (1 << 64) if value >= 1 << 63 else value


def unsigned64(value: int) -> int:
    return value & 0xFFFF_FFFF_FFFF_FFFF


def hamming(a: int, b: int) -> int:
    """How many of the 64 bits differ (signed or unsigned values alike)."""
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


def _grey_at(image: Image.Image, edge: int) -> Image.Image:
    grey = image.convert("L")
    long_edge = max(grey.size)
    if long_edge >= 2 * edge:  # a whole-number box reduce first: cheap, and enough antialiasing
        grey = grey.reduce(long_edge // edge)
        long_edge = max(grey.size)
    if long_edge != edge:
        scale = edge / long_edge
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BILINEAR)
    return grey


def measure(image: Image.Image) -> Likeness:
    """Hash and measure an upright image (any mode); ``phash`` is signed."""
    grey = _grey_at(image, SHARPNESS_EDGE)
    phash = int(str(imagehash.phash(grey.reduce(max(1, SHARPNESS_EDGE // _HASH_EDGE)))), 16)
    pixels = np.asarray(grey, dtype=np.int16)
    sharpness = 0.0
    if min(pixels.shape) > 2:  # the 4-neighbour Laplacian of the inner pixels
        laplacian = (
            pixels[1:-1, :-2] + pixels[1:-1, 2:] + pixels[:-2, 1:-1] + pixels[2:, 1:-1]
        ) - 4 * pixels[1:-1, 1:-1]
        sharpness = float(laplacian.astype(np.float32).var())
    histogram = np.asarray(grey.histogram(), dtype=np.float64)
    total = float(histogram.sum()) or 1.0
    exposed = float(histogram[CRUSHED + 1 : BLOWN].sum()) / total
    brightness = float((histogram * np.arange(256)).sum()) / total / 255.0
    return Likeness(signed64(phash), sharpness, exposed, brightness)
