"""The RAW stage on a real library (database, scan, metadata): how each RAW was made viewable
is recorded on its file and shown by the API; an undevelopable RAW fails with its reason."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from photonix.core.models import User
from photonix.library.importing.recording import file_record
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.exiftool import ExifTool
from photonix.pipeline import stages
from photonix.pipeline.base import PermanentError
from photonix.storage.derived import thumbnail_path
from tests.media.conftest import PHOTOS, needs_exiftool

pytestmark = [pytest.mark.django_db, needs_exiftool]


@pytest.fixture
def import_files(tmp_path: Path, settings: Any, exiftool: ExifTool) -> Iterator[list[Photo]]:
    settings.DATA_DIR = tmp_path / "data"
    root = tmp_path / "photos"
    root.mkdir()
    names = [
        "raw/canon_eos_6d.dng",
        "raw/Blackmagic_PocketCC4K.dng",
        "raw/Nikon_COOLSCAN_IV_scan.nef",
        "broken/stub_canon_350d.cr2",
        "jpeg-exif/Canon_40D.jpg",
    ]
    for name in names:
        shutil.copy(PHOTOS / name, root / Path(name).name)
    owner = User.objects.create_user("owner", password="x" * 16)
    _, (folder,) = library_add("Mine", [str(root)], owner=owner, scan=False)
    folder_scan(folder)
    for file in PhotoFile.objects.all():
        file_record(file.pk, exiftool)
    yield list(Photo.objects.select_related("preferred_file").order_by("pk"))


def _photo(photos: list[Photo], name: str) -> Photo:
    return next(p for p in photos if p.preferred_file and p.preferred_file.path.endswith(name))


def test_the_raw_method_is_recorded_and_served(import_files: list[Photo], client: Client) -> None:
    photos = import_files
    expected = {
        "canon_eos_6d.dng": "develop",  # its largest preview (1024 px) is too small
        "Blackmagic_PocketCC4K.dng": "develop-half",  # 4128 px sensor: half is 2064 px
        "Nikon_COOLSCAN_IV_scan.nef": "develop",
    }
    for name, method in expected.items():
        photo = _photo(photos, name)
        file = photo.preferred_file
        assert file is not None and file.kind == PhotoFile.Kind.RAW
        assert file.raw_method == ""
        assert stages.develop_raw(photo) == method
        file.refresh_from_db()
        assert file.raw_method == method, name
        stages.make_thumbnails(photo)
        assert thumbnail_path(photo.pk, "grid", stages.THUMBNAILER_VERSION).exists()

    # Developing again (a retry, "reprocess") records the same, once.
    blackmagic = _photo(photos, "Blackmagic_PocketCC4K.dng")
    assert stages.develop_raw(blackmagic) == "develop-half"
    assert PhotoFile.objects.filter(raw_method="develop-half").count() == 1

    client.force_login(User.objects.get(username="owner"))
    body = client.get(f"/api/photos/{blackmagic.pk}").json()
    assert [f["raw_method"] for f in body["files"]] == ["develop-half"]
    jpeg = _photo(photos, "Canon_40D.jpg")
    body = client.get(f"/api/photos/{jpeg.pk}").json()
    assert [f["raw_method"] for f in body["files"]] == [""]  # not a RAW


def test_a_raw_libraw_cannot_read_fails_with_its_reason(import_files: list[Photo]) -> None:
    stub = PhotoFile.objects.get(path__endswith="stub_canon_350d.cr2")
    # Its metadata is readable (exiftool), so it is a photo; only its pixels are not.
    assert stub.state == PhotoFile.State.OK and stub.photo_id is not None
    photo = Photo.objects.select_related("preferred_file").get(pk=stub.photo_id)
    with pytest.raises(PermanentError) as caught:
        stages.develop_raw(photo)
    assert str(caught.value).startswith("cannot develop RAW: LibRaw does not support this file")
    stub.refresh_from_db()
    assert stub.raw_method == ""
