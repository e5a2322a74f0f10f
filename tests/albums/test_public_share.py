"""Public share links (no account): they show their photos and nothing else.

Whatever is outside a share — other photos of the same library, photos of other albums and other
shares, other libraries, album ids, the normal file URLs — answers 404 (or 401/403 for the
signed-in API). Expired and revoked links answer 404 exactly like links that never existed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from photonix.albums import services, sharing
from photonix.albums.models import Album, ShareLink
from photonix.core.models import User
from photonix.library.models import Camera, LibraryMember, Photo
from tests.albums.conftest import World, at, body

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@dataclass
class Scene:
    alice: User
    album: Album
    shared: list[Photo]  # in the album
    other_album: Photo  # in another album of the same library
    other_share: Photo  # shared by another link
    unshared: Photo  # same library, in nothing
    foreign: Photo  # another library
    token: str
    share: ShareLink
    other_token: str


@pytest.fixture
def scene(world: World) -> Scene:
    alice = world.user("alice", home="owner", work="owner")
    home = world.libraries["home"]
    camera = Camera.objects.create(make="Canon", model="EOS R5")
    shared = [
        world.photo(
            "home",
            f"s{i}.jpg",
            at(1 + i),
            camera=camera,
            iso=100,
            latitude=48.85,
            longitude=2.35,
            altitude=35.0,
            width=300,
            height=200,
        )
        for i in range(3)
    ]
    other_album = world.photo("home", "other-album.jpg", at(10))
    other_share = world.photo("home", "other-share.jpg", at(11))
    unshared = world.photo("home", "unshared.jpg", at(12))
    foreign = world.photo("work", "foreign.jpg", at(13))
    album = services.album_create(alice, home, "Paris", photo_ids=[p.pk for p in shared])
    services.album_create(alice, home, "Private", photo_ids=[other_album.pk])
    share, token = services.share_create(alice, album=album)
    _, other_token = services.share_create(alice, photo_ids=[other_share.pk])
    return Scene(
        alice, album, shared, other_album, other_share, unshared, foreign, token, share, other_token
    )


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Password attempts all fall in one window unless the test moves the clock."""
    now = [float(int(time.time()) // sharing.ATTEMPT_WINDOW * sharing.ATTEMPT_WINDOW)]
    monkeypatch.setattr(sharing, "clock", lambda: now[0])
    yield now


def _urls(token: str, photo_id: int) -> list[str]:
    base = f"/api/share/{token}/photos/{photo_id}"
    return [base, f"{base}/thumbnail/grid", f"{base}/thumbnail/preview", f"{base}/original"]


def _all_urls(token: str, photo_id: int) -> list[str]:
    return [f"/api/share/{token}", f"/api/share/{token}/photos", *_urls(token, photo_id)]


def _unlock(client: Client, token: str, password: str, **extra: Any) -> Any:
    return client.post(
        f"/api/share/{token}/unlock", {"password": password}, "application/json", **extra
    )


def test_a_share_shows_its_photos(scene: Scene) -> None:
    client = Client()
    info = client.get(f"/api/share/{scene.token}")
    assert info.status_code == 200
    assert info.json()["title"] == "Paris" and info.json()["kind"] == "album"
    assert info.json()["photo_count"] == 3 and info.json()["locked"] is False
    assert info["Cache-Control"] == "no-store" and "noindex" in info["X-Robots-Tag"]

    photos = client.get(f"/api/share/{scene.token}/photos").json()
    assert [p["id"] for p in photos["results"]] == [p.pk for p in scene.shared]
    assert client.get(f"/api/share/{scene.token}/photos?page_size=2").json()["count"] == 3

    photo = scene.shared[0]
    grid = client.get(f"/api/share/{scene.token}/photos/{photo.pk}/thumbnail/grid")
    assert grid.status_code == 200 and body(grid) == b"grid of s0.jpg"
    assert grid["Cache-Control"] == "private, no-cache"
    again = client.get(
        f"/api/share/{scene.token}/photos/{photo.pk}/thumbnail/grid",
        headers={"If-None-Match": grid["ETag"]},
    )
    assert again.status_code == 304
    preview = client.get(f"/api/share/{scene.token}/photos/{photo.pk}/thumbnail/preview")
    assert body(preview) == b"preview of s0.jpg"
    assert (
        client.get(f"/api/share/{scene.token}/photos/{photo.pk}/thumbnail/huge").status_code == 404
    )


def test_nothing_outside_the_share_can_be_reached(scene: Scene, world: World) -> None:
    client = Client()
    outside = [scene.other_album, scene.other_share, scene.unshared, scene.foreign]
    for photo in outside:
        for url in _urls(scene.token, photo.pk):
            assert client.get(url).status_code == 404, url
    # Ids that do not exist answer the same.
    biggest = max(p.pk for p in Photo.objects.all())
    for photo_id in (0, biggest + 1, 999_999_999):
        for url in _urls(scene.token, photo_id):
            assert client.get(url).status_code == 404, url
    # The album's id, file ids, the other album: not photos of the share either.
    assert scene.shared[0].preferred_file_id is not None
    for other_id in (scene.album.pk, scene.shared[0].preferred_file_id):
        if other_id not in {p.pk for p in scene.shared}:
            assert client.get(f"/api/share/{scene.token}/photos/{other_id}").status_code == 404
    # Another share's token does not open this share's photos, nor the reverse.
    for photo in scene.shared:
        for url in _urls(scene.other_token, photo.pk):
            assert client.get(url).status_code == 404, url
    for url in _urls(scene.token, scene.other_share.pk):
        assert client.get(url).status_code == 404, url
    # The signed-in API stays closed to visitors of a share.
    file_id = scene.shared[0].preferred_file_id
    for url in (
        f"/api/albums/{scene.album.pk}",
        f"/api/albums/{scene.album.pk}/photos",
        f"/api/photos/{scene.shared[0].pk}",
        f"/api/photos/{scene.shared[0].pk}/thumbnail/grid",
        f"/api/files/{file_id}/original",
        f"/api/files/{file_id}/metadata",
        f"/api/shares/{scene.share.pk}",
    ):
        assert client.get(url).status_code in (401, 403), url
    # Nothing in the answers names a path, a library or a person.
    text = client.get(f"/api/share/{scene.token}/photos/{scene.shared[0].pk}").content.decode()
    text += client.get(f"/api/share/{scene.token}/photos").content.decode()
    text += client.get(f"/api/share/{scene.token}").content.decode()
    assert str(world.root) not in text and "library" not in text and "alice" not in text


def test_malformed_and_unknown_tokens_answer_404(scene: Scene) -> None:
    client = Client()
    photo = scene.shared[0].pk
    forged = sharing.new_token()
    for token in (forged, scene.token[:-1], scene.token + "A", "x", scene.share.token_hash):
        for url in _all_urls(token, photo):
            assert client.get(url).status_code == 404, url
        assert _unlock(client, token, "x").status_code == 404


def test_the_album_share_follows_the_album(scene: Scene) -> None:
    client = Client()
    services.album_add_photos(scene.album, scene.alice, [scene.unshared.pk])
    photos = client.get(f"/api/share/{scene.token}/photos").json()["results"]
    assert scene.unshared.pk in [p["id"] for p in photos]
    services.album_remove_photos(scene.album, [scene.shared[0].pk])
    for url in _urls(scene.token, scene.shared[0].pk):
        assert client.get(url).status_code == 404, url


def test_metadata_and_location_are_stripped_unless_allowed(scene: Scene) -> None:
    client = Client()
    url = f"/api/share/{scene.token}/photos/{scene.shared[0].pk}"
    default = client.get(url).json()
    assert default["camera"] == "Canon EOS R5" and default["iso"] == 100
    assert default["taken_at"].startswith("2024-01-01")
    assert default["latitude"] is None and default["longitude"] is None
    assert default["altitude"] is None

    services.share_update(scene.share, {"show_location": True})
    located = client.get(url).json()
    assert (located["latitude"], located["longitude"], located["altitude"]) == (48.85, 2.35, 35.0)

    services.share_update(scene.share, {"show_metadata": False, "show_location": False})
    bare = client.get(url).json()
    stripped = {k for k, v in bare.items() if v is None}
    assert {"taken_at", "camera", "iso", "latitude", "longitude"} <= stripped
    assert bare["width"] == 300 and bare["thumbnail_version"] == 1
    listed = client.get(f"/api/share/{scene.token}/photos").json()["results"]
    assert all(p["taken_at"] is None for p in listed)


def test_download_forbidden_really_forbids_the_original(scene: Scene) -> None:
    client = Client()
    photo = scene.shared[0]
    url = f"/api/share/{scene.token}/photos/{photo.pk}/original"
    assert client.get(f"/api/share/{scene.token}/photos/{photo.pk}").json()["download"] is False
    assert client.get(url).status_code == 403
    assert client.get(f"/api/files/{photo.preferred_file_id}/original").status_code in (401, 403)

    # A link that shows the location gives the file as it is (these test files are no images).
    services.share_update(scene.share, {"allow_download": True, "show_location": True})
    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == b"original of s0.jpg"
    assert "attachment" in response["Content-Disposition"]
    # Allowed on this share does not open the normal URL, nor other photos.
    assert client.get(f"/api/files/{photo.preferred_file_id}/original").status_code in (401, 403)
    assert (
        client.get(f"/api/share/{scene.token}/photos/{scene.unshared.pk}/original").status_code
        == 404
    )


def test_expired_and_revoked_links_answer_404(scene: Scene, world: World, login: Login) -> None:
    client = Client()
    photo = scene.shared[0].pk
    ShareLink.objects.filter(pk=scene.share.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    for url in _all_urls(scene.token, photo):
        assert client.get(url).status_code == 404, url
    assert _unlock(client, scene.token, "x").status_code == 404
    # Still listed for its owner, marked expired; a new expiry brings it back.
    listed = login(scene.alice).get(f"/api/shares/{scene.share.pk}").json()
    assert listed["expired"] is True
    services.share_update(scene.share, {"expires_at": timezone.now() + dt.timedelta(hours=1)})
    assert client.get(f"/api/share/{scene.token}").status_code == 200

    # A creator who may no longer publish the library's photos takes their links along.
    LibraryMember.objects.filter(user=scene.alice, library=world.libraries["home"]).update(
        role="viewer"
    )
    assert client.get(f"/api/share/{scene.token}").status_code == 404
    LibraryMember.objects.filter(user=scene.alice, library=world.libraries["home"]).update(
        role="owner"
    )

    # Revoked through the API.
    assert login(scene.alice).delete(f"/api/shares/{scene.share.pk}").status_code == 204
    for url in _all_urls(scene.token, photo):
        assert client.get(url).status_code == 404, url
    assert (
        client.get(f"/api/share/{scene.token}").json()
        == client.get(f"/api/share/{sharing.new_token()}").json()
    )


def test_a_password_protects_everything_until_unlocked(scene: Scene, frozen_clock: Any) -> None:
    services.share_update(
        scene.share, {"password": "open sesame", "allow_download": True, "show_location": True}
    )
    client = Client()
    photo = scene.shared[0].pk

    info = client.get(f"/api/share/{scene.token}").json()
    assert info["locked"] is True and info["password_required"] is True
    assert all(v is None for k, v in info.items() if k not in ("locked", "password_required"))
    for url in _all_urls(scene.token, photo)[1:]:
        assert client.get(url).status_code == 403, url

    wrong = _unlock(client, scene.token, "open says me")
    assert wrong.status_code == 400 and "photonix_share" not in wrong.cookies
    assert client.get(f"/api/share/{scene.token}/photos").status_code == 403

    right = _unlock(client, scene.token, "open sesame")
    assert right.status_code == 204
    cookie = right.cookies["photonix_share"]
    assert cookie["path"] == f"/api/share/{scene.token}"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.get(f"/api/share/{scene.token}").json()["locked"] is False
    for url in _all_urls(scene.token, photo):
        assert client.get(url).status_code == 200, url

    # The cookie opens this share only: presented to another protected share, it does nothing.
    share2, other_token = services.share_create(scene.alice, album=scene.album, password="pw2")
    stolen = Client()
    stolen.cookies["photonix_share"] = cookie.value
    assert stolen.get(f"/api/share/{other_token}/photos").status_code == 403
    assert stolen.get(f"/api/share/{scene.token}/photos").status_code == 200
    # A tampered cookie is no cookie.
    forged = Client()
    forged.cookies["photonix_share"] = cookie.value.replace(str(scene.share.pk), str(share2.pk), 1)
    assert forged.get(f"/api/share/{other_token}/photos").status_code == 403

    # A new password locks out everyone who unlocked with the old one.
    services.share_update(scene.share, {"password": "new one"})
    assert client.get(f"/api/share/{scene.token}/photos").status_code == 403
    # Signing in does not help: share pages ignore the session.
    signed_in = Client()
    signed_in.force_login(scene.alice)
    assert signed_in.get(f"/api/share/{scene.token}/photos").status_code == 403


def test_repeated_wrong_passwords_are_slowed_down(
    scene: Scene, frozen_clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    services.share_update(scene.share, {"password": "open sesame"})
    client = Client()
    for _ in range(sharing.ATTEMPTS_PER_ADDRESS):
        assert _unlock(client, scene.token, "guess").status_code == 400
    blocked = _unlock(client, scene.token, "guess")
    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= sharing.ATTEMPT_WINDOW
    # Even the right password waits: the limit is checked before the password.
    assert _unlock(client, scene.token, "open sesame").status_code == 429
    # Claiming another address in X-Forwarded-For does not reset the count.
    spoofed = _unlock(client, scene.token, "guess", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429
    # Another client, and another share, are not affected.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert _unlock(elsewhere, scene.token, "open sesame").status_code == 204
    services.share_update(
        ShareLink.objects.get(token_hash=sharing.token_hash(scene.other_token)), {"password": "pw"}
    )
    assert _unlock(client, scene.other_token, "pw").status_code == 204
    # The next window lets the first client try again.
    frozen_clock[0] += sharing.ATTEMPT_WINDOW
    assert _unlock(client, scene.token, "open sesame").status_code == 204

    # Many addresses together are limited per share as well.
    monkeypatch.setattr(sharing, "ATTEMPTS_PER_SHARE", 3)
    frozen_clock[0] += sharing.ATTEMPT_WINDOW
    answers = [
        _unlock(Client(REMOTE_ADDR=f"192.0.2.{i}"), scene.token, "guess").status_code
        for i in range(5)
    ]
    assert answers == [400, 400, 400, 429, 429]


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shares": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }
)
def test_passwords_are_not_checked_when_attempts_cannot_be_counted(scene: Scene) -> None:
    services.share_update(scene.share, {"password": "open sesame"})
    response = _unlock(Client(), scene.token, "open sesame")
    assert response.status_code == 503
    assert "photonix_share" not in response.cookies
