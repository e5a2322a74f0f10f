"""A photo's derived images (grid thumbnail, viewer preview, placeholder hash) from ONE decode.

:func:`render_photo` decodes the file once (:func:`photonix.media.decode.open_image`, at the
reduced scale the largest size needs) and hands the image to :func:`make_thumbnail_set`, which
derives each size from the previous, larger one (never from the original again: a per-size
``thumbnail()`` from the file was measured ~2.8x slower), encodes each in the format chosen for
it, and computes a ThumbHash placeholder from a <=100 px copy of the smallest.

Sizes, formats and the measurements behind them: ``docs/thumbnails.md``. Raise
:data:`THUMBNAILER_VERSION` whenever the output changes (sizes, quality, resampling, colour
handling): derived files carry it, and "reprocess" regenerates the ones made by an older version.
Pure code: no Django.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from PIL import Image

from photonix.media.decode import DEFAULT_MAX_PIXELS, DecodedImage, open_image
from photonix.media.formats import FileKind
from photonix.media.placeholder import MAX_INPUT_SIZE, image_to_thumbhash

__all__ = [
    "GRID",
    "PREVIEW",
    "SIZES",
    "THUMBNAILER_VERSION",
    "Thumbnail",
    "ThumbnailSet",
    "ThumbnailSize",
    "largest_edge",
    "make_thumbnail_set",
    "render_photo",
]

#: Raise when the derived files change; stored with them so "reprocess" can find stale ones.
THUMBNAILER_VERSION: Final = 2

ImageFormat = Literal["JPEG", "WEBP"]


@dataclass(frozen=True)
class ThumbnailSize:
    """One derived image: fitted inside ``max_width`` x ``max_height``, never enlarged.

    ``overshoot``: an image up to that much larger than the box is kept as it is rather than
    resampled (see :data:`PREVIEW`).
    """

    name: str
    max_width: int
    max_height: int
    format: ImageFormat = "JPEG"
    quality: int = 82
    overshoot: float = 1.0

    @property
    def long_edge(self) -> int:
        return max(self.max_width, self.max_height)

    def fit(self, width: int, height: int) -> tuple[int, int]:
        """The size of a *width* x *height* image fitted inside this box (never larger)."""
        scale = min(1.0, self.max_width / width, self.max_height / height)
        if scale * self.overshoot >= 1.0:
            return width, height
        return max(1, round(width * scale)), max(1, round(height * scale))


#: The viewer's image: 2048 px on the long edge (a phone held either way, a 1440p monitor, most
#: of a 4K screen; the original is there for 100 % zoom). Decoding accepts 15/16 of it (1920 px)
#: so a 12 MP phone JPEG (4032 px) decodes at DCT scale 1/2 (2016 px) instead of full size, and
#: up to 9/8 (2304 px) is kept without a resample: a 24 MP JPEG (6000 px) decodes at DCT scale
#: 3/8 straight to 2250 px, where resampling 3000 px to 2048 cost as much as the decode.
PREVIEW: Final = ThumbnailSize("preview", 2048, 2048, "JPEG", 82, overshoot=9 / 8)
#: The justified grid's tile: 360 px high (a 180 CSS px row at 2x, 240 px at 1.5x: sharp on a
#: phone and on a 4K screen at 150-200 % scaling), up to 4:1 wide for panoramas.
GRID: Final = ThumbnailSize("grid", 1440, 360, "JPEG", 80)
#: Every size, largest first: each one is derived from the one before it.
SIZES: Final[tuple[ThumbnailSize, ...]] = (PREVIEW, GRID)

_CONTENT_TYPES: Final[dict[str, str]] = {"JPEG": "image/jpeg", "WEBP": "image/webp"}
_EXTENSIONS: Final[dict[str, str]] = {"JPEG": ".jpg", "WEBP": ".webp"}
# A whole-number box "reduce" first, then Lanczos for the remaining < 2x (what libvips'
# thumbnail does): ~6 ms for a 2016 px preview to the 360 px grid, against ~30 ms for a plain
# Lanczos and ~13 ms with reducing_gap=2 (PSNR 36 / 48 dB against plain Lanczos; the grid is
# small enough that the difference is not visible). docs/thumbnails.md.
_RESAMPLE: Final = Image.Resampling.LANCZOS
_REDUCING_GAP: Final = 1.0


@dataclass(frozen=True)
class Thumbnail:
    """One encoded derived image."""

    name: str
    width: int
    height: int
    format: ImageFormat
    data: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.format]


@dataclass(frozen=True)
class ThumbnailSet:
    """Everything the thumbnailer derives from one photo."""

    thumbnails: dict[str, Thumbnail]
    placeholder: str  #: ThumbHash, base64 (~28 characters)
    width: int  #: the photo's full size as displayed (after orientation and user rotation)
    height: int
    version: int = THUMBNAILER_VERSION
    source_format: str = ""  #: what was decoded: "jpeg", "heif", "raw"...
    method: str = ""  #: how: "dct-1/2", "full", "preview", "develop-half"...
    warnings: tuple[str, ...] = ()

    def files(self) -> dict[str, bytes]:
        """``{size name: encoded bytes}``."""
        return {name: thumb.data for name, thumb in self.thumbnails.items()}


def largest_edge(sizes: Sequence[ThumbnailSize] = SIZES) -> int:
    """The long edge the decode must provide for all of *sizes*."""
    return max(size.long_edge for size in sizes)


def render_photo(
    path: Path,
    *,
    orientation: int,
    kind: FileKind | None = None,
    sizes: Sequence[ThumbnailSize] = SIZES,
    user_rotation: int = 0,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ThumbnailSet:
    """Decode *path* once and derive every size (raises ``DecodeError`` for a bad file).

    ``orientation`` is ``Metadata.orientation`` (the EXIF orientation still to apply),
    ``user_rotation`` the user's own rotation in degrees clockwise.
    """
    largest = max(sizes, key=lambda size: size.long_edge)
    decoded = open_image(
        path,
        orientation=orientation,
        max_size=largest.long_edge,
        user_rotation=user_rotation,
        kind=kind,
        max_pixels=max_pixels,
        overshoot=largest.overshoot,
    )
    return make_thumbnail_set(decoded, sizes)


def make_thumbnail_set(
    image: DecodedImage | Image.Image, sizes: Sequence[ThumbnailSize] = SIZES
) -> ThumbnailSet:
    """Derive and encode every size from one upright sRGB image, plus the placeholder hash.

    *sizes* are taken largest first; each must fit inside the one before it (checked), because
    it is resized from that one's pixels.
    """
    if isinstance(image, DecodedImage):
        decoded = image
    else:
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        decoded = DecodedImage(rgb, rgb.size, "", "")
    if not sizes:
        raise ValueError("no thumbnail sizes")
    ordered = sorted(sizes, key=lambda s: s.max_width * s.max_height, reverse=True)
    for bigger, smaller in itertools.pairwise(ordered):
        if smaller.max_width > bigger.max_width or smaller.max_height > bigger.max_height:
            raise ValueError(f"size {smaller.name!r} does not fit inside {bigger.name!r}")

    source = decoded.image
    thumbnails: dict[str, Thumbnail] = {}
    for size in ordered:
        source = _resize_to(source, size.fit(*source.size))
        thumbnails[size.name] = Thumbnail(
            size.name, source.width, source.height, size.format, _encode(source, size)
        )
    tiny = _resize_to(source, _fit_square(source.size, MAX_INPUT_SIZE))
    return ThumbnailSet(
        thumbnails=thumbnails,
        placeholder=image_to_thumbhash(tiny),
        width=decoded.size[0],
        height=decoded.size[1],
        source_format=decoded.format,
        method=decoded.method,
        warnings=decoded.warnings,
    )


def _fit_square(size: tuple[int, int], edge: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resize_to(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, _RESAMPLE, reducing_gap=_REDUCING_GAP)


def _encode(image: Image.Image, size: ThumbnailSize) -> bytes:
    """Encode without metadata (no EXIF/GPS leaks into thumbnails; pixels are already sRGB)."""
    out = io.BytesIO()
    if size.format == "JPEG":
        # Baseline, not progressive/optimised: measured 5x / 2x slower to encode here for
        # 5-6 % / <1 % smaller files (docs/thumbnails.md).
        image.save(out, "JPEG", quality=size.quality, subsampling="4:2:0")
    else:
        image.save(out, "WEBP", quality=size.quality, method=4)
    return out.getvalue()
