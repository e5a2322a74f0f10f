"""The thumbnail set: sizes, formats, one decode, placeholder, orientation on the outputs."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from photonix.media import thumbnails as thumbs
from photonix.media.decode import DecodeError
from photonix.media.placeholder import (
    image_to_thumbhash,
    rgba_to_thumbhash,
    thumbhash_average_rgba,
    thumbhash_to_image,
)
from photonix.media.thumbnails import (
    GRID,
    PREVIEW,
    THUMBNAILER_VERSION,
    ThumbnailSize,
    make_thumbnail_set,
    render_photo,
)
from tests.media.conftest import PHOTOS


def grey(data: bytes, size: tuple[int, int]) -> np.ndarray:
    image = Image.open(io.BytesIO(data)).convert("L").resize(size, Image.Resampling.BOX)
    return np.asarray(image, dtype=np.float64)


def test_the_eight_orientations_give_the_same_thumbnails() -> None:
    sets = {
        n: render_photo(PHOTOS / f"orientation/Landscape_{n}.jpg", orientation=n)
        for n in range(1, 9)
    }
    reference = sets[1]
    ref_grid = grey(reference.files()["grid"], (60, 40))
    ref_preview = grey(reference.files()["preview"], (60, 40))
    for n, result in sets.items():
        assert (result.width, result.height) == (1800, 1200)
        assert (result.thumbnails["grid"].width, result.thumbnails["grid"].height) == (540, 360)
        assert result.thumbnails["preview"].width == 1800  # never enlarged
        assert np.abs(grey(result.files()["grid"], (60, 40)) - ref_grid).mean() < 6, n
        assert np.abs(grey(result.files()["preview"], (60, 40)) - ref_preview).mean() < 6, n
    wrong = render_photo(PHOTOS / "orientation/Landscape_3.jpg", orientation=1)
    assert np.abs(grey(wrong.files()["grid"], (60, 40)) - ref_grid).mean() > 25


def test_sizes_formats_and_metadata_of_a_set(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    Image.effect_mandelbrot((4032, 3024), (-2, -1.2, 1, 1.2), 60).convert("RGB").save(
        path, quality=90, exif=Image.Exif().tobytes()
    )
    result = render_photo(path, orientation=1)
    assert result.version == THUMBNAILER_VERSION
    assert result.method == "dct-1/2"
    preview = result.thumbnails["preview"]
    grid = result.thumbnails["grid"]
    assert (preview.width, preview.height) == (2016, 1512)  # 1/2 DCT scale, within 15/16
    assert (grid.width, grid.height) == (480, 360)
    for thumb in (preview, grid):
        image = Image.open(io.BytesIO(thumb.data))
        assert image.format == "JPEG" and image.size == (thumb.width, thumb.height)
        assert "exif" not in image.info  # nothing (GPS!) leaks into derived files
        assert thumb.content_type == "image/jpeg" and thumb.extension == ".jpg"
    assert 20 <= len(result.placeholder) <= 40


def test_panorama_and_portrait_fit_the_grid_box() -> None:
    pano = Image.new("RGB", (9000, 1000), (10, 20, 30))
    result = make_thumbnail_set(pano)
    assert (result.thumbnails["grid"].width, result.thumbnails["grid"].height) == (1440, 160)
    assert result.thumbnails["preview"].width == 2048
    portrait = make_thumbnail_set(Image.new("RGB", (3000, 4000)))
    assert (portrait.thumbnails["grid"].width, portrait.thumbnails["grid"].height) == (270, 360)
    assert (portrait.thumbnails["preview"].width, portrait.thumbnails["preview"].height) == (
        1536,
        2048,
    )


def test_each_size_is_derived_from_the_larger_one(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int]] = []
    original = thumbs._resize_to

    def spy(image: Image.Image, size: tuple[int, int]) -> Image.Image:
        seen.append(image.size)
        return original(image, size)

    monkeypatch.setattr(thumbs, "_resize_to", spy)
    make_thumbnail_set(Image.new("RGB", (3000, 2000)))
    assert seen == [(3000, 2000), (2048, 1365), (540, 360)]  # preview, grid, placeholder


def test_sizes_must_nest() -> None:
    wide = ThumbnailSize("wide", 4000, 100)
    with pytest.raises(ValueError, match="does not fit inside"):
        make_thumbnail_set(Image.new("RGB", (10, 10)), (PREVIEW, wide))


def test_webp_is_available_per_size() -> None:
    small_webp = ThumbnailSize("grid", GRID.max_width, GRID.max_height, "WEBP", 75)
    result = make_thumbnail_set(Image.new("RGB", (800, 600), (1, 2, 3)), (PREVIEW, small_webp))
    assert Image.open(io.BytesIO(result.files()["grid"])).format == "WEBP"
    assert result.thumbnails["grid"].content_type == "image/webp"


@pytest.mark.parametrize(
    "name",
    [
        "faces-objects/classic_car.heic",
        "heic/zPug_3_multi_image.heic",
        "png-webp-tiff/olympus_mountains.avif",
        "png-webp-tiff/canon_6d_gps_16bit.tif",
        "png-webp-tiff/DudleyLeavittUtah.tiff",
        "raw/canon_eos_6d.dng",
        "broken/jpeg_named.heic",
    ],
)
def test_every_format_renders(name: str) -> None:
    result = render_photo(PHOTOS / name, orientation=1)
    assert set(result.thumbnails) == {"preview", "grid"}
    assert result.placeholder


def test_heic_rotated_by_its_container_gives_portrait_thumbnails() -> None:
    result = render_photo(PHOTOS / "faces-objects/classic_car.heic", orientation=1)
    assert (result.width, result.height) == (3024, 4032)
    # 3024x4032 box-reduced by 2 (2016 px is within 15/16 of 2048): no resampling pass
    assert (result.thumbnails["preview"].width, result.thumbnails["preview"].height) == (
        1512,
        2016,
    )
    assert (result.thumbnails["grid"].width, result.thumbnails["grid"].height) == (270, 360)


def test_broken_file_raises_decode_error() -> None:
    with pytest.raises(DecodeError):
        render_photo(PHOTOS / "broken/truncated_jpeg.jpg", orientation=1)


# --- placeholder -------------------------------------------------------------------------------


def test_thumbhash_keeps_average_colour_and_aspect() -> None:
    image = Image.new("RGB", (100, 50), (200, 40, 40))
    image.paste((40, 40, 200), (50, 0, 100, 50))
    hash_ = image_to_thumbhash(image)
    r, g, b, a = thumbhash_average_rgba(hash_)
    assert abs(r - 120 / 255) < 0.06 and abs(g - 40 / 255) < 0.06 and abs(b - 120 / 255) < 0.06
    assert a == 1.0
    rendered = thumbhash_to_image(hash_)
    assert rendered.width == 32 and 14 <= rendered.height <= 18
    left = np.asarray(rendered)[:, :8, :3].mean(axis=(0, 1))
    right = np.asarray(rendered)[:, -8:, :3].mean(axis=(0, 1))
    assert left[0] > left[2] + 60 and right[2] > right[0] + 60  # red left, blue right


def test_thumbhash_with_alpha() -> None:
    rgba = np.zeros((40, 40, 4), dtype=np.uint8)
    rgba[10:30, 10:30] = (0, 180, 0, 255)
    hash_ = rgba_to_thumbhash(rgba)
    assert hash_[2] & 0x80  # has-alpha bit
    rendered = np.asarray(thumbhash_to_image(hash_))
    assert rendered[16, 16, 3] > 200 and rendered[1, 1, 3] < 80


def test_thumbhash_matches_the_reference_bit_layout() -> None:
    # Hash of a flat mid-grey 4x4 image, computed by hand from the reference encoder:
    # l_dc = 0.5 -> 32, p_dc = q_dc = 0 -> 32, no AC energy, 7 luminance terms each way.
    flat = np.full((4, 4, 4), (128, 128, 128, 255), dtype=np.uint8)
    hash_ = rgba_to_thumbhash(flat)
    header24 = hash_[0] | hash_[1] << 8 | hash_[2] << 16
    assert header24 & 63 == round(63 * 128 / 255)
    assert (header24 >> 6) & 63 == 32 and (header24 >> 12) & 63 == 32
    assert header24 >> 23 == 0
    with pytest.raises(ValueError, match="doesn't fit"):
        rgba_to_thumbhash(np.zeros((101, 10, 4), dtype=np.uint8))


def test_a_24_mp_jpeg_set_comes_from_one_3_8_scaled_decode(tmp_path: Path) -> None:
    path = tmp_path / "24mp.jpg"
    with Image.open(PHOTOS / "gps/empty_gps.jpg") as source:
        source.resize((6000, 4000), Image.Resampling.BILINEAR).save(path, quality=90)
    result = render_photo(path, orientation=1)
    assert result.method == "dct-3/8"
    assert (result.width, result.height) == (6000, 4000)
    preview, grid = result.thumbnails["preview"], result.thumbnails["grid"]
    # 2250 px is within the preview's 9/8 overshoot: kept as decoded, not resampled to 2048.
    assert (preview.width, preview.height) == (2250, 1500)
    assert (grid.width, grid.height) == (540, 360)
    assert PREVIEW.fit(2250, 1500) == (2250, 1500)
    assert PREVIEW.fit(3000, 2000) == (2048, 1365)  # beyond 9/8: fitted to the box
    assert GRID.fit(600, 400) == (540, 360)  # the grid has no overshoot
