"""A photo whose image could not be made, in albums and share links.

It may be added to an album (the album keeps the person's choice, and a photo can fail after it
was added anyway), it is marked failed with its reason wherever it is listed, and it is never
an album's cover: choosing it is refused with a 400, and the automatic cover passes it by. A
public link leaves it out: the public has nothing to see of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from photonix.albums import services
from photonix.core.models import User
from photonix.library.models import Photo
from tests.albums.conftest import World, at

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
REASON = "damaged JPEG file: the data ends early (truncated?)"


def _no_image(photo: Photo, failure: str = "") -> Photo:
    """No thumbnails made: pending (no ``failure``), or failed for good with its reason."""
    Photo.objects.filter(pk=photo.pk).update(thumbnail_version=0, failure=failure)
    return photo


def _ok(response: Any) -> Any:
    assert response.status_code == 200, response.content
    return response.json()


def test_a_failed_photo_is_in_the_album_marked_and_never_its_cover(
    world: World, login: Login
) -> None:
    alice = world.user("alice", home="owner")
    good = world.photo("home", "good.jpg", at(1))
    broken = _no_image(world.photo("home", "broken.jpg", at(9)), REASON)
    pending = _no_image(world.photo("home", "pending.jpg", at(8)))
    client = login(alice)

    created = client.post(
        "/api/albums",
        {"library": world.libraries["home"].pk, "name": "Trip", "photo_ids": [good.pk]},
        "application/json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/albums/{created.json()['id']}"
    added = client.post(f"{url}/photos", {"ids": [broken.pk, pending.pk]}, "application/json")
    assert _ok(added) == {"added": 2, "ignored": 0}

    # Listed, marked failed with its reason; the others are not.
    listed = {p["id"]: p for p in _ok(client.get(f"{url}/photos"))["results"]}
    assert (listed[broken.pk]["failed"], listed[broken.pk]["failure"]) == (True, REASON)
    assert (listed[good.pk]["failed"], listed[good.pk]["failure"]) == (False, None)
    assert listed[pending.pk]["failed"] is False
    detail = _ok(client.get(f"/api/photos/{broken.pk}"))
    assert (detail["failed"], detail["failure"]) == (True, REASON)

    # The automatic cover is the newest photo with an image: not the failed one, newer still,
    # nor the one whose thumbnails are not made yet.
    album = _ok(client.get(url))
    assert album["photo_count"] == 3
    assert album["cover"]["id"] == good.pk
    assert {a["id"]: a["cover"]["id"] for a in _ok(client.get("/api/albums"))} == {
        album["id"]: good.pk
    }

    refused = client.patch(url, {"cover_id": broken.pk}, "application/json")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": f"This photo cannot be the cover: its image could not be made ({REASON})."
    }
    assert _ok(client.get(url))["cover_id"] is None

    # A cover chosen before its photo failed gives way to the automatic one.
    assert _ok(client.patch(url, {"cover_id": pending.pk}, "application/json"))["cover_id"] == (
        pending.pk
    )
    Photo.objects.filter(pk=pending.pk).update(failure="cannot develop RAW")
    album = _ok(client.get(url))
    assert album["cover_id"] == pending.pk and album["cover"]["id"] == good.pk


def test_a_public_link_leaves_failed_photos_out(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    good = world.photo("home", "good.jpg", at(1))
    broken = _no_image(world.photo("home", "broken.jpg", at(9)), REASON)
    album = services.album_create(
        alice, world.libraries["home"], "Trip", photo_ids=[good.pk, broken.pk]
    )
    _, token = services.share_create(alice, album=album)
    public = Client()
    info = _ok(public.get(f"/api/share/{token}"))
    assert info["photo_count"] == 1 and info["cover"]["id"] == good.pk
    assert [p["id"] for p in _ok(public.get(f"/api/share/{token}/photos"))["results"]] == [good.pk]
    assert public.get(f"/api/share/{token}/photos/{broken.pk}").status_code == 404
    shares = _ok(login(alice).get("/api/shares"))
    assert [s["photo_count"] for s in shares if s["album"] == album.pk] == [1]
