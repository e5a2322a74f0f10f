"""Fixtures for the pure media tests: the sample photos and one shared exiftool process."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from photonix.media.exiftool import ExifTool

PHOTOS = Path(__file__).resolve().parent.parent / "fixtures" / "photos"
MANIFEST: list[dict[str, Any]] = json.loads((PHOTOS / "manifest.json").read_text("utf-8"))

needs_exiftool = pytest.mark.skipif(
    shutil.which("exiftool") is None, reason="exiftool is not installed"
)


@pytest.fixture(scope="session")
def exiftool() -> Iterator[ExifTool]:
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    with ExifTool(timeout=60) as et:
        yield et
