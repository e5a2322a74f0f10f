"""develop_raw: preview vs develop, expected sizes, LibRaw's errors as clear reasons."""

from __future__ import annotations

import numpy as np
import pytest

from photonix.media.decode import DecodeError, open_image
from photonix.media.raw import _full_develop_size, develop_raw
from tests.media.conftest import PHOTOS

DNG = PHOTOS / "raw/canon_eos_6d.dng"
BROKEN = PHOTOS / "broken"


def test_dng_develops_to_its_full_size() -> None:
    developed = develop_raw(DNG, min_size=None)
    assert developed.method == "develop"
    assert developed.image.size == (1224, 816)
    assert developed.sensor_size == (1224, 816)
    assert developed.image.mode == "RGB"
    # The scene is dark (a monitor on a desk) but not black.
    assert 10 < np.asarray(developed.image).mean() < 120


def test_a_preview_too_small_for_the_largest_size_is_not_used() -> None:
    developed = develop_raw(DNG, min_size=1920)  # largest preview is 1024x683
    assert developed.method == "develop"
    assert developed.image.size == (1224, 816)


def test_a_large_enough_preview_of_the_same_aspect_is_used() -> None:
    developed = develop_raw(DNG, min_size=1000)
    assert developed.method == "preview"
    assert developed.image.size == (1024, 683)  # LibRaw picks the largest preview
    smaller = develop_raw(DNG, min_size=500)
    assert smaller.method == "preview"
    assert smaller.image.size == (512, 342)  # the JPEG preview is DCT-scaled too


def test_the_size_is_the_full_develop_s_whatever_was_decoded() -> None:
    """A preview or a half-size develop stands in for the picture; the photo's size is the
    size a full develop gives (what the metadata says does not enter into it)."""
    preview = develop_raw(DNG, min_size=1000)
    assert (preview.method, preview.image.size, preview.size) == (
        "preview",
        (1024, 683),
        (1224, 816),
    )
    half = develop_raw(PHOTOS / "raw/Blackmagic_PocketCC4K.dng", min_size=1920)
    assert (half.method, half.image.size, half.size) == ("develop-half", (2064, 1088), (4128, 2176))
    assert open_image(
        PHOTOS / "raw/Blackmagic_PocketCC4K.dng", orientation=6, max_size=2048
    ).size == (
        2176,
        4128,
    )


def test_a_sensor_with_oblong_pixels_develops_stretched() -> None:
    """LibRaw stretches a sensor whose pixels are not square (``pixel_aspect``) when it
    develops it, as dcraw does: the longer side grows."""

    class Sizes:
        def __init__(self, width: int, height: int, pixel_aspect: float) -> None:
            self.width, self.height, self.pixel_aspect = width, height, pixel_aspect

    assert _full_develop_size(Sizes(1224, 816, 1.0)) == (1224, 816)
    assert _full_develop_size(Sizes(2000, 1312, 0.5)) == (2000, 2624)
    assert _full_develop_size(Sizes(1000, 1000, 2.0)) == (2000, 1000)


def test_a_preview_just_too_small_means_a_full_develop() -> None:
    developed = develop_raw(DNG, min_size=1100)  # preview 1024 < 1100 > half size (612)
    assert developed.method == "develop"
    assert developed.image.size == (1224, 816)


def test_open_image_on_a_raw_applies_orientation_once() -> None:
    upright = open_image(DNG, orientation=1, max_size=2048)
    assert upright.format == "raw" and upright.method == "develop"
    assert upright.image.size == (1224, 816)
    turned = open_image(DNG, orientation=6, max_size=2048)
    assert turned.image.size == (816, 1224) and turned.size == (816, 1224)


def test_unsupported_compression_falls_back_to_the_embedded_preview() -> None:
    developed = develop_raw(BROKEN / "nikon_z9_unsupported_compression.dng", min_size=1920)
    assert developed.method == "preview-fallback"
    assert developed.sensor_size == (5392, 3592)
    assert abs(developed.image.width / developed.image.height - 5392 / 3592) < 0.02
    assert "LibRaw cannot develop this RAW" in developed.warnings[0]
    decoded = open_image(
        BROKEN / "nikon_z9_unsupported_compression.dng", orientation=1, max_size=2048
    )
    assert decoded.size == (5392, 3592)
    assert decoded.warnings


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("stub_canon_350d.cr2", "cannot develop RAW: LibRaw does not support this file"),
        ("truncated_sony_a7iii.ARW", "damaged RAW file: LibRaw hit the end of the data"),
    ],
)
def test_undevelopable_raws_fail_with_a_clear_reason(name: str, reason: str) -> None:
    with pytest.raises(DecodeError) as caught:
        develop_raw(BROKEN / name, min_size=1920)
    assert caught.value.reason.startswith(reason)


def test_the_pixel_limit_applies_to_the_sensor() -> None:
    with pytest.raises(DecodeError, match=r"image too large: 1224x816 pixels"):
        develop_raw(DNG, min_size=None, max_pixels=900_000)
