"""The map's tile source set by an administrator: who may, what is refused, and that the session
and the Content-Security-Policy follow it without a restart."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from photonix.core.models import User

pytestmark = pytest.mark.django_db

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
URL = "/api/settings/map"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin() -> Client:
    return _client(User.objects.create_user("root", is_superuser=True, is_staff=True))


def _put(client: Client, data: dict[str, Any]) -> Any:
    return client.put(URL, data, content_type="application/json")


def _img_src(response: Any) -> str:
    csp = str(response["Content-Security-Policy"])
    return next(part for part in csp.split("; ") if part.startswith("img-src"))


def test_only_administrators_read_or_change_the_tile_source(admin: Client) -> None:
    someone = _client(User.objects.create_user("someone"))
    assert someone.get(URL).status_code == 403
    assert _put(someone, {"map_tile_url": OSM}).status_code == 403
    assert Client().get(URL).status_code in (401, 403)
    assert _put(Client(), {"map_tile_url": OSM}).status_code in (401, 403)
    assert admin.get(URL).status_code == 200
    # Refused changes left nothing behind.
    assert admin.get(URL).json()["map_tile_url"] == ""


@override_settings(PHOTONIX_MAP_TILE_URL="", PHOTONIX_MAP_ATTRIBUTION="")
def test_a_saved_source_reaches_the_session_and_the_policy_at_once(admin: Client) -> None:
    assert admin.get(URL).json() == {
        "map_tile_url": "",
        "map_attribution": "",
        "default_tile_url": "",
        "default_attribution": "",
        "effective_tile_url": "",
        "source": "none",
    }
    assert _img_src(admin.get("/")) == "img-src 'self' data: blob:"

    saved = _put(
        admin, {"map_tile_url": f" {OSM} ", "map_attribution": "© OpenStreetMap contributors"}
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["map_tile_url"] == OSM
    assert saved.json()["source"] == "settings"
    session = Client().get("/api/auth/session").json()
    assert session["map_tile_url"] == OSM
    assert session["map_attribution"] == "© OpenStreetMap contributors"
    # The page (and the responses after it) allow the tile host, with no restart.
    assert (
        _img_src(admin.get("/map")) == "img-src 'self' data: blob: https://tile.openstreetmap.org"
    )
    assert "https://tile.openstreetmap.org" in _img_src(admin.get("/api/auth/session"))

    cleared = _put(admin, {"map_tile_url": ""})
    assert cleared.status_code == 200
    assert cleared.json()["source"] == "none"
    assert Client().get("/api/auth/session").json()["map_tile_url"] is None
    assert _img_src(admin.get("/")) == "img-src 'self' data: blob:"


@override_settings(
    PHOTONIX_MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    PHOTONIX_MAP_ATTRIBUTION="Example tiles",
)
def test_settings_take_precedence_over_the_environment_which_stays_the_default(
    admin: Client,
) -> None:
    state = admin.get(URL).json()
    assert (state["source"], state["effective_tile_url"]) == (
        "environment",
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    )
    assert Client().get("/api/auth/session").json()["map_attribution"] == "Example tiles"
    assert "https://*.tiles.example.org" in _img_src(admin.get("/"))

    _put(admin, {"map_tile_url": "http://127.0.0.1:8123/{z}/{x}/{y}.png"})
    session = Client().get("/api/auth/session").json()
    assert session["map_tile_url"] == "http://127.0.0.1:8123/{z}/{x}/{y}.png"
    assert session["map_attribution"] is None
    img = _img_src(admin.get("/"))
    assert "http://127.0.0.1:8123" in img and "example.org" not in img

    _put(admin, {"map_tile_url": ""})
    assert admin.get(URL).json()["source"] == "environment"
    assert "https://*.tiles.example.org" in _img_src(admin.get("/"))


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"map_tile_url": "ftp://tiles.example.org/{z}/{x}/{y}.png"}, "map_tile_url", "https://"),
        ({"map_tile_url": "javascript:alert(1)//{z}{x}{y}"}, "map_tile_url", "https://"),
        ({"map_tile_url": "https://tiles.example.org/{z}/{x}.png"}, "map_tile_url", "{y}"),
        ({"map_tile_url": "https://tiles.example.org/tile.png"}, "map_tile_url", "{z}"),
        (
            {"map_tile_url": "https://tiles.example.org/{z}/{x}/{y}.png?key={apikey}"},
            "map_tile_url",
            "{apikey}",
        ),
        # A space or semicolon would write another directive into the policy.
        (
            {"map_tile_url": "https://a.org; script-src * /{z}/{x}/{y}"},
            "map_tile_url",
            "semicolons",
        ),
        ({"map_tile_url": "https://user@tiles.example.org/{z}/{x}/{y}"}, "map_tile_url", "host"),
        ({"map_tile_url": "https:///{z}/{x}/{y}.png"}, "map_tile_url", "host"),
        ({"map_tile_url": "https://t.org/" + "a" * 500 + "/{z}/{x}/{y}"}, "map_tile_url", "500"),
        (
            {"map_tile_url": OSM, "map_attribution": "<img src=x onerror=alert(1)>"},
            "map_attribution",
            "Plain text",
        ),
        ({"map_attribution": "no url"}, "map_tile_url", "required"),
        ({"map_tile_url": 12}, "map_tile_url", ""),
    ],
)
def test_bad_tile_sources_are_400_naming_the_field(
    admin: Client, data: dict[str, Any], field: str, words: str
) -> None:
    response = _put(admin, data)
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [field]
    assert words in body[field][0]
    assert admin.get(URL).json()["map_tile_url"] == ""


def test_a_subdomain_template_is_accepted(admin: Client) -> None:
    template = "https://{s}.tile.example.org/{z}/{x}/{y}{r}.png"
    response = _put(admin, {"map_tile_url": template, "map_attribution": "Example"})
    assert response.status_code == 200, response.content
    assert "https://*.tile.example.org" in _img_src(admin.get("/"))
