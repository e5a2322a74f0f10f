"""What a public link's downloads carry, its address shown again, and its visits counted.

Downloads are checked with a real exiftool on real photos: the location is gone unless the link
shows it; serial numbers, owner names and maker notes too with ``strip_metadata``; the original
on disk is never touched.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from photonix.albums import services, sharing
from photonix.albums.models import ShareLink
from photonix.core.models import User
from photonix.library.browse.downloads import MISSING_NAME
from photonix.library.models import Photo
from tests.albums.conftest import World, at, body

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

GPS_PHOTO = Path(__file__).parents[1] / "fixtures" / "photos" / "gps" / "DSCN0010.jpg"
TAGS = ["-GPSLatitude", "-GPSLongitude", "-SerialNumber", "-OwnerName", "-Make", "-City"]


def _tags(data: bytes, tmp_path: Path) -> dict[str, Any]:
    """What exiftool reads in ``data`` (written to a file first)."""
    path = tmp_path / "downloaded.jpg"
    path.write_bytes(data)
    out = subprocess.run(
        ["exiftool", "-json", "-n", "-MakerNotes:all", *TAGS, str(path)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    found: dict[str, Any] = json.loads(out)[0]
    found.pop("SourceFile")
    return found


@pytest.fixture
def camera_photo(tmp_path: Path) -> bytes:
    """A real JPEG with GPS, maker notes, a serial number, an owner and a city."""
    path = tmp_path / "source.jpg"
    shutil.copyfile(GPS_PHOTO, path)
    subprocess.run(
        [
            "exiftool",
            "-q",
            "-overwrite_original",
            "-SerialNumber=SN-4711",
            "-OwnerName=Ann Example",
            "-XMP-photoshop:City=Siena",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def _shared(world: World, photos: list[Photo], **options: Any) -> tuple[ShareLink, str]:
    owner = User.objects.get(username="alice")
    album = services.album_create(
        owner, world.libraries["home"], "Trip", photo_ids=[p.pk for p in photos]
    )
    return services.share_create(owner, album=album, allow_download=True, **options)


def test_a_link_that_hides_the_location_downloads_a_copy_without_it(
    world: World, camera_photo: bytes, tmp_path: Path
) -> None:
    world.user("alice", home="owner")
    photo = world.photo("home", "siena.jpg", at(1), content=camera_photo)
    _, token = _shared(world, [photo])

    response = Client().get(f"/api/share/{token}/photos/{photo.pk}/original")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="siena.jpg"')
    tags = _tags(body(response), tmp_path)
    assert "GPSLatitude" not in tags and "GPSLongitude" not in tags and "City" not in tags
    # Only the location: the camera's serial number and owner stay without strip_metadata.
    assert tags["SerialNumber"] == "SN-4711" and tags["OwnerName"] == "Ann Example"
    assert tags["Make"] == "NIKON"
    # The original is untouched.
    original = Path(photo.preferred_file.path)  # type: ignore[union-attr]
    assert original.read_bytes() == camera_photo
    assert list(tmp_path.glob("photonix-share-*")) == []


def test_strip_metadata_leaves_out_serial_numbers_owners_and_maker_notes(
    world: World, camera_photo: bytes, tmp_path: Path
) -> None:
    world.user("alice", home="owner")
    photo = world.photo("home", "siena.jpg", at(1), content=camera_photo)
    assert any(k != "Make" for k in _tags(camera_photo, tmp_path) if k.startswith("Maker"))
    _, token = _shared(world, [photo], strip_metadata=True, show_location=True)

    data = body(Client().get(f"/api/share/{token}/photos/{photo.pk}/original"))
    tags = _tags(data, tmp_path)
    assert not {"GPSLatitude", "SerialNumber", "OwnerName", "City"} & set(tags)
    assert not [k for k in tags if k.startswith("Maker")]
    assert tags["Make"] == "NIKON"  # the camera's make and model are not identifying


def test_a_link_that_shows_the_location_downloads_the_file_as_it_is(
    world: World, camera_photo: bytes
) -> None:
    world.user("alice", home="owner")
    photo = world.photo("home", "siena.jpg", at(1), content=camera_photo)
    _, token = _shared(world, [photo], show_location=True)
    response = Client().get(f"/api/share/{token}/photos/{photo.pk}/original")
    assert response.status_code == 200 and body(response) == camera_photo


def test_a_file_whose_metadata_cannot_be_removed_is_not_downloaded(world: World) -> None:
    world.user("alice", home="owner")
    broken = world.photo("home", "broken.jpg", at(1))  # not a JPEG inside
    _, token = _shared(world, [broken])
    response = Client().get(f"/api/share/{token}/photos/{broken.pk}/original")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("This photo cannot be downloaded from this link")


def test_the_zip_of_a_link_holds_copies_and_names_what_it_left_out(
    world: World, camera_photo: bytes, tmp_path: Path
) -> None:
    world.user("alice", home="owner")
    photos = [
        world.photo("home", "siena.jpg", at(2), content=camera_photo),
        world.photo("home", "scan.bmp", at(1)),  # a format exiftool cannot write
    ]
    _, token = _shared(world, photos, strip_metadata=True)

    response = Client().get(f"/api/share/{token}/download")
    assert response.status_code == 200 and response.streaming
    assert not response.has_header("Content-Length")  # each copy is made as it is reached
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.testzip() is None
    assert archive.namelist() == ["siena.jpg", MISSING_NAME]
    tags = _tags(archive.read("siena.jpg"), tmp_path)
    assert not {"GPSLatitude", "SerialNumber", "OwnerName"} & set(tags)
    assert (
        "scan.bmp: its metadata cannot be removed (.bmp files)"
        in archive.read(MISSING_NAME).decode()
    )


def test_the_people_who_manage_a_link_can_copy_its_address_again(
    world: World, login: Login
) -> None:
    alice = world.user("alice", home="owner")
    photo = world.photo("home", "a.jpg", at(1))
    client = login(alice)
    created = client.post(
        "/api/shares", {"photo_ids": [photo.pk]}, content_type="application/json"
    ).json()
    assert created["url"] == f"/s/{created['token']}"
    listed = client.get("/api/shares").json()
    assert [link["url"] for link in listed] == [created["url"]]
    assert client.get(f"/api/shares/{created['id']}").json()["url"] == created["url"]
    # Only the hash and the sealed token are stored; the token opens nothing by itself.
    share = ShareLink.objects.get(pk=created["id"])
    assert created["token"] not in share.token_sealed and share.token_hash != created["token"]

    # Sealed with another secret key (the key was changed): the link opens, its address is gone.
    assert sharing.unseal(share) == created["token"]
    with override_settings(SECRET_KEY="another secret key, long enough for Django's checks"):
        assert sharing.unseal(share) is None
    # A link made before addresses were kept.
    ShareLink.objects.filter(pk=share.pk).update(token_sealed="")
    assert client.get(f"/api/shares/{created['id']}").json()["url"] is None
    assert Client().get(f"/api/share/{created['token']}").status_code == 200


def test_visits_are_counted_once_the_link_is_open(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    photo = world.photo("home", "a.jpg", at(1))
    share, token = services.share_create(alice, photo_ids=[photo.pk], password="open sesame")
    visitor = Client()
    assert visitor.get(f"/api/share/{token}").json()["locked"] is True
    share.refresh_from_db()
    assert share.view_count == 0 and share.last_viewed_at is None  # a locked page is no visit

    unlocked = visitor.post(
        f"/api/share/{token}/unlock", {"password": "open sesame"}, content_type="application/json"
    )
    assert unlocked.status_code == 204
    for _ in range(2):
        assert visitor.get(f"/api/share/{token}").json()["locked"] is False
    listed = login(alice).get("/api/shares").json()[0]
    assert listed["view_count"] == 2 and listed["last_viewed_at"] is not None
    assert sharing.unseal(ShareLink.objects.get(pk=share.pk)) == token
