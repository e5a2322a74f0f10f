"""A photo whose file cannot be decoded, through the real pipeline: it stays on the timeline
marked failed with the decoder's reason, it may sit in an album but is never its cover, and once
its file is replaced by a good one it is an ordinary photo again, with no failure left over."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from photonix.library.browse.export import export_rows
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import Library, LibraryFolder, Photo, PhotoFile
from tests.pipeline.test_pipeline import FIXTURES, import_files, photo_of, settled
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

GOOD, BROKEN = "jpeg-exif/Canon_40D.jpg", "broken/truncated_jpeg.jpg"


def _timeline(owner: Client) -> dict[int, dict[str, Any]]:
    response = owner.get("/api/timeline")
    assert response.status_code == 200, response.content
    return {item["id"]: item for item in response.json()["results"]}


def test_a_photo_that_cannot_be_decoded_is_marked_and_never_a_cover(
    tmp_path: Path, owner: Client, media_worker: None
) -> None:
    library_id, files = import_files(tmp_path, [GOOD, BROKEN], enabled=[])
    good, broken = (photo_of(files[Path(name).name]) for name in (GOOD, BROKEN))
    assert settled(good) == "processed"
    assert settled(broken) == "failed"

    # On the timeline, with its reason (it is the newest: its date is the file's copy time).
    items = _timeline(owner)
    assert next(iter(items)) == broken.pk
    assert items[broken.pk]["failed"] is True
    assert "truncated" in items[broken.pk]["failure"]
    assert items[broken.pk]["thumbnail_version"] == 0
    assert (items[good.pk]["failed"], items[good.pk]["failure"]) == (False, None)

    # In an album, but not its cover.
    created = owner.post(
        "/api/albums",
        {"library": library_id, "name": "Trip", "photo_ids": [good.pk, broken.pk]},
        "application/json",
    )
    assert created.status_code == 201, created.content
    album = created.json()
    assert album["photo_count"] == 2
    assert album["cover"]["id"] == good.pk
    url = f"/api/albums/{album['id']}"
    refused = owner.patch(url, {"cover_id": broken.pk}, "application/json")
    assert refused.status_code == 400
    assert "cannot be the cover" in refused.json()["detail"]
    assert "truncated" in refused.json()["detail"]

    # The file is replaced by a good copy: the photo is made again and is a photo like any other.
    file = PhotoFile.objects.get(pk=files[Path(BROKEN).name])
    shutil.copy(FIXTURES / "gps/DSCN0010.jpg", file.path)
    os.utime(file.path, ns=(file.mtime_ns + 10**9, file.mtime_ns + 10**9))
    folder_scan(LibraryFolder.objects.get(library_id=library_id))
    wait_for(
        lambda: Photo.objects.filter(pk=broken.pk, failure="", thumbnail_version__gt=0).exists(),
        60,
        "the replaced photo's thumbnails",
    )
    assert settled(broken) == "processed"
    assert _timeline(owner)[broken.pk]["failed"] is False
    chosen = owner.patch(url, {"cover_id": broken.pk}, "application/json")
    assert chosen.status_code == 200, chosen.content
    assert chosen.json()["cover"]["id"] == broken.pk
    row = next(r for r in export_rows(Library.objects.get(pk=library_id)) if r["path"] == file.path)
    assert (row["state"], row["failures"]) == ("processed", [])
