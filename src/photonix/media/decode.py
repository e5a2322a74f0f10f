"""Decode any photo Photonix supports into one upright, sRGB, 8-bit RGB image of a bounded size.

:func:`open_image` is the one entry point used by the thumbnailer (and by later stages that need
pixels). It:

- reads the real format from the content (:mod:`photonix.media.formats`), so a JPEG called
  ``.heic`` is decoded as a JPEG and an empty file fails with a clear reason;
- refuses an image whose header claims more than ``max_pixels`` *before* decoding anything
  (decompression-bomb guard, our own limit: Pillow's global ``MAX_IMAGE_PIXELS`` is not used);
- decodes at a reduced scale where the format allows it - JPEG DCT scaling (1/8, 1/4, 3/8,
  1/2: :func:`draft_jpeg`), the embedded thumbnail of a HEIF, the embedded preview or
  half-size develop of a RAW (:mod:`photonix.media.raw`) - to the smallest scale that still
  gives ``max_size`` pixels (within :data:`DRAFT_TOLERANCE`) on the long edge;
- takes the primary image of a multi-image HEIF, the first frame of a GIF or MPO;
- turns 16-bit images into 8-bit (scaled, not clipped), palettes and CMYK into RGB, converts an
  embedded ICC profile to sRGB, flattens transparency on a neutral background;
- applies the orientation exactly once: the EXIF orientation the caller passes (from
  :class:`photonix.media.metadata.Metadata`, where HEIF files whose container already rotates
  get 1), the container rotation of an AVIF (which Pillow does not apply, unlike libheif), then
  the user's own rotation - combined into a single ``Image.transpose``;
- turns every failure into :class:`DecodeError` with a reason a user understands. Truncated files
  fail; ``ImageFile.LOAD_TRUNCATED_IMAGES`` is never set.

Pure code: no Django.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import BinaryIO, Final

import numpy as np
from PIL import Image, ImageCms, ImageFile

from photonix.media.draft import draft_for_long_edge
from photonix.media.errors import DecodeError
from photonix.media.formats import RAW_CONTENT, FileKind, check_content, kind_for_path
from photonix.media.raw import develop_raw

__all__ = [
    "DEFAULT_BACKGROUND",
    "DEFAULT_MAX_PIXELS",
    "DRAFT_TOLERANCE",
    "DecodeError",
    "DecodedImage",
    "apply_orientation",
    "compose_transposes",
    "draft_for_long_edge",
    "draft_jpeg",
    "open_image",
    "orientation_transpose",
]

#: Largest image (width x height from the header) we agree to decode: 200 MP. A 200 MP RGB
#: image is 600 MB once decoded (less for JPEGs, which are decoded DCT-scaled).
DEFAULT_MAX_PIXELS: Final = 200_000_000

#: A reduced-scale decode may give as little as this fraction of the long edge asked for, so a
#: 4032 px phone photo is decoded at 1/2 (2016 px) for a 2048 px preview instead of at full size
#: (4x the pixels). 15/16 = 1920/2048.
DRAFT_TOLERANCE: Final = 15 / 16

#: Transparent pixels are shown on this neutral light grey (the light square of the usual
#: transparency checkerboard): black and white artwork both stay visible.
DEFAULT_BACKGROUND: Final = (204, 204, 204)

_PILLOW_FORMATS: Final = {
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
    "tiff": "TIFF",
    "heif": "HEIF",
    "avif": "AVIF",
}
_EXIF_ORIENTATION: Final = 0x0112

T = Image.Transpose
#: EXIF orientation (1-8) -> the transpose that shows the stored pixels upright.
_EXIF_TRANSPOSE: Final[dict[int, Image.Transpose | None]] = {
    1: None,
    2: T.FLIP_LEFT_RIGHT,
    3: T.ROTATE_180,
    4: T.FLIP_TOP_BOTTOM,
    5: T.TRANSPOSE,
    6: T.ROTATE_270,
    7: T.TRANSVERSE,
    8: T.ROTATE_90,
}
#: The user's rotation, in degrees clockwise -> transpose (Pillow's ROTATE_n turn anticlockwise).
_USER_TRANSPOSE: Final[dict[int, Image.Transpose | None]] = {
    0: None,
    90: T.ROTATE_270,
    180: T.ROTATE_180,
    270: T.ROTATE_90,
}
# What each transpose does to pixel coordinates (x right, y down), as a 2x2 matrix.
_Matrix = tuple[int, int, int, int]
_MATRICES: Final[dict[Image.Transpose | None, _Matrix]] = {
    None: (1, 0, 0, 1),
    T.FLIP_LEFT_RIGHT: (-1, 0, 0, 1),
    T.FLIP_TOP_BOTTOM: (1, 0, 0, -1),
    T.ROTATE_90: (0, 1, -1, 0),
    T.ROTATE_180: (-1, 0, 0, -1),
    T.ROTATE_270: (0, -1, 1, 0),
    T.TRANSPOSE: (0, 1, 1, 0),
    T.TRANSVERSE: (0, -1, -1, 0),
}


@dataclass(frozen=True)
class DecodedImage:
    """A photo ready for resizing: RGB, sRGB, upright, long edge at most the ``max_size`` asked."""

    image: Image.Image
    #: the full-resolution size as displayed (after every orientation), e.g. for the database
    size: tuple[int, int]
    #: the real format: a key of formats.sniff (``"jpeg"``, ``"heif"``...) or ``"raw"``
    format: str
    #: how the pixels were obtained: ``"full"``, ``"dct-1/2"`` ... ``"dct-1/8"``,
    #: ``"heif-thumbnail"``, or a :data:`photonix.media.raw.RawMethod`
    method: str
    warnings: tuple[str, ...] = ()


def open_image(
    path: Path,
    *,
    orientation: int,
    max_size: int | None,
    user_rotation: int = 0,
    kind: FileKind | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    background: tuple[int, int, int] = DEFAULT_BACKGROUND,
    overshoot: float = 1.0,
) -> DecodedImage:
    """Decode *path* once, as small as *max_size* allows, into an upright sRGB RGB image.

    - ``orientation``: the EXIF orientation (1-8) still to apply (``Metadata.orientation``).
    - ``max_size``: the long edge the largest derived image needs; the result's long edge is at
      most that, and at least ``max_size * DRAFT_TOLERANCE`` unless the photo is smaller.
      ``None`` keeps the full resolution.
    - ``overshoot``: a decode whose long edge is at most ``max_size * overshoot`` is kept as it
      is rather than resampled (the thumbnailer's preview allows 9/8: a 24 MP JPEG decoded at
      DCT scale 3/8 is 2250 px, and a resample of < 1.125x costs as much as the decode).
    - ``user_rotation``: the user's own rotation, degrees clockwise (0, 90, 180, 270).
    - ``kind``: RAW or PHOTO; by default from the file name. The content decides in the end: a
      JPEG named ``.cr2`` is decoded as a JPEG.

    Raises :class:`DecodeError` for any file that cannot be shown.
    """
    if orientation not in _EXIF_TRANSPOSE:
        raise ValueError(f"orientation must be 1-8, not {orientation!r}")
    if user_rotation % 360 not in _USER_TRANSPOSE:
        raise ValueError(f"user_rotation must be a multiple of 90, not {user_rotation!r}")
    if max_size is not None and max_size < 1:
        raise ValueError("max_size must be positive")
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except FileNotFoundError as exc:
        raise DecodeError("file not found") from exc
    except OSError as exc:
        raise DecodeError(f"cannot open file: {exc.strerror or exc}") from exc
    check = check_content(path, head)
    if check.error:
        raise DecodeError(check.error)
    warnings: list[str] = [check.warning] if check.warning else []
    kind = kind or kind_for_path(path)
    fmt = check.format
    min_long = None if max_size is None else max(1, math.ceil(max_size * DRAFT_TOLERANCE))

    is_raw = (fmt is None or fmt == "tiff" or fmt in RAW_CONTENT) and kind is FileKind.RAW
    container: Image.Transpose | None = None
    if is_raw:
        developed = develop_raw(path, min_size=min_long, max_pixels=max_pixels)
        image = developed.image
        stored_size = developed.size
        method: str = developed.method
        warnings.extend(developed.warnings)
        out_format = "raw"
    else:
        image, stored_size, method, container = _decode_pillow(path, fmt, min_long, max_pixels)
        out_format = fmt or (image.format or "unknown").lower()

    image = _to_8bit(image)
    if max_size is not None:
        image = _fit(image, max_size, overshoot)
    image, icc_warning = _to_srgb(image)
    if icc_warning:
        warnings.append(icc_warning)
    image = _flatten(image, background)
    op = compose_transposes(container, _EXIF_TRANSPOSE[orientation])
    op = compose_transposes(op, _USER_TRANSPOSE[user_rotation % 360])
    if op is not None:
        image = image.transpose(op)
    size = (stored_size[1], stored_size[0]) if _swaps_axes(op) else stored_size
    return DecodedImage(image, size, out_format, method, tuple(warnings))


def orientation_transpose(orientation: int, user_rotation: int = 0) -> Image.Transpose | None:
    """The single transpose that applies EXIF *orientation* then the user's clockwise rotation."""
    return compose_transposes(
        _EXIF_TRANSPOSE.get(orientation), _USER_TRANSPOSE[user_rotation % 360]
    )


def apply_orientation(image: Image.Image, orientation: int, user_rotation: int = 0) -> Image.Image:
    """*image* (stored pixels) shown upright: EXIF *orientation* then the user's rotation."""
    op = orientation_transpose(orientation, user_rotation)
    return image if op is None else image.transpose(op)


def compose_transposes(
    first: Image.Transpose | None, then: Image.Transpose | None
) -> Image.Transpose | None:
    """The one transpose equal to applying *first* and then *then* (None = nothing)."""
    a, b = _MATRICES[first], _MATRICES[then]
    # then @ first
    product = (
        b[0] * a[0] + b[1] * a[2],
        b[0] * a[1] + b[1] * a[3],
        b[2] * a[0] + b[3] * a[2],
        b[2] * a[1] + b[3] * a[3],
    )
    for op, matrix in _MATRICES.items():
        if matrix == product:
            return op
    raise AssertionError("the eight transposes form a group")  # pragma: no cover


def _swaps_axes(op: Image.Transpose | None) -> bool:
    return _MATRICES[op][0] == 0


#: JPEG DCT scales (eighths) libjpeg-turbo decodes directly, with the denominator Pillow's
#: decoder hands it (``scale_num = 1``, ``scale_denom = d``: libjpeg-turbo then picks the
#: smallest n/8 >= 1/d, so 1/3 gives 3/8).
_JPEG_SCALES: Final = ((1, 8), (2, 4), (3, 3), (4, 2))


def draft_jpeg(image: Image.Image, min_long_edge: int) -> str | None:
    """Set a JPEG to decode at the smallest DCT scale (1/8, 1/4, 3/8 or 1/2) whose long edge is
    still >= *min_long_edge*; returns the method (``"dct-3/8"``…) or None for a full decode.

    Pillow's ``draft()`` offers only 1/2, 1/4 and 1/8. The 3/8 scale is what makes a 24 MP
    photo (6000 px) decode straight to 2250 px instead of to 3000 px plus a resample that costs
    as much as the decode: Pillow's JPEG decoder passes its ``scale`` to libjpeg-turbo as
    ``scale_denom``, so the tile is set up as ``draft()`` does, with 3 and the size libjpeg-turbo
    computes (``ceil(size * 3 / 8)``). If Pillow ever stops accepting that, the photo is decoded
    with ``draft()`` instead: a tile of another shape is caught here, a refused decode after
    ``load()`` by :func:`_decode_open_file`.
    """
    width, height = image.size
    long_edge = max(width, height)
    for eighths, denominator in _JPEG_SCALES:
        if math.ceil(long_edge * eighths / 8) < min_long_edge:
            continue
        if eighths == 8 // denominator:  # 1/8, 1/4, 1/2: Pillow's own draft()
            if not draft_for_long_edge(image, min_long_edge):
                return None
            return f"dct-1/{round(width / image.size[0])}"
        if (
            not isinstance(image, ImageFile.ImageFile)
            or len(image.tile) != 1
            or image.decoderconfig
            or image.mode not in ("RGB", "L")
        ):
            return "dct-1/2" if draft_for_long_edge(image, min_long_edge) else None
        size = (math.ceil(width * eighths / 8), math.ceil(height * eighths / 8))
        try:  # Pillow internals: should they change shape, Pillow's own draft() instead
            tile = image.tile[0]
            new_tile = ImageFile._Tile(tile[0], (0, 0, *size), tile[2], tile[3])
        except (AttributeError, TypeError, IndexError):
            return "dct-1/2" if draft_for_long_edge(image, min_long_edge) else None
        image.tile = [new_tile]
        image._size = size
        image.decoderconfig = (denominator, 0)
        return f"dct-{eighths}/8"
    return None


@cache
def _register_heif() -> None:
    import pillow_heif  # registers a Pillow plugin; only once

    Image.init()
    pillow_heif.register_heif_opener()


def _decode_pillow(
    path: Path, fmt: str | None, min_long: int | None, max_pixels: int
) -> tuple[Image.Image, tuple[int, int], str, Image.Transpose | None]:
    """Open, check the size, draft, load. Returns image, stored size, method, container op."""
    _register_heif()
    with path.open("rb") as fp:
        return _decode_open_file(fp, path, fmt, min_long, max_pixels)


def _decode_open_file(
    fp: BinaryIO, path: Path, fmt: str | None, min_long: int | None, max_pixels: int
) -> tuple[Image.Image, tuple[int, int], str, Image.Transpose | None]:
    label = (fmt or path.suffix.lstrip(".") or "image").upper()
    pillow_format = _PILLOW_FORMATS.get(fmt or "")
    try:
        if pillow_format is not None:
            # The plugin's own class reads the header only, and skips Pillow's global
            # decompression-bomb check so that ours (below, with the size in the message) rules.
            factory = Image.OPEN[pillow_format][0]
            image: Image.Image = factory(fp, str(path))
        else:
            image = Image.open(fp)
    except Image.DecompressionBombError as exc:
        raise DecodeError(f"image too large: {exc}") from exc
    except Exception as exc:  # Pillow plugins raise many types on bad input
        raise DecodeError(f"damaged {label} file: cannot read its header ({_say(exc)})") from exc

    width, height = image.size
    try:
        if width <= 0 or height <= 0:
            raise DecodeError(f"damaged {label} file: no image size")
        if width * height > max_pixels:
            raise DecodeError(
                f"image too large: {width}x{height} pixels (limit {max_pixels / 1e6:g} MP)"
            )
        container = None
        if image.format == "AVIF":
            # Pillow's AVIF plugin does not apply the container's irot/imir; it writes them into
            # the EXIF orientation it exposes (replacing the file's own EXIF value), so that tag
            # is exactly the container transform still to apply.
            container = _EXIF_TRANSPOSE.get(int(image.getexif().get(_EXIF_ORIENTATION, 1)))
        method = "full"
        if min_long is not None and image.format in ("JPEG", "MPO"):
            method = draft_jpeg(image, min_long) or "full"
        elif min_long is not None and draft_for_long_edge(image, min_long):
            if image.format == "HEIF":
                method = "heif-thumbnail"
            else:
                method = f"dct-1/{round(width / image.size[0])}"
        try:
            image.load()
        except (OSError, ValueError):
            if method != "dct-3/8":
                raise
            # The 3/8 set-up was refused: decode again with Pillow's own draft().
            fp.seek(0)
            image = factory(fp, str(path)) if pillow_format is not None else Image.open(fp)
            method = "full"
            if draft_for_long_edge(image, min_long or 1):
                method = f"dct-1/{round(width / image.size[0])}"
            image.load()
    except DecodeError:
        image.close()
        raise
    except MemoryError as exc:
        image.close()
        raise DecodeError(f"out of memory decoding a {width}x{height} {label}") from exc
    except Exception as exc:  # Pillow plugins raise many types on bad input
        image.close()
        message = _say(exc)
        if "truncated" in message:
            raise DecodeError(f"damaged {label} file: image data is truncated ({message})") from exc
        raise DecodeError(f"damaged {label} file: cannot decode the pixels ({message})") from exc
    return image, (width, height), method, container


def _say(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


#: Rows of a high-bit image converted at a time: the temporary arrays stay at ~1M samples
#: (a few MB) whatever the image size.
_CHUNK_SAMPLES: Final = 1 << 20


@cache
def _lut_16_to_8() -> np.ndarray:
    """0..65535 -> 0..255, rounded (v * 255 / 65535): one lookup per sample, no wide copies."""
    values = np.arange(65536, dtype=np.uint32)
    return ((values * 255 + 32767) // 65535).astype(np.uint8)


def _to_8bit(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit grey (``I;16*``, ``I``, ``F``) to 8-bit ``L``, scaled not clipped; the
    palette modes to RGB(A); the rest unchanged.

    Memory stays bounded: the 8-bit result is filled a band of rows at a time (16-bit samples
    through a 64 K lookup table), so a 48 MP 16-bit image needs its own pixels plus the 8-bit
    result, not 8-byte integers for every sample.
    """
    mode = image.mode
    if mode.startswith("I;16") or mode == "I" or mode == "F":
        width, height = image.size
        out = np.empty((height, width), dtype=np.uint8)
        rows = max(1, _CHUNK_SAMPLES // max(1, width))

        def bands() -> Iterator[tuple[int, np.ndarray]]:
            # A band at a time out of Pillow's own buffer (np.asarray(image) would copy all).
            for top in range(0, height, rows):
                yield top, np.asarray(image.crop((0, top, width, min(height, top + rows))))

        if mode.startswith("I;16"):
            lut = _lut_16_to_8()
            for top, band in bands():
                out[top : top + len(band)] = lut[band]
        elif mode == "I":
            # "I" holds 16-bit samples (PNG/TIFF 16-bit grey) unless values say otherwise.
            wide = int(image.getextrema()[1]) > 255  # type: ignore[arg-type]
            lut = _lut_16_to_8()
            for top, band in bands():
                clipped = np.clip(band, 0, 65535 if wide else 255)
                out[top : top + len(band)] = lut[clipped] if wide else clipped
        else:
            high = image.getextrema()[1]
            top_f = float(high) if isinstance(high, (int, float)) and math.isfinite(high) else 1.0
            top_f = 1.0 if top_f <= 1.0 else (255.0 if top_f <= 255.0 else 65535.0)
            for top, band in bands():
                values = np.nan_to_num(band.astype(np.float32), posinf=top_f, neginf=0.0)
                out[top : top + len(band)] = np.clip(values * (255.0 / top_f) + 0.5, 0, 255)
        return _keep_info(Image.fromarray(out, "L"), image)
    if mode in ("P", "PA"):
        has_alpha = mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if has_alpha else "RGB")
    if mode == "1":
        return image.convert("L")
    if mode in ("LAB", "HSV", "YCbCr"):
        return image.convert("RGB")
    if mode in ("La", "RGBa"):
        return image.convert("LA" if mode == "La" else "RGBA")
    return image


def _keep_info(new: Image.Image, old: Image.Image) -> Image.Image:
    new.info.update(old.info)
    return new


def _fit(image: Image.Image, max_size: int, overshoot: float = 1.0) -> Image.Image:
    """Shrink (never enlarge) so the long edge is at most *max_size* (or *max_size* x
    *overshoot*, without resampling, when it already is that small).

    Like the JPEG DCT scaling, a whole-number box reduction (a 2x2 or 4x4 average: a few ms)
    that still leaves ``max_size * DRAFT_TOLERANCE`` is taken as is, e.g. a 4032 px HEIC
    becomes 2016 px for a 2048 px preview. Otherwise a bicubic resize: within 45 dB PSNR of
    Lanczos for these < 2x steps and ~25 % cheaper (docs/thumbnails.md).
    """
    width, height = image.size
    long_edge = max(width, height)
    if long_edge <= max_size * overshoot:
        return image
    factor = long_edge // math.ceil(max_size * DRAFT_TOLERANCE)
    if factor >= 2:
        reduced = _keep_info(image.reduce(factor), image)
        if max(reduced.size) <= max_size * overshoot:
            return reduced
        image, (width, height), long_edge = reduced, reduced.size, max(reduced.size)
    scale = max_size / long_edge
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    return _keep_info(resized, image)


_SRGB = ImageCms.createProfile("sRGB")


@lru_cache(maxsize=32)
def _transform(icc: bytes, in_mode: str, out_mode: str) -> ImageCms.ImageCmsTransform | None:
    """The (cached) transform from *icc* to sRGB, or None when the profile already is sRGB."""
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    description = (ImageCms.getProfileDescription(profile) or "").strip().lower()
    if in_mode == out_mode and description.startswith(("srgb", "s rgb")):
        return None
    return ImageCms.buildTransform(profile, _SRGB, in_mode, out_mode)


def _to_srgb(image: Image.Image) -> tuple[Image.Image, str | None]:
    """Convert through the embedded ICC profile to sRGB; CMYK always ends as RGB."""
    icc = image.info.get("icc_profile")
    mode = image.mode
    out_mode = {"CMYK": "RGB", "L": "L", "LA": "LA", "RGBA": "RGBA"}.get(mode, "RGB")
    warning = None
    if isinstance(icc, bytes) and icc and mode in ("RGB", "RGBA", "CMYK", "L", "LA"):
        try:
            in_mode, lcms_out = mode, out_mode
            if mode in ("L", "LA"):
                # A grey profile can only go to RGB in LittleCMS; alpha is re-attached after.
                in_mode, lcms_out = "L", "RGB"
            transform = _transform(icc, in_mode, lcms_out)
            if transform is not None:
                source = image.getchannel("L") if mode == "LA" else image
                converted = ImageCms.applyTransform(source, transform) or source
                if mode == "LA":
                    converted.putalpha(image.getchannel("A"))
                return converted, None
            return image, None
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
            warning = f"ignored an unusable ICC colour profile ({_say(exc)})"
    if mode == "CMYK":
        return image.convert("RGB"), warning
    return image, warning


def _flatten(image: Image.Image, background: Sequence[int]) -> Image.Image:
    """RGB out: transparency composited on *background*, grey expanded to RGB."""
    mode = image.mode
    if mode in ("RGBA", "LA"):
        rgba = image.convert("RGBA") if mode == "LA" else image
        alpha = rgba.getchannel("A")
        if alpha.getextrema() == (255, 255):
            return rgba.convert("RGB")
        out = Image.new("RGB", rgba.size, tuple(background))
        out.paste(rgba.convert("RGB"), mask=alpha)
        return out
    if mode != "RGB":
        return image.convert("RGB")
    return image
