"""Managing public share links (signed in): create, list, edit, revoke, and who may."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from photonix.albums.models import ShareLink, ShareLinkPhoto
from photonix.core.models import User
from tests.albums.conftest import World, at

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def _album(client: Client, library: int, photo_ids: list[int]) -> int:
    response = _post(
        client, "/api/albums", {"library": library, "name": "A", "photo_ids": photo_ids}
    )
    assert response.status_code == 201
    return int(response.json()["id"])


def test_the_token_is_found_by_its_hash_and_stored_only_sealed(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    photo = world.photo("home", "a.jpg", at(1))
    client = login(alice)
    album_id = _album(client, world.libraries["home"].pk, [photo.pk])

    response = _post(
        client,
        "/api/shares",
        {"album": album_id, "label": "for grandma", "password": "s3cret", "allow_download": True},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    token = created["token"]
    assert len(token) == 43  # 32 random bytes, base64url
    assert created["url"] == f"/s/{token}"
    assert created["kind"] == "album" and created["album_name"] == "A"
    assert created["photo_count"] == 1 and created["has_password"] is True
    assert created["show_metadata"] is True and created["show_location"] is False

    share = ShareLink.objects.get()
    assert share.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = " ".join(str(v) for v in ShareLink.objects.values().get().values())
    assert token not in row and "s3cret" not in row
    assert share.password.startswith("argon2")

    listed = client.get("/api/shares").json()
    assert [s["id"] for s in listed] == [share.pk]
    # The address can be copied again by those who manage the link (docs/albums.md).
    assert "token" not in listed[0] and listed[0]["url"] == f"/s/{token}"
    assert "token" not in client.get(f"/api/shares/{share.pk}").json()
    assert [s["id"] for s in client.get("/api/shares", {"album": album_id}).json()] == [share.pk]
    # Two links never share a token.
    again = _post(client, "/api/shares", {"album": album_id}).json()
    assert again["token"] != token


def test_edit_and_revoke(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    photo = world.photo("home", "a.jpg", at(1))
    client = login(alice)
    created = _post(client, "/api/shares", {"photo_ids": [photo.pk], "password": "pw"}).json()
    url = f"/api/shares/{created['id']}"
    later = timezone.now() + dt.timedelta(days=7)

    changed = client.patch(
        url,
        {"label": "Trip", "expires_at": later.isoformat(), "password": None, "show_location": True},
        "application/json",
    ).json()
    assert changed["label"] == "Trip" and changed["has_password"] is False
    assert changed["show_location"] is True and changed["expired"] is False
    assert dt.datetime.fromisoformat(changed["expires_at"]) == later
    assert client.patch(url, {"expires_at": None}, "application/json").json()["expires_at"] is None
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert client.patch(url, {"expires_at": past}, "application/json").status_code == 400

    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    assert not ShareLink.objects.exists() and not ShareLinkPhoto.objects.exists()


def test_who_may_share_and_manage_links(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    bob = world.user("bob", home="editor")
    carol = world.user("carol", home="viewer")
    mallory = world.user("mallory", work="owner")
    photo = world.photo("home", "a.jpg", at(1))
    work_photo = world.photo("work", "w.jpg", at(1))
    as_alice, as_bob, as_carol, as_mallory = map(login, (alice, bob, carol, mallory))

    # Library viewers cannot publish photos by link.
    assert _post(as_carol, "/api/shares", {"photo_ids": [photo.pk]}).status_code == 403
    # Photos the user cannot see, or of two libraries, cannot be shared.
    assert _post(as_mallory, "/api/shares", {"photo_ids": [photo.pk]}).status_code == 400
    dave = world.user("dave", home="owner", work="owner")
    both = _post(login(dave), "/api/shares", {"photo_ids": [photo.pk, work_photo.pk]})
    assert both.status_code == 400
    # Ids the user cannot see are left out.
    mine = _post(as_alice, "/api/shares", {"photo_ids": [photo.pk, work_photo.pk]}).json()
    assert mine["photo_count"] == 1
    assert list(ShareLinkPhoto.objects.values_list("photo_id", flat=True)) == [photo.pk]
    as_alice.delete(f"/api/shares/{mine['id']}")
    assert _post(as_alice, "/api/shares", {}).status_code == 400

    # Only an album's owners publish it.
    album_id = _album(as_alice, world.libraries["home"].pk, [photo.pk])
    _post(as_alice, f"/api/albums/{album_id}/members", {"user_id": bob.pk, "role": "editor"})
    assert _post(as_bob, "/api/shares", {"album": album_id}).status_code == 403
    assert _post(as_mallory, "/api/shares", {"album": album_id}).status_code == 404

    bobs = _post(as_bob, "/api/shares", {"photo_ids": [photo.pk]}).json()
    alices = _post(as_alice, "/api/shares", {"album": album_id}).json()
    # Bob manages his own; alice, the library's owner, manages every link of it.
    assert [s["id"] for s in as_bob.get("/api/shares").json()] == [bobs["id"]]
    assert {s["id"] for s in as_alice.get("/api/shares").json()} == {bobs["id"], alices["id"]}
    assert (
        as_bob.patch(f"/api/shares/{alices['id']}", {"label": "x"}, "application/json").status_code
        == 404
    )
    assert as_bob.delete(f"/api/shares/{alices['id']}").status_code == 404
    for client in (as_carol, as_mallory):
        assert client.get("/api/shares").json() == []
        assert client.get(f"/api/shares/{bobs['id']}").status_code == 404
        assert client.delete(f"/api/shares/{bobs['id']}").status_code == 404
    assert as_alice.delete(f"/api/shares/{bobs['id']}").status_code == 204


def test_deleting_an_album_revokes_its_links(world: World, login: Login) -> None:
    alice = world.user("alice", home="owner")
    photo = world.photo("home", "a.jpg", at(1))
    client = login(alice)
    album_id = _album(client, world.libraries["home"].pk, [photo.pk])
    token = _post(client, "/api/shares", {"album": album_id}).json()["token"]
    assert Client().get(f"/api/share/{token}").status_code == 200
    assert client.delete(f"/api/albums/{album_id}").status_code == 204
    assert Client().get(f"/api/share/{token}").status_code == 404
