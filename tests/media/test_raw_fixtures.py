"""Every RAW sample: developed at the size the manifest gives, orientation applied, neither
black nor white; the film-scanner NEF looks like its own embedded preview."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
import rawpy
from PIL import Image

from photonix.media.decode import open_image
from photonix.media.raw import develop_raw
from photonix.media.thumbnails import render_photo
from tests.media.conftest import MANIFEST, PHOTOS

RAWS = [entry for entry in MANIFEST if entry["file"].startswith("raw/")]


def displayed_size(entry: dict[str, Any]) -> tuple[int, int]:
    """The manifest's developed size (LibRaw's output), turned by its orientation."""
    sizes = entry["rawpy_sizes"]
    width, height = sizes["w"], sizes["h"]
    return (height, width) if (entry["orientation"] or 1) in (5, 6, 7, 8) else (width, height)


def test_the_raw_samples_are_all_here() -> None:
    names = {entry["file"] for entry in RAWS}
    assert names == {
        "raw/canon_eos_6d.dng",
        "raw/Blackmagic_PocketCC4K.dng",
        "raw/Nikon_COOLSCAN_IV_scan.nef",
        "raw/RAW_KODAK_C330_FORMAT_NONE_YRGB.raw",
    }
    for entry in RAWS:
        assert entry["rawpy"].startswith("ok "), entry["file"]  # all decodable
        assert (PHOTOS / entry["file"]).stat().st_size == entry["bytes"]


@pytest.mark.parametrize("entry", RAWS, ids=[e["file"] for e in RAWS])
def test_every_raw_develops_to_its_size_and_a_sane_brightness(entry: dict[str, Any]) -> None:
    path = PHOTOS / entry["file"]
    orientation = entry["orientation"] or 1
    expected = displayed_size(entry)

    full = open_image(path, orientation=orientation, max_size=None)
    assert full.format == "raw"
    assert full.method == "develop"
    assert full.size == expected
    assert full.image.size == expected
    mean = float(np.asarray(full.image).mean())
    assert 20 < mean < 235, f"{entry['file']}: mean {mean:.1f}"

    # The thumbnailer's path (preview or half-size develop allowed) gives the same picture.
    result = render_photo(path, orientation=orientation)
    assert (result.width, result.height) == expected
    assert result.source_format == "raw"
    preview = Image.open(io.BytesIO(result.files()["preview"]))
    assert abs(preview.width / preview.height - expected[0] / expected[1]) < 0.01
    small = np.asarray(full.image.resize((64, 64), Image.Resampling.BOX), dtype=np.float64)
    again = np.asarray(preview.convert("RGB").resize((64, 64), Image.Resampling.BOX), np.float64)
    assert np.abs(small - again).mean() < 8, entry["file"]


def test_turned_raws_are_turned_once() -> None:
    entry = next(e for e in RAWS if e["file"] == "raw/Blackmagic_PocketCC4K.dng")
    width, height = displayed_size(entry)
    turned = open_image(PHOTOS / entry["file"], orientation=6, max_size=2048)
    assert turned.size == (height, width)
    assert turned.image.width < turned.image.height


def test_the_film_scanner_nef_is_taken_as_the_rgb_it_already_is() -> None:
    path = PHOTOS / "raw/Nikon_COOLSCAN_IV_scan.nef"
    with rawpy.imread(str(path)) as raw:
        # What LibRaw reports, and why a plain develop is white: no colour filter pattern, no
        # camera matrix, a white level of 255 for 16-bit samples.
        assert raw.raw_pattern is None
        assert not np.any(raw.rgb_xyz_matrix)
        assert raw.white_level == 255
        assert int(raw.raw_image_visible.max()) > 255 * 100
        naive = raw.postprocess(use_camera_wb=True, output_bps=8, user_flip=0)
        assert naive.mean() > 200
        thumb = raw.extract_thumb()
        assert thumb.format == rawpy.ThumbFormat.BITMAP
        assert isinstance(thumb.data, np.ndarray)
        embedded = Image.fromarray(thumb.data)  # the scanner's own 320x218 rendering

    developed = develop_raw(path, min_size=None)
    assert developed.method == "develop"
    assert developed.image.size == (869, 593)
    ours = np.asarray(developed.image.resize(embedded.size, Image.Resampling.BOX), np.float64)
    theirs = np.asarray(embedded.convert("RGB"), dtype=np.float64)
    assert abs(ours.mean() - theirs.mean()) < 5
    assert np.abs(ours - theirs).mean() < 8


def test_camera_raws_keep_the_camera_develop() -> None:
    """The Kodak C330 (no camera matrix either, but a correct white level) is linear sensor
    data: it keeps the gamma curve, and so stays much brighter than a pass-through."""
    path = PHOTOS / "raw/RAW_KODAK_C330_FORMAT_NONE_YRGB.raw"
    developed = np.asarray(develop_raw(path, min_size=None).image, dtype=np.float64)
    with rawpy.imread(str(path)) as raw:
        linear = raw.postprocess(gamma=(1, 1), no_auto_bright=True, output_bps=8, user_flip=0)
    assert developed.mean() > linear.mean() + 40
