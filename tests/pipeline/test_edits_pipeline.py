"""A person's edits through the HTTP API with a real worker: written to the XMP sidecar by the
``write_edits`` task, and kept through "reprocess all" and the file being recorded again."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.test import Client

from photonix.library.importing.scanning import folder_scan
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.media.exiftool import ExifTool
from photonix.pipeline.models import PhotoPipeline
from tests.pipeline.test_pipeline import import_files, photo_of, settled
from tests.waiting import wait_for

pytestmark = pytest.mark.integration


def test_an_edit_reaches_the_sidecar_and_survives_reprocess_all(
    tmp_path: Path, owner: Client, media_worker: None
) -> None:
    library_id, files = import_files(tmp_path, ["gps/DSCN0010.jpg"], enabled=[])
    photo = photo_of(files["DSCN0010.jpg"])
    assert settled(photo) == "processed"
    response = owner.patch(
        f"/api/photos/{photo.pk}",
        {
            "taken_at": "2020-01-02T03:04:05+02:00",
            "location": {"latitude": 48.8584, "longitude": 2.2945},
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content

    file = PhotoFile.objects.get(pk=files["DSCN0010.jpg"])
    sidecar = Path(file.path + ".xmp")
    wait_for(
        lambda: PhotoFile.objects.filter(pk=file.pk, sidecar_mtime_ns__isnull=False).exists(),
        60,
        "the edit to be written to the sidecar",
    )
    with ExifTool() as exiftool:
        (tags,) = exiftool.read([sidecar])
    assert tags["XMP-exif:DateTimeOriginal"] == "2020:01:02 03:04:05+02:00"
    assert tags["XMP-exif:GPSLatitude"] == pytest.approx(48.8584)
    assert tags["XMP-exif:GPSLongitude"] == pytest.approx(2.2945)

    # "Reprocess all" through the API, then the file recorded again (its time changed).
    assert owner.post("/api/pipeline/reprocess", {}, content_type="application/json").json() == {
        "dispatched": 1
    }
    wait_for(
        lambda: PhotoPipeline.objects.filter(pk=photo.pk, state="processed").exists(),
        120,
        "the photo to be processed again",
    )
    recorded_at = PhotoFile.objects.get(pk=file.pk).recorded_at
    assert recorded_at is not None
    stat = Path(file.path).stat()
    os.utime(file.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    folder_scan(LibraryFolder.objects.get(library_id=library_id))
    wait_for(
        lambda: PhotoFile.objects.filter(pk=file.pk, recorded_at__gt=recorded_at).exists(),
        60,
        "the file to be recorded again",
    )
    kept = Photo.objects.get(pk=photo.pk)
    paris = dt.timezone(dt.timedelta(hours=2))
    assert kept.taken_at == dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=paris)
    assert (kept.latitude, kept.longitude, kept.taken_source) == (48.8584, 2.2945, "person")
    assert kept.sidecar_error == ""
