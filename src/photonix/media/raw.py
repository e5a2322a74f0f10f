"""Camera RAW to a viewable image with LibRaw (rawpy).

:func:`develop_raw` picks the cheapest path that still gives enough pixels for the largest
derived image:

1. ``"preview"`` - the JPEG (or bitmap) preview the camera embedded, when its long edge is at
   least ``min_size`` and its aspect ratio is within :data:`PREVIEW_ASPECT_TOLERANCE` of the
   sensor's (a 4:3 preview of a 3:2 sensor is cropped or letter-boxed: not the photo);
2. ``"develop-half"`` - LibRaw's half-size develop (each 2x2 Bayer block becomes one pixel, no
   demosaicing: ~4x faster and 4x less memory) when half the sensor is still large enough;
3. ``"develop"`` - a full develop with the camera's white balance.

Before developing, the data is checked against what LibRaw says about it
(:func:`_develop_options`): a white level far below the samples (LibRaw took 16-bit data for
8-bit) is replaced by the data's real bit depth, and 3-colour data that LibRaw has no colour
profile for and whose scale it misread - a film scanner's NEF, already rendered RGB - is taken
as it is (no white balance, no gamma curve, no auto-brightening) instead of being "developed"
a second time into a nearly white image.

If LibRaw cannot develop the file (a compression newer than the bundled LibRaw, e.g. Nikon's
HE* in a DNG) but the file carries a preview of any size, that preview is used with a warning
(``"preview-fallback"``), so the user sees the photo rather than an error.

Whichever picture is returned, :attr:`DevelopedRaw.size` is the size of a full develop: the
photo's real size, which the metadata may not know or may state differently.

The image is returned **as stored on the sensor** (``user_flip=0``): the orientation is applied
once, by :func:`photonix.media.decode.open_image`, from the value the metadata reader found, the
same way for previews and developed pixels. Pure code: no Django.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import rawpy
from PIL import Image

from photonix.media.draft import draft_for_long_edge
from photonix.media.errors import DecodeError

__all__ = [
    "PREVIEW_ASPECT_TOLERANCE",
    "DevelopedRaw",
    "RawMethod",
    "develop_raw",
]

RawMethod = Literal["preview", "develop", "develop-half", "preview-fallback"]

#: How far (relative) a preview's aspect ratio may be from the sensor's and still be used.
PREVIEW_ASPECT_TOLERANCE: Final = 0.02


@dataclass(frozen=True)
class DevelopedRaw:
    """A RAW made viewable: 8-bit RGB pixels in the sensor's orientation (not yet rotated)."""

    image: Image.Image
    method: RawMethod
    sensor_size: tuple[int, int]  #: LibRaw's output size (width, height) of a full develop
    #: The full size of the picture this RAW shows, in the sensor's orientation: what a full
    #: develop gives (``image`` may be a preview or a half-size develop of it); for a
    #: ``"preview-fallback"`` whose shape is not the sensor's, the preview's own size. This,
    #: not what the file's metadata declares, is the photo's size.
    size: tuple[int, int]
    warnings: tuple[str, ...] = ()


def develop_raw(
    path: Path,
    *,
    min_size: int | None,
    max_pixels: int | None = None,
) -> DevelopedRaw:
    """Develop the RAW at *path* into at least *min_size* pixels on the long edge.

    ``min_size=None`` asks for the full resolution (never the preview, never half size).
    ``max_pixels`` refuses a sensor larger than that before anything is unpacked.
    Raises :class:`DecodeError` with a reason a user understands.
    """
    try:
        raw = rawpy.imread(str(path))
    except rawpy.LibRawFileUnsupportedError as exc:
        raise DecodeError(
            "cannot develop RAW: LibRaw does not support this file "
            "(unsupported camera or compression, or not a RAW file)"
        ) from exc
    except rawpy.LibRawIOError as exc:
        raise DecodeError("damaged RAW file: LibRaw hit the end of the data (truncated?)") from exc
    except rawpy.LibRawError as exc:
        raise DecodeError(f"cannot develop RAW: {_libraw_message(exc)}") from exc
    except OSError as exc:
        raise DecodeError(f"cannot open file: {exc.strerror or exc}") from exc

    with raw:
        sizes = raw.sizes
        if max_pixels is not None and int(sizes.raw_width) * int(sizes.raw_height) > max_pixels:
            raise DecodeError(
                f"image too large: {sizes.raw_width}x{sizes.raw_height} pixels "
                f"(limit {max_pixels / 1e6:.0f} MP)"
            )
        sensor_size = _full_develop_size(sizes)
        width, height = sensor_size
        long_edge = max(width, height)

        preview = _open_preview(raw)
        if (
            preview is not None
            and min_size is not None
            and max(preview.size) >= min_size
            and _same_aspect(preview.size, sensor_size)
        ):
            image = _load_preview(preview, min_size)
            if image is not None:
                return DevelopedRaw(image, "preview", sensor_size, sensor_size)

        half = min_size is not None and long_edge // 2 >= min_size
        try:
            pixels = raw.postprocess(
                half_size=half, output_bps=8, user_flip=0, **_develop_options(raw)
            )
        except rawpy.LibRawError as exc:
            reason = _libraw_message(exc)
            # The preview's own size, read before a draft shrinks it.
            preview_size = None if preview is None else (preview.width, preview.height)
            fallback = _load_preview(preview, min_size) if preview is not None else None
            if fallback is not None and preview_size is not None:
                return DevelopedRaw(
                    fallback,
                    "preview-fallback",
                    sensor_size,
                    # A preview of another shape (a 4:3 preview of a 3:2 sensor) is shown as
                    # it is: the photo takes its shape.
                    sensor_size if _same_aspect(preview_size, sensor_size) else preview_size,
                    (
                        f"LibRaw cannot develop this RAW ({reason}); showing the "
                        f"{fallback.width}x{fallback.height} preview embedded in the file",
                    ),
                )
            if isinstance(exc, rawpy.LibRawIOError):
                raise DecodeError(
                    "damaged RAW file: LibRaw hit the end of the data (truncated?)"
                ) from exc
            raise DecodeError(f"cannot develop RAW: {reason}") from exc
        except MemoryError as exc:
            raise DecodeError("cannot develop RAW: out of memory") from exc

    image = Image.fromarray(pixels, "RGB")
    # A linear DNG (already demosaiced) ignores half_size: report what really happened.
    method: RawMethod = "develop-half" if half and image.width * 3 < width * 2 else "develop"
    # A full develop is its own size, whatever LibRaw predicted.
    size = image.size if method == "develop" else sensor_size
    return DevelopedRaw(image, method, sensor_size, size)


def _full_develop_size(sizes: Any) -> tuple[int, int]:
    """The (width, height) a full develop gives: LibRaw's visible area, stretched as LibRaw's
    ``dcraw_process`` stretches sensors whose pixels are not square (``pixel_aspect``)."""
    width, height = int(sizes.width), int(sizes.height)
    aspect = float(getattr(sizes, "pixel_aspect", 1.0) or 1.0)
    if aspect < 0.995:
        height = int(height / aspect + 0.5)
    elif aspect > 1.005:
        width = int(width * aspect + 0.5)
    return width, height


def _develop_options(raw: rawpy.RawPy) -> dict[str, Any]:
    """LibRaw's develop parameters for this file; unpacks the raw data (a develop needs it anyway).

    - Camera white balance, sRGB, LibRaw's default BT.709 curve and auto-brightening: a camera
      sensor's linear data.
    - When the samples go far above LibRaw's white level (the Nikon COOLSCAN NEF: white level
      255, samples up to 55,000), LibRaw misread the depth: ``user_sat`` is set to the data's
      own bit depth (2^16 - 1 there) so the image is not scaled up 257x into white.
    - When, in addition, the data is already full RGB (no colour filter pattern) and LibRaw has
      no colour characterisation of the device (an all-zero camera matrix), the file is the
      output of a scanner or a converter: gamma-encoded RGB (the COOLSCAN data matches its own
      embedded preview that way, within 2 %). It is passed through: unit white balance, camera
      colour space, linear curve, no auto-brightening.
    """
    options: dict[str, Any] = {"use_camera_wb": True}
    try:
        visible = raw.raw_image_visible
        top = int(visible.max()) if visible.size else 0
    except (rawpy.LibRawError, MemoryError):
        return options  # postprocess() will report the real problem
    white = int(raw.white_level)
    if white > 0 and top > 2 * white:
        options["user_sat"] = (1 << top.bit_length()) - 1
        if raw.raw_pattern is None and not np.any(raw.rgb_xyz_matrix):
            options.update(
                use_camera_wb=False,
                user_wb=[1.0, 1.0, 1.0, 1.0],
                output_color=rawpy.ColorSpace.raw,
                gamma=(1.0, 1.0),
                no_auto_bright=True,
            )
    return options


def _open_preview(raw: rawpy.RawPy) -> Image.Image | None:
    """The embedded preview, opened but not decoded; None when there is none or it is unusable."""
    try:
        thumb = raw.extract_thumb()
    except (rawpy.LibRawError, MemoryError):
        return None
    try:
        data = thumb.data
        if isinstance(data, bytes):  # ThumbFormat.JPEG
            return Image.open(io.BytesIO(data), formats=["JPEG"])
        return Image.fromarray(data)  # ThumbFormat.BITMAP: an RGB array
    except Exception:  # noqa: BLE001 - a damaged preview only means "develop instead"
        return None


def _load_preview(preview: Image.Image, min_size: int | None) -> Image.Image | None:
    """Decode a preview (DCT-scaled when it is a JPEG larger than needed) as RGB, or None."""
    try:
        if min_size is not None:
            draft_for_long_edge(preview, min_size)
        preview.load()
        return preview if preview.mode == "RGB" else preview.convert("RGB")
    except Exception:  # noqa: BLE001 - a damaged preview only means "develop instead"
        return None


def _same_aspect(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when the two sizes have the same aspect ratio within the tolerance, either way up."""
    ra = max(a) / max(1, min(a))
    rb = max(b) / max(1, min(b))
    return abs(ra - rb) <= PREVIEW_ASPECT_TOLERANCE * rb


def _libraw_message(exc: Exception) -> str:
    arg = exc.args[0] if exc.args else type(exc).__name__
    text = arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)
    return text[:1].lower() + text[1:]
