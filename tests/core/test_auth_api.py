from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from photonix.core.models import User

pytestmark = pytest.mark.django_db

STRONG = "correct horse battery staple"


@pytest.fixture
def csrf_client() -> Client:
    """A browser-like client: CSRF checks on, token taken from the session endpoint's cookie."""
    client = Client(enforce_csrf_checks=True)
    client.get("/api/auth/session")
    return client


def _post(client: Client, url: str, data: dict[str, str] | None = None) -> Any:
    return client.post(
        url,
        data or {},
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )


def test_fresh_install_requires_setup(csrf_client: Client) -> None:
    response = csrf_client.get("/api/auth/session")
    assert response.status_code == 200
    assert response.json() == {
        "authenticated": False,
        "setup_required": True,
        "user": None,
        "map_tile_url": None,
        "map_attribution": None,
        "sso": None,
    }
    assert "csrftoken" in response.cookies or "csrftoken" in csrf_client.cookies


def test_setup_creates_admin_and_signs_in(csrf_client: Client) -> None:
    response = _post(csrf_client, "/api/setup", {"username": "ada", "password": STRONG})
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "ada"
    assert response.json()["is_admin"] is True
    user = User.objects.get(username="ada")
    assert user.is_superuser and user.is_staff
    assert user.password.startswith("argon2")
    session = csrf_client.get("/api/auth/session").json()
    assert session["authenticated"] and not session["setup_required"]


def test_setup_runs_only_once(csrf_client: Client) -> None:
    User.objects.create_user("first", password=STRONG)
    response = _post(csrf_client, "/api/setup", {"username": "mallory", "password": STRONG})
    assert response.status_code == 409
    assert not User.objects.filter(username="mallory").exists()


def test_setup_rejects_weak_password_with_field_error(csrf_client: Client) -> None:
    response = _post(csrf_client, "/api/setup", {"username": "ada", "password": "123"})
    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.exists()


def test_setup_without_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/setup", {"username": "ada", "password": STRONG}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not User.objects.exists()


def test_login_logout(csrf_client: Client) -> None:
    User.objects.create_user("ada", password=STRONG)
    wrong = _post(csrf_client, "/api/auth/login", {"username": "ada", "password": "nope"})
    assert wrong.status_code == 400
    assert wrong.json() == {"detail": "Wrong username or password."}

    ok = _post(csrf_client, "/api/auth/login", {"username": "ada", "password": STRONG})
    assert ok.status_code == 200
    assert ok.json() == {"id": ok.json()["id"], "username": "ada", "is_admin": False}
    assert csrf_client.get("/api/auth/session").json()["authenticated"] is True

    # Signing in rotates the CSRF token; the browser reads the new cookie.
    assert _post(csrf_client, "/api/auth/logout").status_code == 204
    assert csrf_client.get("/api/auth/session").json()["authenticated"] is False


def test_login_is_throttled(csrf_client: Client) -> None:
    """Beyond the lockout (tests/security/test_lockout.py), a per-address rate limit."""
    from django.core.cache import cache

    from photonix.core.auth import _keys

    def forget() -> None:  # never cache.clear(): on Redis it empties the broker's database
        cache.delete("throttle_login_127.0.0.1")
        for i in range(12):
            for key, _ in _keys(f"x{i}", "127.0.0.1"):
                cache.delete_many([key, f"{key}:locked"])

    forget()
    with override_settings(PHOTONIX_LOGIN_MAX_FAILURES_PER_IP=100):
        codes = [
            _post(
                csrf_client, "/api/auth/login", {"username": f"x{i}", "password": "y"}
            ).status_code
            for i in range(12)
        ]
    forget()
    assert codes[:10] == [400] * 10
    assert codes[10:] == [429, 429]


def test_spa_routes_serve_index_or_explain(client: Client) -> None:
    response = client.get("/setup")
    assert response.status_code in (200, 503)
    if response.status_code == 503:
        assert b"make ui" in response.content
    else:
        assert b'<div id="root">' in response.content


def test_unknown_api_path_is_404_not_the_app(client: Client) -> None:
    assert client.get("/api/nothing-here").status_code == 404
