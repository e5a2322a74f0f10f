"""Albums through the HTTP API: create, rename, delete, photos, cover, order, members.

An album is seen only by its members who still belong to its library; to anyone else it answers
404, like an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from photonix.albums import services
from photonix.albums.models import Album, AlbumMember, AlbumPhoto
from photonix.core.models import User
from photonix.library.models import LibraryMember, Photo
from tests.albums.conftest import World, at

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["results"]]


def _create(client: Client, library: int, name: str, **extra: Any) -> dict[str, Any]:
    response = client.post(
        "/api/albums", {"library": library, "name": name, **extra}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_everything_requires_sign_in(world: World) -> None:
    anonymous = Client()
    for method, url in (
        ("get", "/api/albums"),
        ("post", "/api/albums"),
        ("get", "/api/albums/1"),
        ("get", "/api/albums/1/photos"),
        ("post", "/api/albums/1/reorder"),
        ("get", "/api/albums/1/members"),
        ("get", "/api/shares"),
        ("post", "/api/shares"),
        ("patch", "/api/shares/1"),
    ):
        assert getattr(anonymous, method)(url).status_code in (401, 403), url


def test_album_lifecycle(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    home = world.libraries["home"]
    old = world.photo("home", "old.jpg", at(1))
    new = world.photo("home", "new.jpg", at(9))
    middle = world.photo("home", "middle.jpg", at(5))
    client = login(alice)

    album = _create(client, home.pk, "  Holidays ", photo_ids=[new.pk, old.pk])
    assert album["name"] == "Holidays"
    assert album["my_role"] == "owner"
    assert album["photo_count"] == 2
    assert (album["date_from"], album["date_to"]) == ("2024-01-01", "2024-01-09")
    assert album["cover"]["id"] == new.pk  # automatic: the newest photo
    url = f"/api/albums/{album['id']}"

    added = client.post(f"{url}/photos", {"ids": [middle.pk, new.pk]}, "application/json")
    assert added.json() == {"added": 1, "ignored": 1}
    assert _ids(client.get(f"{url}/photos")) == [old.pk, middle.pk, new.pk]  # date taken

    changed = client.patch(
        url,
        {"name": "Winter", "description": "Snow", "sort": "-taken", "cover_id": old.pk},
        "application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["name"] == "Winter" and changed.json()["description"] == "Snow"
    assert changed.json()["cover"]["id"] == old.pk and changed.json()["cover_id"] == old.pk
    assert _ids(client.get(f"{url}/photos")) == [new.pk, middle.pk, old.pk]

    # The cover must be a photo of the album.
    outsider = world.photo("home", "outsider.jpg", at(2))
    refused = client.patch(url, {"cover_id": outsider.pk}, "application/json")
    assert refused.status_code == 400

    # Removing the cover photo goes back to the automatic cover.
    removed = client.post(f"{url}/photos/remove", {"ids": [old.pk]}, "application/json")
    assert removed.json() == {"removed": 1}
    detail = client.get(url).json()
    assert detail["cover_id"] is None and detail["cover"]["id"] == new.pk
    assert detail["photo_count"] == 2

    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    assert Photo.objects.filter(pk__in=[old.pk, new.pk, middle.pk]).count() == 3


def test_only_visible_photos_of_the_same_library_are_added(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    world.user("bob", work="owner")
    mine = world.photo("home", "mine.jpg", at(1))
    theirs = world.photo("work", "theirs.jpg", at(1))
    broken = world.photo("home", "broken.jpg", at(1))
    assert broken.preferred_file is not None
    broken.preferred_file.state = "failed"
    broken.preferred_file.save()
    client = login(alice)
    album = _create(client, world.libraries["home"].pk, "A")
    response = client.post(
        f"/api/albums/{album['id']}/photos",
        {"ids": [mine.pk, theirs.pk, broken.pk, 999_999]},
        "application/json",
    )
    assert response.json() == {"added": 1, "ignored": 3}
    assert list(AlbumPhoto.objects.values_list("photo_id", flat=True)) == [mine.pk]
    # And not in another user's library, not even by creating the album there.
    refused = client.post(
        "/api/albums", {"library": world.libraries["work"].pk, "name": "X"}, "application/json"
    )
    assert refused.status_code == 400


def test_list_search_and_filters(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner", work="viewer")
    photo = world.photo("home", "a.jpg", at(3))
    client = login(alice)
    _create(client, world.libraries["home"].pk, "Summer in Rome", photo_ids=[photo.pk])
    _create(client, world.libraries["home"].pk, "Winter")
    _create(client, world.libraries["work"].pk, "Office party")
    names = [a["name"] for a in client.get("/api/albums").json()]
    assert sorted(names) == ["Office party", "Summer in Rome", "Winter"]
    assert [a["name"] for a in client.get("/api/albums", {"q": "rOmE"}).json()] == [
        "Summer in Rome"
    ]
    home_only = client.get("/api/albums", {"library": world.libraries["home"].pk}).json()
    assert sorted(a["name"] for a in home_only) == ["Summer in Rome", "Winter"]
    assert [a["name"] for a in client.get("/api/albums", {"photo": photo.pk}).json()] == [
        "Summer in Rome"
    ]
    empty = next(a for a in client.get("/api/albums").json() if a["name"] == "Winter")
    assert empty["photo_count"] == 0 and empty["cover"] is None and empty["date_from"] is None
    assert client.get("/api/albums", {"library": "x"}).status_code == 400


def test_album_list_query_count_does_not_grow(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    client = login(alice)
    photos = [world.photo("home", f"{i}.jpg", at(1 + i)) for i in range(3)]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/albums").status_code == 200
        return len(queries)

    _create(client, world.libraries["home"].pk, "one", photo_ids=[photos[0].pk])
    few = count()
    for i in range(5):
        _create(client, world.libraries["home"].pk, f"more {i}", photo_ids=[p.pk for p in photos])
    assert count() == few


def test_reorder_with_the_full_list_and_with_moves(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    a, b, c, d = (world.photo("home", f"{n}.jpg", at(i + 1)) for i, n in enumerate("abcd"))
    client = login(alice)
    album = _create(client, world.libraries["home"].pk, "A", photo_ids=[a.pk, b.pk, c.pk, d.pk])
    url = f"/api/albums/{album['id']}"

    response = client.post(f"{url}/reorder", {"ids": [d.pk, b.pk, a.pk, c.pk]}, "application/json")
    assert response.status_code == 200 and response.json()["sort"] == "manual"
    assert _ids(client.get(f"{url}/photos")) == [d.pk, b.pk, a.pk, c.pk]

    def move(photo: Photo, before: Photo | None) -> list[int]:
        body = {"move": photo.pk, "before": None if before is None else before.pk}
        assert client.post(f"{url}/reorder", body, "application/json").status_code == 200
        return _ids(client.get(f"{url}/photos"))

    assert move(c, d) == [c.pk, d.pk, b.pk, a.pk]
    assert move(c, None) == [d.pk, b.pk, a.pk, c.pk]
    assert move(a, b) == [d.pk, a.pk, b.pk, c.pk]

    # A list that is not the album's photos is refused: 409 when the album changed under it.
    stale = client.post(f"{url}/reorder", {"ids": [a.pk, b.pk, c.pk]}, "application/json")
    assert stale.status_code == 409
    twice = client.post(
        f"{url}/reorder", {"ids": [a.pk, a.pk, b.pk, c.pk, d.pk]}, "application/json"
    )
    assert twice.status_code == 400
    gone = client.post(f"{url}/reorder", {"move": 999_999, "before": None}, "application/json")
    assert gone.status_code == 409
    both = client.post(f"{url}/reorder", {"ids": [a.pk], "move": a.pk}, "application/json")
    assert both.status_code == 400
    # New photos arrive at the end of the manual order.
    e = world.photo("home", "e.jpg", at(1))
    client.post(f"{url}/photos", {"ids": [e.pk]}, "application/json")
    assert _ids(client.get(f"{url}/photos")) == [d.pk, a.pk, b.pk, c.pk, e.pk]


def test_moves_renumber_only_when_neighbours_touch(world: World) -> None:
    alice = world.user("alice", home="owner")
    photos = [world.photo("home", f"{i}.jpg", at(1 + i)) for i in range(3)]
    album = services.album_create(
        alice, world.libraries["home"], "A", photo_ids=[p.pk for p in photos]
    )
    first, second, third = photos
    # Squeeze the gap between the first two photos shut, then move the third between them.
    AlbumPhoto.objects.filter(album=album, photo=first).update(position=10)
    AlbumPhoto.objects.filter(album=album, photo=second).update(position=11)
    services.album_move(album, third.pk, second.pk)
    order = list(
        AlbumPhoto.objects.filter(album=album)
        .order_by("position")
        .values_list("photo_id", "position")
    )
    assert order == [
        (first.pk, services.GAP),
        (third.pk, 2 * services.GAP),
        (second.pk, 3 * services.GAP),
    ]
    # With room, a move writes a position between its neighbours.
    services.album_move(album, first.pk, second.pk)
    positions = dict(AlbumPhoto.objects.filter(album=album).values_list("photo_id", "position"))
    assert positions[third.pk] < positions[first.pk] < positions[second.pk]


def test_albums_are_private_until_shared(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    bob = world.user("bob", home="editor")
    carol = world.user("carol", home="viewer")
    mallory = world.user("mallory", work="owner")
    photo = world.photo("home", "a.jpg", at(1))
    other = world.photo("home", "b.jpg", at(2))
    as_alice, as_bob, as_carol, as_mallory = map(login, (alice, bob, carol, mallory))
    album = _create(as_alice, world.libraries["home"].pk, "Family", photo_ids=[photo.pk])
    url = f"/api/albums/{album['id']}"

    # Not shared yet: every other user gets 404, whatever they try.
    for client in (as_bob, as_carol, as_mallory):
        assert client.get(url).status_code == 404
        assert client.get(f"{url}/photos").status_code == 404
        assert client.patch(url, {"name": "x"}, "application/json").status_code == 404
        assert client.delete(url).status_code == 404
        assert client.get("/api/albums").json() == []

    # Candidates are the library's other members; strangers cannot be added.
    candidates = as_alice.get(f"{url}/candidates").json()
    assert [c["username"] for c in candidates] == ["bob", "carol"]
    refused = as_alice.post(
        f"{url}/members", {"user_id": mallory.pk, "role": "viewer"}, "application/json"
    )
    assert refused.status_code == 400

    members = as_alice.post(
        f"{url}/members", {"user_id": bob.pk, "role": "editor"}, "application/json"
    ).json()
    assert [(m["username"], m["role"]) for m in members] == [("alice", "owner"), ("bob", "editor")]
    as_alice.post(f"{url}/members", {"user_id": carol.pk, "role": "viewer"}, "application/json")

    # Editors change the album, not its members or existence.
    assert as_bob.get(url).json()["my_role"] == "editor"
    assert as_bob.post(f"{url}/photos", {"ids": [other.pk]}, "application/json").status_code == 200
    assert as_bob.patch(url, {"name": "Fam"}, "application/json").status_code == 200
    assert as_bob.delete(url).status_code == 403
    assert (
        as_bob.post(
            f"{url}/members", {"user_id": carol.pk, "role": "editor"}, "application/json"
        ).status_code
        == 403
    )
    # Viewers only look.
    assert _ids(as_carol.get(f"{url}/photos")) == [photo.pk, other.pk]
    assert as_carol.patch(url, {"name": "x"}, "application/json").status_code == 403
    assert (
        as_carol.post(f"{url}/photos/remove", {"ids": [photo.pk]}, "application/json").status_code
        == 403
    )
    assert (
        as_carol.post(f"{url}/reorder", {"ids": [photo.pk]}, "application/json").status_code == 403
    )

    # The last owner cannot leave or be demoted; a viewer can leave.
    assert as_alice.delete(f"{url}/members/{alice.pk}").status_code == 400
    assert (
        as_alice.patch(
            f"{url}/members/{alice.pk}", {"role": "viewer"}, "application/json"
        ).status_code
        == 400
    )
    assert as_carol.delete(f"{url}/members/{carol.pk}").status_code == 204
    assert as_carol.get(url).status_code == 404
    assert as_bob.delete(f"{url}/members/{alice.pk}").status_code == 403

    # Leaving the library means losing its albums too.
    LibraryMember.objects.filter(user=bob).delete()
    assert as_bob.get(url).status_code == 404
    assert AlbumMember.objects.filter(user=bob).exists()
    assert Album.objects.filter(pk=album["id"]).exists()
