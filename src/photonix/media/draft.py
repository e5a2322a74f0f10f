"""Reduced-scale decoding with Pillow's ``draft``, shared by the photo and RAW-preview decoders.

Pure code: no Django.
"""

from __future__ import annotations

import math

from PIL import Image

__all__ = ["draft_for_long_edge"]


def draft_for_long_edge(image: Image.Image, min_long_edge: int) -> bool:
    """Ask the decoder for the smallest scale whose long edge is still >= *min_long_edge*.

    Works for JPEG (DCT scaling 1/2, 1/4, 1/8) and HEIF (an embedded thumbnail that is a scaled
    copy); other formats ignore it. The request is proportional to the image, because Pillow's
    JPEG ``draft`` needs *both* sides to fit (a square request would stop a landscape photo's
    reduction at its short side). Call before ``load()``. Returns True when the decode shrank.
    """
    width, height = image.size
    long_edge = max(width, height)
    if min_long_edge >= long_edge:
        return False
    request = (
        max(1, math.ceil(width * min_long_edge / long_edge)),
        max(1, math.ceil(height * min_long_edge / long_edge)),
    )
    return image.draft(image.mode, request) is not None and image.size != (width, height)
