"""open_image: every format, orientation exactly once, colour, limits, broken files."""

from __future__ import annotations

import io
import resource
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms

from photonix.media.decode import (
    DecodeError,
    _to_8bit,
    compose_transposes,
    open_image,
    orientation_transpose,
)
from photonix.media.formats import FileKind
from tests.media.conftest import PHOTOS

ORIENTATION = PHOTOS / "orientation"
BROKEN = PHOTOS / "broken"


def small_grey(image: Image.Image, size: tuple[int, int] = (48, 32)) -> np.ndarray:
    return np.asarray(image.convert("L").resize(size, Image.Resampling.BOX), dtype=np.float64)


def mad(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference (0-255) of small grayscale versions of two images."""
    size = (48, 32) if a.width >= a.height else (32, 48)
    return float(np.abs(small_grey(a, size) - small_grey(b, size)).mean())


# --- orientation -------------------------------------------------------------------------------


def test_the_eight_exif_orientations_display_the_same_picture_upright() -> None:
    reference = open_image(ORIENTATION / "Landscape_1.jpg", orientation=1, max_size=360).image
    assert reference.width > reference.height
    for n in range(1, 9):
        decoded = open_image(ORIENTATION / f"Landscape_{n}.jpg", orientation=n, max_size=360)
        assert decoded.image.size == reference.size, n
        assert decoded.size == (1800, 1200), n
        assert mad(decoded.image, reference) < 6, f"Landscape_{n} differs from Landscape_1"


@pytest.mark.parametrize("wrong", [1, 2, 3, 4, 5, 7, 8])
def test_a_wrong_orientation_gives_a_visibly_different_picture(wrong: int) -> None:
    reference = open_image(ORIENTATION / "Landscape_1.jpg", orientation=1, max_size=360).image
    decoded = open_image(ORIENTATION / "Landscape_6.jpg", orientation=wrong, max_size=360).image
    if decoded.size != reference.size:
        return  # sideways: already obviously wrong
    assert mad(decoded, reference) > 25


def test_webp_with_exif_orientation_6() -> None:
    upright = open_image(
        ORIENTATION / "hopper_orientation_6.webp", orientation=6, max_size=None
    ).image
    stored = Image.open(ORIENTATION / "hopper_orientation_6.webp").convert("RGB")
    assert upright.size == (128, 128)
    assert mad(upright, stored.transpose(Image.Transpose.ROTATE_270)) < 2
    assert mad(upright, stored) > 10


def test_user_rotation_is_applied_after_the_exif_orientation() -> None:
    base = open_image(ORIENTATION / "Landscape_6.jpg", orientation=6, max_size=360)
    turned = open_image(
        ORIENTATION / "Landscape_6.jpg", orientation=6, max_size=360, user_rotation=90
    )
    assert turned.size == (1200, 1800)
    assert mad(turned.image, base.image.transpose(Image.Transpose.ROTATE_270)) < 1


def test_composed_transposes_equal_applying_them_one_after_the_other() -> None:
    rng = np.random.default_rng(0)
    image = Image.fromarray(rng.integers(0, 255, (3, 5, 3), dtype=np.uint8), "RGB")
    ops = [None, *Image.Transpose]
    for first in ops:
        for then in ops:
            expected = image if first is None else image.transpose(first)
            expected = expected if then is None else expected.transpose(then)
            op = compose_transposes(first, then)
            got = image if op is None else image.transpose(op)
            assert got.tobytes() == expected.tobytes(), (first, then)
    assert orientation_transpose(6, 270) is None  # rotate 90 cw then 270 cw = nothing


def test_invalid_arguments_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="orientation"):
        open_image(ORIENTATION / "Landscape_1.jpg", orientation=9, max_size=None)
    with pytest.raises(ValueError, match="user_rotation"):
        open_image(ORIENTATION / "Landscape_1.jpg", orientation=1, max_size=None, user_rotation=45)


# --- reduced-scale decode ------------------------------------------------------------------------


def test_jpeg_is_decoded_dct_scaled_to_the_size_asked(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (4032, 3024), (90, 120, 150)).save(path, quality=90)
    decoded = open_image(path, orientation=1, max_size=2048)
    # 4032/2 = 2016 is within the 15/16 tolerance of 2048: decoded at 1/2, not resized
    assert decoded.method == "dct-1/2"
    assert decoded.image.size == (2016, 1512)
    assert decoded.size == (4032, 3024)
    small = open_image(path, orientation=6, max_size=360)
    assert small.method == "dct-1/8"
    assert small.image.size == (270, 360)  # 504x378 decoded, fitted, turned
    assert small.size == (3024, 4032)


# --- HEIF / AVIF -----------------------------------------------------------------------------


def test_heic_rotated_by_its_container_is_not_rotated_twice() -> None:
    decoded = open_image(PHOTOS / "faces-objects/classic_car.heic", orientation=1, max_size=512)
    assert decoded.format == "heif"
    assert decoded.size == (3024, 4032)
    assert decoded.image.size == (378, 504)  # box-reduced 1/8, within 15/16 of 512


def test_heic_without_irot_gets_its_exif_orientation() -> None:
    path = PHOTOS / "heic/iphone_7_exif6_no_irot.heic"
    decoded = open_image(path, orientation=6, max_size=512)
    assert decoded.size == (3024, 4032)
    assert decoded.image.size == (378, 504)
    sideways = open_image(path, orientation=1, max_size=512)
    assert sideways.image.size == (504, 378)
    assert mad(decoded.image, sideways.image.transpose(Image.Transpose.ROTATE_270)) < 1


def test_multi_image_heic_gives_the_primary_image() -> None:
    decoded = open_image(PHOTOS / "heic/zPug_3_multi_image.heic", orientation=1, max_size=None)
    assert decoded.image.size == (64, 64)
    pixels = np.asarray(decoded.image, dtype=np.int16)
    assert np.abs(pixels[..., 0] - pixels[..., 1]).max() <= 1  # the grayscale one
    assert np.abs(pixels[..., 1] - pixels[..., 2]).max() <= 1
    assert pixels.std() > 5  # not a flat image


def test_avif_decodes() -> None:
    decoded = open_image(
        PHOTOS / "png-webp-tiff/olympus_mountains.avif", orientation=1, max_size=None
    )
    assert decoded.format == "avif"
    assert decoded.image.size == (1920, 1080)
    assert 20 < np.asarray(decoded.image).mean() < 235


def test_avif_container_rotation_is_applied_once(tmp_path: Path) -> None:
    # Pillow writes EXIF orientation 6 as the container's irot and does not rotate on decode.
    stored = Image.new("RGB", (200, 100), (250, 0, 0))
    stored.paste((0, 0, 250), (0, 0, 50, 50))  # blue top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "rotated.avif"
    stored.save(path, exif=exif.tobytes(), quality=90)
    # Metadata says 1 for a HEIF/AVIF whose container rotates.
    decoded = open_image(path, orientation=1, max_size=None)
    assert decoded.size == (100, 200)
    r, _g, b = decoded.image.getpixel((90, 10))  # type: ignore[misc]
    assert b > 150 and r < 100  # the blue corner is now top-right


# --- colour, depth, alpha ---------------------------------------------------------------------


def test_16_bit_tiff_is_not_black_or_clipped() -> None:
    decoded = open_image(
        PHOTOS / "png-webp-tiff/canon_6d_gps_16bit.tif", orientation=1, max_size=None
    )
    pixels = np.asarray(decoded.image)
    assert decoded.image.size == (100, 67)
    assert 20 < pixels.mean() < 235
    assert (pixels == 255).mean() < 0.2 and (pixels == 0).mean() < 0.2


def test_16_bit_grey_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (16, 1))
    path = tmp_path / "grey16.png"
    Image.fromarray(ramp).save(path)  # mode I;16
    assert Image.open(path).mode in ("I;16", "I")
    row = np.asarray(open_image(path, orientation=1, max_size=None).image)[8, :, 0]
    assert row[0] == 0 and row[-1] == 255
    assert abs(int(row[128]) - 128) <= 2  # mid-grey stays mid-grey


@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I", "F"])
def test_high_bit_grey_converts_band_by_band_to_the_exact_values(mode: str) -> None:
    """3000 rows x 1000 columns is several conversion bands: every row lands where it belongs."""
    rng = np.random.default_rng(5)
    values = rng.integers(0, 65536, size=(3000, 1000), dtype=np.uint32)
    values[:, 0] = np.arange(3000) * 21  # a ramp down the first column: rows stay in order
    values[0, 1], values[1, 1] = 0, 65535
    if mode == "F":
        image = Image.fromarray(values.astype(np.float32), "F")
    elif mode == "I":
        image = Image.fromarray(values.astype(np.int32), "I")
    else:
        dtype = ">u2" if mode == "I;16B" else "<u2"
        image = Image.frombytes(mode, (1000, 3000), values.astype(dtype).tobytes())
    assert image.mode == mode
    converted = _to_8bit(image)
    assert converted.mode == "L" and converted.size == (1000, 3000)
    expected = np.floor(values * 255 / 65535 + 0.5).astype(np.uint8)
    got = np.asarray(converted)
    assert np.abs(got.astype(np.int16) - expected).max() <= (1 if mode == "F" else 0)
    assert got[0, 1] == 0 and got[1, 1] == 255


def test_8_bit_values_in_a_32_bit_grey_image_are_kept() -> None:
    image = Image.fromarray(np.arange(256, dtype=np.int32).reshape(16, 16), "I")
    assert np.array_equal(np.asarray(_to_8bit(image)).ravel(), np.arange(256))
    floats = Image.fromarray(np.linspace(0, 1, 256, dtype=np.float32).reshape(16, 16), "F")
    assert np.asarray(_to_8bit(floats)).ravel()[[0, 128, 255]].tolist() == [0, 128, 255]


def test_a_large_16_bit_image_converts_in_bounded_memory() -> None:
    """48 MP of 16-bit grey: the conversion allocates the 8-bit result and small bands only."""
    image = Image.new("I;16", (8000, 6000), 40000)
    tracemalloc.start()
    try:
        converted = _to_8bit(image)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert converted.getpixel((7999, 5999)) == round(40000 * 255 / 65535)
    result_bytes = 8000 * 6000
    assert peak < result_bytes + 16 * 2**20  # int64 samples would be 8x the result alone


def test_alpha_is_flattened_on_a_neutral_background(tmp_path: Path) -> None:
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 20, 20))
    path = tmp_path / "alpha.png"
    image.save(path)
    decoded = open_image(path, orientation=1, max_size=None).image
    assert decoded.mode == "RGB"
    assert decoded.getpixel((5, 5)) == (200, 0, 0)
    assert decoded.getpixel((35, 5)) == (204, 204, 204)
    rgba_tiff = open_image(
        PHOTOS / "png-webp-tiff/DudleyLeavittUtah.tiff", orientation=1, max_size=None
    )
    assert rgba_tiff.image.mode == "RGB"


def test_gif_gives_its_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("P", (30, 20), i) for i in (1, 2, 3)]
    for frame, colour in zip(frames, ((255, 0, 0), (0, 255, 0), (0, 0, 255)), strict=True):
        frame.putpalette([0, 0, 0, *colour] * 64)
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    decoded = open_image(path, orientation=1, max_size=None)
    assert decoded.format == "gif"
    assert decoded.image.getpixel((10, 10)) == (255, 0, 0)


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (32, 32), (0, 255, 255, 0)).save(path, quality=95)  # pure red ink mix
    pixel = open_image(path, orientation=1, max_size=None).image.getpixel((16, 16))
    r, g, b = pixel  # type: ignore[misc]
    assert r > 200 and g < 60 and b < 60


def saturation(image: Image.Image) -> float:
    pixels = np.asarray(image, dtype=np.float64)
    return float((pixels.max(axis=2) - pixels.min(axis=2)).mean())


@pytest.mark.parametrize(
    "name",
    ["faces-objects/classic_car.heic", "png-webp-tiff/canon_6d_gps_16bit.tif"],  # P3, Adobe RGB
)
def test_wide_gamut_profiles_are_converted_to_srgb(name: str) -> None:
    decoded = open_image(PHOTOS / name, orientation=1, max_size=256)
    ignored = Image.open(PHOTOS / name).convert("RGB")
    ignored.thumbnail(decoded.image.size)
    assert decoded.warnings == ()
    assert ignored.info.get("icc_profile")
    # The same numbers mean more saturated colours in a wider gamut: in sRGB they spread more.
    assert saturation(decoded.image) > saturation(ignored) * 1.05


def test_srgb_tagged_images_are_left_alone(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    pixel = (120, 160, 200)
    tagged = tmp_path / "tagged.png"
    Image.new("RGB", (8, 8), pixel).save(tagged, icc_profile=srgb.tobytes())
    assert open_image(tagged, orientation=1, max_size=None).image.getpixel((4, 4)) == pixel


def test_a_damaged_icc_profile_is_ignored_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "bad_icc.png"
    Image.new("RGB", (8, 8), (1, 2, 3)).save(path, icc_profile=b"not really a profile" * 8)
    decoded = open_image(path, orientation=1, max_size=None)
    assert decoded.image.getpixel((4, 4)) == (1, 2, 3)
    assert "ICC" in decoded.warnings[0]


# --- broken and hostile files -------------------------------------------------------------------

DECODABLE = [
    "jpeg_named.heic",
    "jpeg_named.png",
    "invalid_exif_image01137.jpg",
    "invalid_utf8.jpg",
    "bad_date.jpg",
    "broken_gps_ifd.jpg",
    "truncated.heic",
]
FAILING = {
    "truncated_jpeg.jpg": "damaged JPEG file: image data is truncated",
    "truncated_image.png": "damaged PNG file: image data is truncated",
    "not_a_png.png": "damaged PNG file: cannot read its header",
    "zero_bytes.jpg": "empty file (0 bytes)",
    "corrupted.heic": "damaged HEIF file: cannot read its header",
    "stub_canon_350d.cr2": "cannot develop RAW: LibRaw does not support this file",
    "truncated_sony_a7iii.ARW": "damaged RAW file",
}


def test_every_broken_sample_is_covered() -> None:
    names = {p.name for p in BROKEN.iterdir()}
    assert names == {*DECODABLE, *FAILING, "nikon_z9_unsupported_compression.dng"}


@pytest.mark.parametrize("name", DECODABLE)
def test_mislabelled_or_damaged_metadata_still_decodes(name: str) -> None:
    decoded = open_image(BROKEN / name, orientation=1, max_size=2048)
    assert decoded.image.mode == "RGB"
    assert min(decoded.image.size) >= 8
    if name.startswith("jpeg_named"):
        assert decoded.format == "jpeg"
        assert "does not match its content" in decoded.warnings[0]


@pytest.mark.parametrize(("name", "reason"), sorted(FAILING.items()))
def test_broken_files_fail_with_a_clear_reason(name: str, reason: str) -> None:
    with pytest.raises(DecodeError) as caught:
        open_image(BROKEN / name, orientation=1, max_size=2048)
    assert caught.value.reason.startswith(reason), caught.value.reason


def test_missing_file() -> None:
    with pytest.raises(DecodeError, match="file not found"):
        open_image(BROKEN / "no-such-file.jpg", orientation=1, max_size=None)


def test_text_file_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("hello, this is not a photo\n")
    with pytest.raises(DecodeError, match=r"not an image \(content is plain text\)"):
        open_image(path, orientation=1, max_size=None)


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_30000_by_30000_image_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(30_000, 30_000))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(DecodeError) as caught:
            open_image(path, orientation=1, max_size=2048)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert caught.value.reason == "image too large: 30000x30000 pixels (limit 200 MP)"
    assert elapsed < 1.0
    assert peak < 5 * 1024 * 1024  # Python allocations: a few KB, not 2.7 GB
    assert rss_after - rss_before < 50 * 1024  # KiB: no pixel buffer was ever allocated


def test_the_pixel_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "img.png"
    Image.new("RGB", (100, 100)).save(path)
    with pytest.raises(DecodeError, match=r"image too large: 100x100 pixels \(limit 0.005 MP\)"):
        open_image(path, orientation=1, max_size=None, max_pixels=5000)


def test_pillow_global_bomb_threshold_is_not_what_stops_us(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # our limit rules, not Pillow's
    path = tmp_path / "img.png"
    Image.new("RGB", (100, 100)).save(path)
    assert open_image(path, orientation=1, max_size=None).image.size == (100, 100)


def test_raw_extension_with_jpeg_content_is_decoded_as_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0001.CR2"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 10)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    decoded = open_image(path, orientation=1, max_size=None, kind=FileKind.RAW)
    assert decoded.format == "jpeg" and decoded.image.size == (64, 48)


def _camera_jpeg(path: Path, size: tuple[int, int]) -> Path:
    """A JPEG with real detail (a scaled fixture, so DCT scaling has something to smooth)."""
    with Image.open(PHOTOS / "gps/empty_gps.jpg") as source:
        source.resize(size, Image.Resampling.BILINEAR).save(path, quality=90)
    return path


@pytest.mark.parametrize(
    ("size", "method", "decoded"),
    [
        ((6000, 4000), "dct-3/8", (2250, 1500)),  # 24 MP: 1/4 is 1500 px, too small
        ((4000, 6000), "dct-3/8", (1500, 2250)),
        ((4032, 3024), "dct-1/2", (2016, 1512)),  # 3/8 would be 1512 px
        ((8256, 5504), "dct-1/4", (2064, 1376)),  # 45 MP
        ((1600, 1200), "full", (1600, 1200)),
    ],
)
def test_jpegs_decode_at_the_smallest_dct_scale_that_is_large_enough(
    tmp_path: Path, size: tuple[int, int], method: str, decoded: tuple[int, int]
) -> None:
    path = _camera_jpeg(tmp_path / "photo.jpg", size)
    result = open_image(path, orientation=1, max_size=2048, overshoot=9 / 8)
    assert result.method == method
    assert result.image.size == decoded and result.size == size


def test_the_3_8_scale_gives_the_same_picture_as_a_full_decode(tmp_path: Path) -> None:
    path = _camera_jpeg(tmp_path / "photo.jpg", (6000, 4000))
    result = open_image(path, orientation=6, max_size=2048, overshoot=9 / 8)
    assert result.method == "dct-3/8"
    assert result.image.size == (1500, 2250) and result.size == (4000, 6000)
    with Image.open(path) as full:
        reference = full.transpose(Image.Transpose.ROTATE_270).resize(
            (1500, 2250), Image.Resampling.BOX
        )
    diff = np.abs(np.asarray(result.image, np.int16) - np.asarray(reference, np.int16))
    assert diff.mean() < 3  # not shifted, not cropped, not turned the wrong way
    assert np.abs(diff[-20:, :]).mean() < 4 and np.abs(diff[:, -20:]).mean() < 4  # edges too


def test_a_refused_3_8_set_up_falls_back_to_pillows_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should Pillow's decoder stop accepting the 3/8 tile, the photo still decodes (at 1/2)."""
    from photonix.media import decode

    real = decode.draft_jpeg

    def wrong_size(image: Image.Image, min_long_edge: int) -> str | None:
        method = real(image, min_long_edge)
        if method == "dct-3/8":
            image._size = (image.size[0] - 7, image.size[1] - 7)  # not what libjpeg gives
        return method

    monkeypatch.setattr(decode, "draft_jpeg", wrong_size)
    path = _camera_jpeg(tmp_path / "photo.jpg", (6000, 4000))
    result = open_image(path, orientation=1, max_size=2048, overshoot=9 / 8)
    assert result.method == "dct-1/2"
    assert result.image.size == (2048, 1365)  # 3000 px resampled to the box


def test_pillow_internals_of_another_shape_fall_back_to_pillows_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should Pillow rename its tile type, the photo still decodes (at 1/2), not "damaged"."""
    import types

    from PIL import ImageFile

    from photonix.media import decode

    # decode.py's view of Pillow without ``_Tile`` (Pillow's own plugins keep theirs).
    monkeypatch.setattr(decode, "ImageFile", types.SimpleNamespace(ImageFile=ImageFile.ImageFile))
    path = _camera_jpeg(tmp_path / "photo.jpg", (6000, 4000))
    result = open_image(path, orientation=1, max_size=2048, overshoot=9 / 8)
    assert result.method == "dct-1/2"
    assert result.image.size == (2048, 1365)


@pytest.mark.parametrize(("mode", "method"), [("L", "dct-3/8"), ("CMYK", "dct-1/2")])
def test_grey_jpegs_take_the_3_8_scale_and_cmyk_ones_pillows_draft(
    tmp_path: Path, mode: str, method: str
) -> None:
    path = _camera_jpeg(tmp_path / "colour.jpg", (6000, 4000))
    with Image.open(path) as colour:
        colour.convert(mode).save(tmp_path / "photo.jpg")
    result = open_image(tmp_path / "photo.jpg", orientation=1, max_size=2048, overshoot=9 / 8)
    assert result.method == method
    assert result.image.mode == "RGB" and 20 < np.asarray(result.image).mean() < 235
