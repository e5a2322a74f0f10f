"""Every place that checks a password locks out repeated wrong guesses, and there is no other
place: no Django admin login, no DRF or ``django.contrib.auth`` login form, nothing outside
``/api/`` but the single-page app.

The entry points: ``POST /api/auth/login`` (the sign-in), ``POST /api/auth/password`` (the
current password, asked before a change), ``POST /api/auth/confirm-password`` (the password
entered again before managing accounts and roles) and ``POST /api/share/{token}/unlock`` (a
share link's password, with a lock of its own: photonix.albums.sharing).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from photonix.albums import services as album_services
from photonix.albums import sharing
from photonix.core.models import User
from tests.security.conftest import World
from tests.signin import sign_in

PASSWORD = "correct horse battery staple"


def _login(username: str, password: str, address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_api_login_locks_out(world: World) -> None:
    codes = [_login("olivia", "wrong").status_code for _ in range(5)]
    assert codes == [400] * 5
    locked = _login("olivia", PASSWORD)
    assert locked.status_code == 429, locked.content
    assert "Too many failed sign-ins" in locked.json()["detail"]


def test_password_change_locks_out_and_shares_the_sign_in_lock(world: World) -> None:
    """Someone holding a session cannot guess the password through the change form: five
    wrong current passwords lock it, even the right one is then refused, and so is sign-in."""
    client = Client(REMOTE_ADDR="10.0.0.2")
    client.force_login(world.users["owner"])

    def change(old: str) -> Any:
        return client.post(
            "/api/auth/password",
            {"old_password": old, "new_password": "another horse battery staple"},
            content_type="application/json",
        )

    codes = [change("wrong").status_code for _ in range(5)]
    assert codes == [400] * 5
    locked = change(PASSWORD)
    assert locked.status_code == 429, locked.content
    assert locked["Retry-After"]
    assert "Too many failed sign-ins" in locked.json()["detail"]
    user = User.objects.get(pk=world.users["owner"].pk)
    assert user.check_password(PASSWORD), "the password changed during the lockout"
    assert _login("olivia", PASSWORD, address="10.9.9.9").status_code == 429


def test_password_confirmation_locks_out_and_shares_the_sign_in_lock(world: World) -> None:
    """Someone holding an old session cannot guess the password by confirming it: five wrong
    guesses lock it, the right one is then refused and confers nothing, and sign-in is locked."""
    client = sign_in(Client(REMOTE_ADDR="10.0.0.5"), world.users["owner"], password_age=None)

    def confirm(password: str) -> Any:
        return client.post(
            "/api/auth/confirm-password", {"password": password}, content_type="application/json"
        )

    codes = [confirm("wrong").status_code for _ in range(5)]
    assert codes == [400] * 5
    locked = confirm(PASSWORD)
    assert locked.status_code == 429, locked.content
    assert locked["Retry-After"]
    assert "Too many failed sign-ins" in locked.json()["detail"]
    refused = client.post("/api/tokens", {"name": "t"}, content_type="application/json")
    assert refused.json()["code"] == "password_required"
    assert _login("olivia", PASSWORD, address="10.9.9.9").status_code == 429


def test_a_password_confirmed_forgets_the_failures_before_it(world: World, settings: Any) -> None:
    client = sign_in(Client(REMOTE_ADDR="10.0.0.6"), world.users["owner"], password_age=None)
    attempts = settings.PHOTONIX_LOGIN_MAX_FAILURES - 1

    def confirm(password: str) -> int:
        body = {"password": password}
        return client.post(
            "/api/auth/confirm-password", body, content_type="application/json"
        ).status_code

    assert [confirm("wrong") for _ in range(attempts)] == [400] * attempts
    assert confirm(PASSWORD) == 204
    assert [confirm("wrong") for _ in range(attempts)] == [400] * attempts
    assert confirm(PASSWORD) == 204


def test_a_password_changed_forgets_the_failures_before_it(world: World, settings: Any) -> None:
    """As a sign-in does: the right current password clears the username's failed attempts."""
    client = Client(REMOTE_ADDR="10.0.0.4")
    client.force_login(world.users["owner"])
    attempts = settings.PHOTONIX_LOGIN_MAX_FAILURES - 1

    def change(old: str, new: str) -> int:
        body = {"old_password": old, "new_password": new}
        return client.post("/api/auth/password", body, content_type="application/json").status_code

    new = "another horse battery staple"
    assert [change("wrong", new) for _ in range(attempts)] == [400] * attempts
    assert change(PASSWORD, new) == 204
    assert [change("wrong", PASSWORD) for _ in range(attempts)] == [400] * attempts
    assert change(new, PASSWORD) == 204


def test_share_password_locks_out(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # One fixed instant: the share's attempt windows are per minute, and the test must not
    # straddle two of them.
    monkeypatch.setattr(sharing, "clock", lambda: 1_700_000_000.0)
    _, token = album_services.share_create(
        world.users["owner"], album=world.album, password="open sesame please"
    )
    client = Client(REMOTE_ADDR="10.0.0.3")

    def unlock(password: str) -> Any:
        return client.post(
            f"/api/share/{token}/unlock", {"password": password}, content_type="application/json"
        )

    codes = [unlock("wrong").status_code for _ in range(sharing.ATTEMPTS_PER_ADDRESS)]
    assert codes == [400] * sharing.ATTEMPTS_PER_ADDRESS
    locked = unlock("open sesame please")
    assert locked.status_code == 429, locked.content
    assert locked["Retry-After"]


def _patterns(
    resolver: URLResolver, prefix: str = ""
) -> Iterator[tuple[str, URLPattern | URLResolver]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield route, entry
            yield from _patterns(entry, route)
        else:
            yield route, entry


def test_no_other_login_form_is_mounted() -> None:
    """Only the API and the app: no admin site, no auth views (which would not lock out)."""
    for route, entry in _patterns(get_resolver()):
        module = getattr(entry, "urlconf_name", None)
        if isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            view_class = getattr(entry.callback, "view_class", None)
            if view_class is not None:
                module = view_class.__module__
        where = f"{route} ({module})"
        assert not str(module).startswith(("django.contrib.admin", "django.contrib.auth")), where
        assert not str(module).startswith("rest_framework."), where
        if isinstance(entry, URLPattern) and not route.startswith("api/"):
            # Besides the app: single sign-on's redirects, which take no password (the provider
            # checks it), and the installable app's service worker and manifest (static files);
            # all classified in test_authorization_matrix.BROWSER_ROUTES.
            assert entry.name in (
                "spa",
                "oidc-login",
                "oidc-callback",
                "service-worker",
                "web-manifest",
            ), f"{where}: a page outside the API and the app"


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/login/", "/accounts/login/", "/api-auth/login/"]
)
def test_admin_and_form_logins_do_not_exist(world: World, url: str) -> None:
    client = Client()
    response = client.post(url, {"username": "ada", "password": PASSWORD})
    assert response.status_code in (404, 405), response.status_code
    assert client.get("/api/auth/session").json()["authenticated"] is False
    if url.startswith("/admin/"):
        assert client.get(url).status_code == 404
