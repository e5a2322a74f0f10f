"""Zip downloads of a selection, an album, a share link: streamed, and only what may be seen."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from photonix.albums import services
from photonix.core.models import User
from photonix.library.browse.downloads import MISSING_NAME
from photonix.library.models import LibraryMember, Photo, PhotoFile
from photonix.pipeline.versions import RAW_DEVELOP_VERSION
from photonix.storage.archive import UniqueNames
from photonix.storage.derived import developed_path
from tests.albums.conftest import World, at, body

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _ask(client: Client, **payload: Any) -> Any:
    return client.post("/api/downloads", payload, "application/json")


def _zip(client: Client, **payload: Any) -> tuple[zipfile.ZipFile, Any]:
    ticket = _ask(client, **payload)
    assert ticket.status_code == 201, ticket.content
    response = client.get(ticket.json()["url"])
    assert response.status_code == 200
    assert response.streaming
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive, ticket.json()


def _contents(archive: zipfile.ZipFile) -> dict[str, bytes]:
    return {name: archive.read(name) for name in archive.namelist()}


def test_a_selection_downloads_as_one_zip_with_every_name_kept_apart(
    world: World, login: Login
) -> None:
    alice = world.user("alice", home="viewer")
    for sub in ("a", "b"):
        (world.root / "home" / sub).mkdir()
    first = world.photo("home", "a/IMG_1.jpg", at(1))
    second = world.photo("home", "b/IMG_1.jpg", at(2))
    third = world.photo("home", "b/img_1.JPG", at(3))
    undated = world.photo("home", "scan.png", None)
    client = login(alice)

    archive, ticket = _zip(client, photos=[first.pk, undated.pk, third.pk, second.pk, first.pk])

    assert ticket["photos"] == 4 and ticket["name"] == "Photonix.zip"
    # Newest first as on the timeline, undated last; one name each, whatever the case.
    assert archive.namelist() == ["img_1.JPG", "IMG_1 (2).jpg", "IMG_1 (3).jpg", "scan.png"]
    assert _contents(archive)["IMG_1 (3).jpg"] == b"original of a/IMG_1.jpg"
    # Stored, not deflated: photos do not shrink, and the size is known before the first byte.
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


def test_photos_out_of_reach_are_refused_by_count_and_tickets_belong_to_their_user(
    world: World, login: Login
) -> None:
    alice = world.user("alice", home="owner")
    bob = world.user("bob", work="owner")
    mine = world.photo("home", "mine.jpg", at(1))
    theirs = world.photo("work", "theirs.jpg", at(2))

    refused = _ask(login(alice), photos=[mine.pk, theirs.pk, 999_999])
    assert refused.status_code == 400
    assert refused.json()["photos"] == ["2 of these photos do not exist or are not yours to see."]

    url = _ask(login(alice), photos=[mine.pk]).json()["url"]
    assert login(bob).get(url).status_code == 404
    assert Client().get(url).status_code in (401, 403)
    assert login(alice).get("/api/downloads/not-a-ticket").status_code == 404

    # Rights are checked again when the archive is read: a member removed in between gets
    # nothing of that library.
    LibraryMember.objects.filter(user=alice).delete()
    archive = zipfile.ZipFile(io.BytesIO(body(login(alice).get(url))))
    assert archive.namelist() == []


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"photos": []},
        {"photos": [1], "album": 1},
        {"photos": ["x"]},
        {"photos": [1], "version": "thumbnail"},
        {"album": -1},
    ],
)
def test_malformed_requests_are_answered_400(
    world: World, login: Login, payload: dict[str, Any]
) -> None:
    alice = world.user("alice", home="owner")
    assert _ask(login(alice), **payload).status_code == 400


def test_an_album_downloads_in_its_order_under_its_name(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    bob = world.user("bob", home="viewer")
    photos = [world.photo("home", f"p{i}.jpg", at(1 + i)) for i in range(3)]
    album = services.album_create(
        alice, world.libraries["home"], "Summer: 2024/Paris", photo_ids=[p.pk for p in photos]
    )
    services.album_reorder(album, [photos[2].pk, photos[0].pk, photos[1].pk])
    archive, ticket = _zip(login(alice), album=album.pk)
    assert ticket["name"] == "Summer_ 2024_Paris.zip"
    assert archive.namelist() == ["p2.jpg", "p0.jpg", "p1.jpg"]
    # Not a member of the album: no such album.
    assert _ask(login(bob), album=album.pk).status_code == 404


def test_files_gone_from_disk_are_named_in_a_note_instead(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    kept = world.photo("home", "kept.jpg", at(1))
    gone = world.photo("home", "gone.jpg", at(2))
    Path(gone.preferred_file.path).unlink()  # type: ignore[union-attr]

    archive, _ = _zip(login(alice), photos=[kept.pk, gone.pk])

    assert archive.namelist() == ["kept.jpg", MISSING_NAME]
    note = archive.read(MISSING_NAME).decode()
    assert "gone.jpg: the file is no longer at" in note


def test_developed_downloads_give_raw_files_as_their_developed_jpeg(
    world: World, login: Login
) -> None:
    alice = world.user("alice", home="owner")
    jpeg = world.photo("home", "plain.jpg", at(1))
    raw = world.photo("home", "IMG_2.CR2", at(2))
    undeveloped = world.photo("home", "IMG_3.NEF", at(3))
    PhotoFile.objects.filter(photo__in=[raw, undeveloped]).update(kind=PhotoFile.Kind.RAW)
    developed = developed_path(raw.preferred_file_id or 0, RAW_DEVELOP_VERSION)
    developed.parent.mkdir(parents=True, exist_ok=True)
    developed.write_bytes(b"developed jpeg")
    ids = [jpeg.pk, raw.pk, undeveloped.pk]

    originals, _ = _zip(login(alice), photos=ids)
    assert sorted(originals.namelist()) == ["IMG_2.CR2", "IMG_3.NEF", "plain.jpg"]

    archive, _ = _zip(login(alice), photos=ids, version="developed")
    contents = _contents(archive)
    assert contents["IMG_2.jpg"] == b"developed jpeg"
    assert contents["plain.jpg"] == b"original of plain.jpg"
    assert "IMG_3.NEF: not developed yet" in contents[MISSING_NAME].decode()


def test_a_share_link_downloads_its_photos_only_when_it_allows_it(
    world: World, login: Login
) -> None:
    alice = world.user("alice", home="owner")
    shared = [world.photo("home", f"s{i}.jpg", at(1 + i)) for i in range(2)]
    hidden = world.photo("home", "hidden.jpg", at(5), hidden=True)
    world.photo("home", "outside.jpg", at(6))
    album = services.album_create(
        alice, world.libraries["home"], "Trip", photo_ids=[*(p.pk for p in shared), hidden.pk]
    )
    share, token = services.share_create(alice, album=album)
    anyone = Client()
    url = f"/api/share/{token}/download"

    assert anyone.get(url).status_code == 403
    # Showing the location: the files as they are (test_share_privacy.py has the copies).
    services.share_update(share, {"allow_download": True, "show_location": True})
    response = anyone.get(url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert sorted(archive.namelist()) == ["s0.jpg", "s1.jpg"]
    assert response["Content-Disposition"].startswith('attachment; filename="Trip.zip"')
    assert anyone.get("/api/share/no-such-token/download").status_code == 404

    services.share_update(share, {"password": "secret"})
    assert anyone.get(url).status_code == 403


def test_unique_names_keep_names_inside_the_archive() -> None:
    unique = UniqueNames()
    assert [unique(n) for n in ("../etc/passwd", "/abs/x.jpg", "x.jpg", "", ".profile")] == [
        "passwd",
        "x.jpg",
        "x (2).jpg",
        "file",
        ".profile",
    ]
    assert unique("a\x00b.jpg") == "ab.jpg"


def test_a_hidden_photo_selected_by_its_owner_is_downloaded(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    hidden = world.photo("home", "hidden.jpg", at(1), hidden=True)
    archive, _ = _zip(login(alice), photos=[hidden.pk])
    assert archive.namelist() == ["hidden.jpg"]
    assert Photo.objects.filter(pk=hidden.pk, hidden=True).exists()
