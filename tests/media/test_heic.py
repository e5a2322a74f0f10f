"""HEIC/HEIF samples: size and orientation as the manifest gives them (a container rotation is
not applied twice), 10-bit pixels decoded to the full 8-bit range, thumbnails made."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from photonix.media.decode import open_image
from photonix.media.exiftool import ExifTool
from photonix.media.metadata import Metadata, read_metadata
from photonix.media.thumbnails import GRID, render_photo
from tests.media.conftest import MANIFEST, PHOTOS

HEICS = [e for e in MANIFEST if e["file"].startswith("heic/")]
#: The decoder's output is the stored image turned by the container (irot/imir); for
#: iphone_7_exif6_no_irot the EXIF orientation 6 is still to apply (manifest note).
DISPLAYED = {"heic/iphone_7_exif6_no_irot.heic": (3024, 4032)}


def metadata(path: Any, exiftool: ExifTool) -> Metadata:
    (result,) = read_metadata([path], exiftool)
    assert isinstance(result, Metadata), result
    return result


@pytest.mark.parametrize("entry", HEICS, ids=[e["file"] for e in HEICS])
def test_every_heic_is_upright_at_its_size_with_thumbnails(
    entry: dict[str, Any], exiftool: ExifTool
) -> None:
    path = PHOTOS / entry["file"]
    meta = metadata(path, exiftool)
    expected = DISPLAYED.get(entry["file"], tuple(entry["pixels_displayed"]))
    result = render_photo(path, orientation=meta.orientation)
    assert (result.width, result.height) == expected
    assert result.source_format == "heif"
    for name, thumb in result.thumbnails.items():
        image = Image.open(io.BytesIO(thumb.data))
        assert image.size == (thumb.width, thumb.height)
        assert (image.width > image.height) == (expected[0] > expected[1]), name
        assert abs(image.width / image.height - expected[0] / expected[1]) < 0.02, name
    assert result.thumbnails["grid"].height == min(GRID.max_height, expected[1])
    assert result.placeholder


def test_a_container_rotation_is_not_applied_twice(exiftool: ExifTool) -> None:
    """The iPhone 13 Pro Max file has EXIF orientation 6 *and* an irot box."""
    path = PHOTOS / "heic/iphone_13_pro_max.HEIC"
    entry = next(e for e in HEICS if e["file"] == "heic/iphone_13_pro_max.HEIC")
    assert entry["orientation"] == 6
    meta = metadata(path, exiftool)
    assert meta.orientation == 1  # libheif already turned it
    upright = render_photo(path, orientation=meta.orientation)
    assert (upright.width, upright.height) == (3024, 4032)
    twice = render_photo(path, orientation=6)  # what a second rotation would give
    assert (twice.width, twice.height) == (4032, 3024)
    # Pixels, not only sizes: the right one is the libheif image as it is, the other is not.
    reference = pillow_heif.open_heif(path).to_pillow().convert("L").resize((30, 40))
    ours = Image.open(io.BytesIO(upright.files()["grid"])).convert("L").resize((30, 40))
    wrong = Image.open(io.BytesIO(twice.files()["grid"])).convert("L").resize((30, 40))
    ref = np.asarray(reference, dtype=np.float64)
    assert np.abs(np.asarray(ours, dtype=np.float64) - ref).mean() < 4
    assert np.abs(np.asarray(wrong, dtype=np.float64) - ref).mean() > 15


def test_ten_bit_heif_is_scaled_to_eight_bits_not_clipped() -> None:
    path = PHOTOS / "heic/sony_a7siii_10bit_422_cat.hif"
    high = pillow_heif.open_heif(path, convert_hdr_to_8bit=False)
    assert high.info["bit_depth"] == 10 and high.mode == "RGB;16"
    # pillow-heif hands 10-bit samples over shifted to 16 bits: the top 8 bits are the value.
    expected = (np.asarray(high) >> 8).astype(np.float64)

    decoded = open_image(path, orientation=1, max_size=None)
    assert decoded.size == (4240, 2832) and decoded.image.mode == "RGB"
    ours = np.asarray(decoded.image, dtype=np.float64)
    assert np.abs(ours - expected).mean() < 1.0
    assert ours.max() >= 250 and ours.min() <= 5  # the full range, not a dark or washed image
    assert 20 < ours.mean() < 235

    result = render_photo(path, orientation=1)
    preview = result.thumbnails["preview"]
    assert (preview.width, preview.height) == (2120, 1416)  # box-reduced 1/2, within 9/8
    assert (result.thumbnails["grid"].width, result.thumbnails["grid"].height) == (539, 360)
