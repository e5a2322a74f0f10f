"""A RAW's size as displayed is the size it develops to, through the real pipeline.

The ground truth is the fixtures' manifest (``rawpy_sizes``: what LibRaw develops each file to).
The Kodak C330 file has no metadata at all (its size is unknown until it is developed); the
Blackmagic DNG is large enough to be developed at half size for the thumbnails, which must not
halve the size the photo is shown at.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from photonix.library.browse.export import export_rows
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import LibraryFolder, PhotoFile
from photonix.pipeline.models import PhotoPipeline
from tests.pipeline.test_pipeline import FIXTURES, import_files, photo_of, settled
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

MANIFEST: list[dict[str, Any]] = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))
KODAK = "raw/RAW_KODAK_C330_FORMAT_NONE_YRGB.raw"
RAWS = [KODAK, "raw/Blackmagic_PocketCC4K.dng", "raw/canon_eos_6d.dng"]


def developed_size(name: str) -> tuple[int, int]:
    """The manifest's developed size (LibRaw's output), turned by the file's orientation."""
    entry = next(e for e in MANIFEST if e["file"] == name)
    sizes = entry["rawpy_sizes"]
    width, height = sizes["w"], sizes["h"]
    return (height, width) if (entry["orientation"] or 1) in (5, 6, 7, 8) else (width, height)


def _sizes(owner: Client, file_id: int) -> dict[str, Any]:
    file = PhotoFile.objects.select_related("photo").get(pk=file_id)
    assert file.photo is not None
    photo = owner.get(f"/api/photos/{file.photo_id}").json()
    (version,) = photo["files"]
    (row,) = [r for r in export_rows(file.library) if r["path"] == file.path]
    return {
        "photo": (file.photo.width, file.photo.height),
        "file": (file.width, file.height),
        "api": (photo["width"], photo["height"]),
        "api file": (version["width"], version["height"]),
        "export": (row["width"], row["height"]),
    }


def test_a_raw_is_shown_at_the_size_it_develops_to(
    tmp_path: Path, owner: Client, media_worker: None
) -> None:
    library_id, files = import_files(tmp_path, RAWS, enabled=[])
    for name in RAWS:
        file_id = files[Path(name).name]
        photo = photo_of(file_id)
        assert settled(photo) == "processed"
        expected = developed_size(name)
        assert _sizes(owner, file_id) == dict.fromkeys(
            ("photo", "file", "api", "api file", "export"), expected
        ), name

    # Recording the Kodak again (its modification time changed, not its content) reads its
    # metadata again, which knows no size: the developed size stays, nothing is developed again.
    kodak = PhotoFile.objects.get(pk=files[Path(KODAK).name])
    assert kodak.raw_method == "develop"
    recorded_at = kodak.recorded_at
    assert recorded_at is not None
    stat = Path(kodak.path).stat()
    os.utime(kodak.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    folder_scan(LibraryFolder.objects.get(library_id=library_id))
    wait_for(
        lambda: PhotoFile.objects.filter(pk=kodak.pk, recorded_at__gt=recorded_at).exists(),
        60,
        "the Kodak RAW to be recorded again",
    )
    assert PhotoPipeline.objects.get(pk=kodak.photo_id).state == "processed"
    assert _sizes(owner, kodak.pk) == dict.fromkeys(
        ("photo", "file", "api", "api file", "export"), developed_size(KODAK)
    )
