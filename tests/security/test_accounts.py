"""Sign-in lockout, API tokens (shown once, hashed, revocable), user administration and password
change — through the HTTP API, as a browser or a script would."""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

import pytest
from django.test import Client, override_settings

from photonix.core.models import ApiToken, User
from tests.signin import sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def olivia() -> User:
    return User.objects.create_user("olivia", password=PASSWORD)


@pytest.fixture
def ada() -> User:
    return User.objects.create_user("ada", password=PASSWORD, is_superuser=True, is_staff=True)


def login(username: str, password: str, address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
    )


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


# --- Lockout --------------------------------------------------------------------------------


def test_five_failures_lock_the_username_even_for_the_right_password(olivia: User) -> None:
    codes = [login("olivia", "wrong").status_code for _ in range(5)]
    assert codes == [400] * 5
    locked = login("olivia", PASSWORD)
    assert locked.status_code == 429
    assert locked.json() == {"detail": "Too many failed sign-ins. Try again in 15 minutes."}
    assert 890 <= int(locked["Retry-After"]) <= 900
    # From another address too: the attack may be spread over many.
    assert login("OLIVIA", PASSWORD, address="10.9.9.9").status_code == 429


def test_the_lock_expires(olivia: User, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(5):
        login("olivia", "wrong")
    assert login("olivia", PASSWORD).status_code == 429
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert login("olivia", PASSWORD).status_code == 200


def test_a_success_forgets_earlier_failures(olivia: User) -> None:
    for _ in range(4):
        login("olivia", "wrong")
    assert login("olivia", PASSWORD).status_code == 200
    for _ in range(4):
        assert login("olivia", "wrong").status_code == 400
    assert login("olivia", PASSWORD).status_code == 200


@override_settings(PHOTONIX_LOGIN_MAX_FAILURES_PER_IP=3)
def test_failures_from_one_address_lock_that_address(olivia: User) -> None:
    for name in ("a", "b", "c"):  # a different username each time: password spraying
        assert login(name, "wrong").status_code == 400
    response = login("olivia", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"]
    assert login("olivia", PASSWORD, address="10.0.0.2").status_code == 200


def test_unknown_usernames_lock_like_known_ones() -> None:
    """The answers do not tell which usernames exist."""
    codes = [login("nobody", "wrong").status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]


def test_sign_in_works_while_the_cache_is_down(
    olivia: User, caplog: pytest.LogCaptureFixture
) -> None:
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with (
        override_settings(CACHES={"default": dead, "shares": dead}),
        caplog.at_level(logging.WARNING),
    ):
        assert login("olivia", "wrong").status_code == 400
        assert login("olivia", PASSWORD).status_code == 200
    assert "the cache is unreachable" in caplog.text


# --- API tokens -----------------------------------------------------------------------------


def test_token_is_shown_once_stored_hashed_and_works(olivia: User) -> None:
    client = Client()
    sign_in(client, olivia)
    created = client.post("/api/tokens", {"name": "backup script"}, content_type="application/json")
    assert created.status_code == 201
    assert created["Cache-Control"] == "no-store"
    raw = created.json()["token"]
    assert raw.startswith("pnx_") and len(raw) >= 40
    assert created.json()["prefix"] == raw[:12]

    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = [
        str(v)
        for v in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields]).get()
    ]
    assert raw not in stored
    listed = client.get("/api/tokens").json()
    assert [t["name"] for t in listed] == ["backup script"]
    assert "token" not in listed[0] and raw not in str(listed)

    script = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token: a script
    assert script.get("/api/libraries", headers=bearer(raw)).status_code == 200
    assert script.post(
        "/api/libraries", {}, content_type="application/json", headers=bearer(raw)
    ).status_code in (400, 403)  # reached the view: no CSRF failure for a token
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_revoked_token_fails_with_401(olivia: User) -> None:
    client = Client()
    sign_in(client, olivia)
    created = client.post("/api/tokens", {"name": "t"}, content_type="application/json").json()
    assert Client().get("/api/photos", headers=bearer(created["token"])).status_code == 200
    assert client.delete(f"/api/tokens/{created['id']}").status_code == 204
    refused = Client().get("/api/photos", headers=bearer(created["token"]))
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/tokens").json() == []


@pytest.mark.parametrize(
    "header",
    ["Bearer pnx_nonsense", "Bearer", "Bearer a b", "Bearer " + "x" * 43, "Bearer pnx_" + "é" * 5],
)
def test_bad_tokens_fail_with_401(header: str) -> None:
    response = Client().get("/api/photos", HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401


def test_anonymous_gets_401(db: None) -> None:
    response = Client().get("/api/photos")
    assert response.status_code == 401
    assert "Bearer" in response["WWW-Authenticate"]


def test_token_of_a_disabled_user_fails(olivia: User, ada: User) -> None:
    from photonix.core import services

    _, raw = services.token_create(olivia, "t")
    admin = Client()
    sign_in(admin, ada)
    assert (
        admin.patch(
            f"/api/users/{olivia.pk}", {"is_active": False}, content_type="application/json"
        ).status_code
        == 200
    )
    assert Client().get("/api/photos", headers=bearer(raw)).status_code == 401


def test_a_token_cannot_mint_tokens_or_change_the_password(olivia: User) -> None:
    from photonix.core import services

    _, raw = services.token_create(olivia, "t")
    script = Client()
    assert (
        script.post(
            "/api/tokens", {"name": "more"}, content_type="application/json", headers=bearer(raw)
        ).status_code
        == 403
    )
    assert (
        script.post(
            "/api/auth/password",
            {"old_password": PASSWORD, "new_password": "another horse battery staple"},
            content_type="application/json",
            headers=bearer(raw),
        ).status_code
        == 403
    )
    assert script.get("/api/tokens", headers=bearer(raw)).status_code == 200


SESSION_ONLY = {"detail": "Sign in with your password for this; API tokens cannot do it."}


def test_a_leaked_admin_token_cannot_entrench_itself(ada: User, olivia: User) -> None:
    """With an administrator's token, no new account, no new administrator, no account
    enabled again, no password reset: each is 403 with the reason, and nothing changes. The
    same requests from the administrator's signed-in browser succeed."""
    from photonix.core import services

    _, raw = services.token_create(ada, "leaked")
    olivia.is_active = False
    olivia.save(update_fields=["is_active"])
    script = Client()
    attempts = [
        ("post", "/api/users", {"username": "mallory", "password": PASSWORD, "is_admin": True}),
        ("patch", f"/api/users/{olivia.pk}", {"is_active": True}),
        ("patch", f"/api/users/{olivia.pk}", {"is_admin": True}),
        ("patch", f"/api/users/{olivia.pk}", {"email": "mallory@example.org"}),
        ("post", f"/api/users/{olivia.pk}/password", {"password": "mallory's horse battery"}),
    ]
    for method, url, body in attempts:
        response = getattr(script, method)(
            url, body, content_type="application/json", headers=bearer(raw)
        )
        assert response.status_code == 403, (method, url, response.content)
        assert response.json() == SESSION_ONLY, (method, url)
    assert not User.objects.filter(username="mallory").exists()
    olivia.refresh_from_db()
    assert not olivia.is_active and not olivia.is_superuser and olivia.email == ""
    assert olivia.check_password(PASSWORD)
    # Reading stays open to the token.
    assert script.get("/api/users", headers=bearer(raw)).status_code == 200
    assert script.get(f"/api/users/{olivia.pk}", headers=bearer(raw)).status_code == 200

    browser = Client()
    sign_in(browser, ada)
    for method, url, body in attempts:
        response = getattr(browser, method)(url, body, content_type="application/json")
        assert response.status_code in (200, 201, 204), (method, url, response.content)
    assert User.objects.get(username="mallory").is_superuser


def test_nobody_revokes_someone_elses_token(olivia: User, ada: User) -> None:
    from photonix.core import services

    token, raw = services.token_create(olivia, "t")
    admin = Client()
    sign_in(admin, ada)
    assert admin.delete(f"/api/tokens/{token.pk}").status_code == 404
    assert Client().get("/api/photos", headers=bearer(raw)).status_code == 200


# --- Users ----------------------------------------------------------------------------------


def test_admin_manages_users(ada: User, olivia: User) -> None:
    admin = Client()
    sign_in(admin, ada)
    created = admin.post(
        "/api/users",
        {"username": "bob", "password": PASSWORD, "email": "bob@example.org"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["is_admin"] is False and "password" not in created.json()
    assert User.objects.get(username="bob").password.startswith(("argon2", "md5"))
    weak = admin.post(
        "/api/users", {"username": "eve", "password": "123"}, content_type="application/json"
    )
    assert weak.status_code == 400 and "password" in weak.json()
    dup = admin.post(
        "/api/users", {"username": "bob", "password": PASSWORD}, content_type="application/json"
    )
    assert dup.status_code == 400
    names = [u["username"] for u in admin.get("/api/users").json()]
    assert names == sorted(names)
    assert {"ada", "bob", "olivia"} <= set(names)

    # Reset a password: the user's sessions end.
    bob_browser = Client()
    assert bob_browser.login(username="bob", password=PASSWORD)
    assert bob_browser.get("/api/photos").status_code == 200
    bob = User.objects.get(username="bob")
    new = "a brand new horse battery"
    assert (
        admin.post(
            f"/api/users/{bob.pk}/password", {"password": new}, content_type="application/json"
        ).status_code
        == 204
    )
    assert bob_browser.get("/api/photos").status_code == 401
    assert login("bob", new).status_code == 200

    # Disable: sessions end and sign-in is refused.
    assert (
        admin.patch(
            f"/api/users/{bob.pk}", {"is_active": False}, content_type="application/json"
        ).json()["is_active"]
        is False
    )
    assert login("bob", new).status_code == 400


def test_admin_rules(ada: User, olivia: User) -> None:
    admin = Client()
    sign_in(admin, ada)
    me = admin.patch(f"/api/users/{ada.pk}", {"is_active": False}, content_type="application/json")
    assert me.status_code == 400
    demote = admin.patch(
        f"/api/users/{ada.pk}", {"is_admin": False}, content_type="application/json"
    )
    assert demote.status_code == 400
    assert User.objects.get(pk=ada.pk).is_superuser

    user = Client()
    sign_in(user, olivia)
    assert user.get("/api/users").status_code == 403
    assert (
        user.patch(
            f"/api/users/{olivia.pk}", {"is_admin": True}, content_type="application/json"
        ).status_code
        == 403
    )
    assert not User.objects.get(pk=olivia.pk).is_superuser


def test_password_change_needs_the_old_password(olivia: User) -> None:
    browser = Client()
    assert browser.login(username="olivia", password=PASSWORD)
    other = Client()
    assert other.login(username="olivia", password=PASSWORD)
    new = "another horse battery staple"
    wrong = browser.post(
        "/api/auth/password",
        {"old_password": "guess", "new_password": new},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "old_password" in wrong.json()
    weak = browser.post(
        "/api/auth/password",
        {"old_password": PASSWORD, "new_password": "123"},
        content_type="application/json",
    )
    assert weak.status_code == 400 and "new_password" in weak.json()
    ok = browser.post(
        "/api/auth/password",
        {"old_password": PASSWORD, "new_password": new},
        content_type="application/json",
    )
    assert ok.status_code == 204
    assert browser.get("/api/photos").status_code == 200  # this browser stays signed in
    assert other.get("/api/photos").status_code == 401  # every other session ends
    assert login("olivia", new).status_code == 200
