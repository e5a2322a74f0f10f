"""ThumbHash: a ~25-byte placeholder the UI draws (blurred) before the thumbnail arrives.

ThumbHash (Evan Wallace, https://evanw.github.io/thumbhash/, MIT) keeps the aspect ratio, the
average colour and alpha, and gives more detail than BlurHash in fewer bytes. The PyPI ports are
unmaintained (last release 2023), so this is a NumPy transcription of the reference JavaScript
encoder and decoder (same bit layout, same rounding: ``Math.round`` = floor(x + 0.5)); the web UI
decodes the hashes with the reference JS decoder.

Use :func:`image_to_thumbhash` on an image of at most 100x100 pixels (the thumbnailer passes a
reduced copy of the grid thumbnail); :func:`thumbhash_to_image` renders a hash back (tests,
server-side previews). Pure code: no Django.
"""

from __future__ import annotations

import base64
import math
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image

__all__ = [
    "MAX_INPUT_SIZE",
    "image_to_thumbhash",
    "rgba_to_thumbhash",
    "thumbhash_average_rgba",
    "thumbhash_to_image",
    "thumbhash_to_rgba",
]

#: The reference encoder refuses larger input: more pixels only cost time.
MAX_INPUT_SIZE: Final = 100

_Float = NDArray[np.float64]


def _round(x: float) -> int:
    """JavaScript's Math.round (half up), which the reference implementation uses."""
    return math.floor(x + 0.5)


def image_to_thumbhash(image: Image.Image) -> str:
    """The ThumbHash of *image* as base64 (no padding stripped), shrinking it to 100 px first."""
    if max(image.size) > MAX_INPUT_SIZE:
        image = image.copy()
        image.thumbnail((MAX_INPUT_SIZE, MAX_INPUT_SIZE), Image.Resampling.BILINEAR)
    rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8)
    return base64.b64encode(rgba_to_thumbhash(rgba)).decode("ascii")


def _encode_channel(channel: _Float, nx: int, ny: int) -> tuple[float, list[float], float]:
    h, w = channel.shape
    cos_x = np.cos(np.pi / w * np.outer(np.arange(nx), np.arange(w) + 0.5))  # (nx, w)
    cos_y = np.cos(np.pi / h * np.outer(np.arange(ny), np.arange(h) + 0.5))  # (ny, h)
    coefficients = cos_y @ channel @ cos_x.T / (w * h)  # (ny, nx)
    dc = 0.0
    ac: list[float] = []
    scale = 0.0
    for cy in range(ny):
        cx = 0
        while cx * ny < nx * (ny - cy):
            f = float(coefficients[cy, cx])
            if cx or cy:
                ac.append(f)
                scale = max(scale, abs(f))
            else:
                dc = f
            cx += 1
    if scale:
        ac = [0.5 + 0.5 / scale * f for f in ac]
    return dc, ac, scale


def rgba_to_thumbhash(rgba: NDArray[np.uint8]) -> bytes:
    """Encode an (h, w, 4) uint8 RGBA array of at most 100x100 pixels (the reference algorithm)."""
    h, w = int(rgba.shape[0]), int(rgba.shape[1])
    if w > MAX_INPUT_SIZE or h > MAX_INPUT_SIZE:
        raise ValueError(f"{w}x{h} doesn't fit in {MAX_INPUT_SIZE}x{MAX_INPUT_SIZE}")
    if w == 0 or h == 0:
        raise ValueError("empty image")
    pixels = rgba.astype(np.float64) / 255.0
    alpha = pixels[:, :, 3]
    total_alpha = float(alpha.sum())
    if total_alpha:
        avg = [float((alpha * pixels[:, :, c]).sum()) / total_alpha for c in range(3)]
    else:
        avg = [0.0, 0.0, 0.0]
    has_alpha = total_alpha < w * h
    l_limit = 5 if has_alpha else 7  # fewer luminance bits when there is alpha
    lx = max(1, _round(l_limit * w / max(w, h)))
    ly = max(1, _round(l_limit * h / max(w, h)))

    # RGBA to LPQA, composited atop the average colour.
    r = avg[0] * (1 - alpha) + alpha * pixels[:, :, 0]
    g = avg[1] * (1 - alpha) + alpha * pixels[:, :, 1]
    b = avg[2] * (1 - alpha) + alpha * pixels[:, :, 2]
    lum = (r + g + b) / 3
    p = (r + g) / 2 - b
    q = r - g

    l_dc, l_ac, l_scale = _encode_channel(lum, max(3, lx), max(3, ly))
    p_dc, p_ac, p_scale = _encode_channel(p, 3, 3)
    q_dc, q_ac, q_scale = _encode_channel(q, 3, 3)
    a_dc, a_ac, a_scale = _encode_channel(alpha, 5, 5) if has_alpha else (0.0, [], 0.0)

    is_landscape = w > h
    header24 = (
        _round(63 * l_dc)
        | (_round(31.5 + 31.5 * p_dc) << 6)
        | (_round(31.5 + 31.5 * q_dc) << 12)
        | (_round(31 * l_scale) << 18)
        | (int(has_alpha) << 23)
    )
    header16 = (
        (ly if is_landscape else lx)
        | (_round(63 * p_scale) << 3)
        | (_round(63 * q_scale) << 9)
        | (int(is_landscape) << 15)
    )
    out = [header24 & 255, (header24 >> 8) & 255, header24 >> 16, header16 & 255, header16 >> 8]
    if has_alpha:
        out.append(_round(15 * a_dc) | (_round(15 * a_scale) << 4))
    factors = [*l_ac, *p_ac, *q_ac, *(a_ac if has_alpha else [])]
    for i in range(0, len(factors), 2):
        low = _round(15 * factors[i])
        high = _round(15 * factors[i + 1]) if i + 1 < len(factors) else 0
        out.append(low | (high << 4))
    return bytes(out)


def _decode_header(hash_: bytes) -> tuple[dict[str, float], int, int, bool, bool]:
    if len(hash_) < 5:
        raise ValueError("a ThumbHash has at least 5 bytes")
    header24 = hash_[0] | (hash_[1] << 8) | (hash_[2] << 16)
    header16 = hash_[3] | (hash_[4] << 8)
    has_alpha = bool(header24 >> 23)
    is_landscape = bool(header16 >> 15)
    lx = max(3, (5 if has_alpha else 7) if is_landscape else header16 & 7)
    ly = max(3, header16 & 7 if is_landscape else (5 if has_alpha else 7))
    values = {
        "l_dc": (header24 & 63) / 63,
        "p_dc": ((header24 >> 6) & 63) / 31.5 - 1,
        "q_dc": ((header24 >> 12) & 63) / 31.5 - 1,
        "l_scale": ((header24 >> 18) & 31) / 31,
        "p_scale": ((header16 >> 3) & 63) / 63,
        "q_scale": ((header16 >> 9) & 63) / 63,
        "a_dc": (hash_[5] & 15) / 15 if has_alpha else 1.0,
        "a_scale": (hash_[5] >> 4) / 15 if has_alpha else 0.0,
    }
    return values, lx, ly, has_alpha, is_landscape


def _aspect_ratio(hash_: bytes) -> float:
    header = hash_[3]
    has_alpha = hash_[2] & 0x80
    is_landscape = hash_[4] & 0x80
    lx = (5 if has_alpha else 7) if is_landscape else header & 7
    ly = header & 7 if is_landscape else (5 if has_alpha else 7)
    return lx / ly if ly else 1.0


def thumbhash_to_rgba(hash_: bytes) -> NDArray[np.uint8]:
    """Render a ThumbHash to an (h, w, 4) uint8 array of at most 32 px (the reference decoder)."""
    v, lx, ly, has_alpha, _ = _decode_header(hash_)
    ac_start = 6 if has_alpha else 5
    index = 0

    def channel(nx: int, ny: int, scale: float) -> list[tuple[int, int, float]]:
        nonlocal index
        terms: list[tuple[int, int, float]] = []
        for cy in range(ny):
            cx = 0 if cy else 1
            while cx * ny < nx * (ny - cy):
                pos = ac_start + (index >> 1)
                byte = hash_[pos] if pos < len(hash_) else 0
                nibble = (byte >> ((index & 1) << 2)) & 15
                terms.append((cx, cy, (nibble / 7.5 - 1) * scale))
                index += 1
                cx += 1
        return terms

    l_ac = channel(lx, ly, v["l_scale"])
    p_ac = channel(3, 3, v["p_scale"] * 1.25)  # boost saturation to undo quantisation
    q_ac = channel(3, 3, v["q_scale"] * 1.25)
    a_ac = channel(5, 5, v["a_scale"]) if has_alpha else []

    ratio = _aspect_ratio(hash_)
    w = _round(32 if ratio > 1 else 32 * ratio)
    h = _round(32 / ratio if ratio > 1 else 32)
    xs = np.arange(w) + 0.5
    ys = np.arange(h) + 0.5

    def render(dc: float, terms: list[tuple[int, int, float]]) -> _Float:
        out = np.full((h, w), dc)
        for cx, cy, f in terms:
            out += f * 2 * np.outer(np.cos(np.pi / h * ys * cy), np.cos(np.pi / w * xs * cx))
        return out

    lum = render(v["l_dc"], l_ac)
    p = render(v["p_dc"], p_ac)
    q = render(v["q_dc"], q_ac)
    a = render(v["a_dc"], a_ac)
    b = lum - 2 / 3 * p
    r = (3 * lum - b + q) / 2
    g = r - q
    rgba = np.stack([r, g, b, a], axis=-1)
    return np.clip(rgba * 255, 0, 255).astype(np.uint8)


def thumbhash_to_image(thumbhash: str | bytes) -> Image.Image:
    """Render a ThumbHash (base64 text or raw bytes) as a small RGBA image."""
    raw = base64.b64decode(thumbhash) if isinstance(thumbhash, str) else thumbhash
    return Image.fromarray(thumbhash_to_rgba(raw), "RGBA")


def thumbhash_average_rgba(thumbhash: str | bytes) -> tuple[float, float, float, float]:
    """The average colour stored in a ThumbHash, each channel in 0..1."""
    raw = base64.b64decode(thumbhash) if isinstance(thumbhash, str) else thumbhash
    v, *_ = _decode_header(raw)
    lum, p, q = v["l_dc"], v["p_dc"], v["q_dc"]
    b = lum - 2 / 3 * p
    r = (3 * lum - b + q) / 2
    g = r - q
    return (
        min(1.0, max(0.0, r)),
        min(1.0, max(0.0, g)),
        min(1.0, max(0.0, b)),
        v["a_dc"],
    )
