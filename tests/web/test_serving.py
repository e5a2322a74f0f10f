"""Thumbnails, previews and originals: only for people who may see the photo, cacheable."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings
from PIL import Image

from photonix.core.models import User
from photonix.library.importing.recording import file_record
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.exiftool import ExifTool
from photonix.pipeline import stages

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parents[1] / "fixtures" / "photos" / "orientation" / "Landscape_6.jpg"


@pytest.fixture
def exiftool() -> Iterator[ExifTool]:
    with ExifTool() as tool:
        yield tool


@pytest.fixture
def photo(tmp_path: Path, exiftool: ExifTool) -> Photo:
    root = tmp_path / "photos"
    root.mkdir()
    shutil.copy(FIXTURE, root / "portrait.jpg")
    owner = User.objects.create_user("owner", password="x" * 16)
    _, (folder,) = library_add("Mine", [str(root)], owner=owner, scan=False)
    folder_scan(folder)
    (file,) = PhotoFile.objects.all()
    file_record(file.pk, exiftool)
    result = Photo.objects.select_related("preferred_file").get()
    stages.make_thumbnails(result)
    result.refresh_from_db()
    return result


def _login(client: Client, username: str) -> Client:
    client.force_login(User.objects.get(username=username))
    return client


def test_thumbnails_are_upright_versioned_and_cacheable(client: Client, photo: Photo) -> None:
    _login(client, "owner")
    url = f"/api/photos/{photo.pk}/thumbnail/preview"
    response = client.get(url, {"v": photo.thumbnail_version})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    image = Image.open(io.BytesIO(body))
    # Stored 1200x1800 with orientation 6: displayed upright, 1800x1200 (the manifest's size).
    assert image.size == (1800, 1200)

    unversioned = client.get(url)
    assert unversioned["Cache-Control"] == "private, no-cache"
    etag = unversioned["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get(f"/api/photos/{photo.pk}/thumbnail/grid").status_code == 200
    assert client.get(f"/api/photos/{photo.pk}/thumbnail/huge").status_code == 404


def test_original_streams_the_file_as_it_is(client: Client, photo: Photo) -> None:
    _login(client, "owner")
    file = photo.preferred_file
    assert file is not None
    response = client.get(f"/api/files/{file.pk}/original")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FIXTURE.read_bytes()  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    assert response["ETag"].startswith('"o')


@override_settings(PHOTONIX_SENDFILE="x-accel-redirect", PHOTONIX_ACCEL_PREFIX="/protected")
def test_original_can_be_handed_to_the_proxy(client: Client, photo: Photo) -> None:
    _login(client, "owner")
    file = photo.preferred_file
    assert file is not None
    response = client.get(f"/api/files/{file.pk}/original")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected" + file.path
    assert response.content == b""


def test_nobody_else_gets_the_files(client: Client, photo: Photo) -> None:
    file = photo.preferred_file
    assert file is not None
    urls = [
        f"/api/photos/{photo.pk}/thumbnail/grid",
        f"/api/photos/{photo.pk}/thumbnail/preview",
        f"/api/files/{file.pk}/original",
    ]
    for url in urls:
        assert client.get(url).status_code in (401, 403), url
    User.objects.create_user("stranger", password="x" * 16)
    _login(client, "stranger")
    for url in urls:
        assert client.get(url).status_code == 404, url
