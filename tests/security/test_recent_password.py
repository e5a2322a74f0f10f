"""Managing accounts and roles needs the password entered recently, not only a session.

A session lasts two weeks; one left open on a shared computer, or taken over, must not be
enough to create an administrator, mint a token, reset a password or grant a library role.
Each of these needs the password entered within ``PHOTONIX_RECENT_PASSWORD_MINUTES`` (signing
in, or ``POST /api/auth/confirm-password``); an older session gets 403 with the code
``password_required`` and nothing changes. Sessions are aged by writing the time the password
was entered into them (tests/signin.py), never by waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from photonix.core.models import ApiToken, User
from photonix.library.models import LibraryMember
from tests.security.conftest import World
from tests.signin import sign_in

PASSWORD = "correct horse battery staple"
MINUTE = 60.0
STALE = 16 * MINUTE  # the default window is 15 minutes
PASSWORD_REQUIRED = {"detail": "Enter your password again to do this.", "code": "password_required"}
SESSION_ONLY = {"detail": "Sign in with your password for this; API tokens cannot do it."}


def _members(world: World) -> str:
    return f"/api/libraries/{world.library.pk}/members"


# Each operation that needs the password entered recently: who makes it, and the request.
OPERATIONS: dict[str, tuple[str, Callable[[World], tuple[str, str, dict[str, Any]]]]] = {
    "users_create": (
        "admin",
        lambda w: ("post", "/api/users", {"username": "mallory", "password": PASSWORD}),
    ),
    "users_update_is_admin": (
        "admin",
        lambda w: ("patch", f"/api/users/{w.users['viewer'].pk}", {"is_admin": True}),
    ),
    "users_update_is_active": (
        "admin",
        lambda w: ("patch", f"/api/users/{w.users['viewer'].pk}", {"is_active": False}),
    ),
    "users_update_email": (
        "admin",
        lambda w: ("patch", f"/api/users/{w.users['viewer'].pk}", {"email": "m@example.org"}),
    ),
    "users_set_password": (
        "admin",
        lambda w: (
            "post",
            f"/api/users/{w.users['viewer'].pk}/password",
            {"password": "mallory's horse battery"},
        ),
    ),
    "tokens_create": ("owner", lambda w: ("post", "/api/tokens", {"name": "more"})),
    "libraries_members_add": (
        "owner",
        lambda w: ("post", _members(w), {"username": "oscar", "role": "viewer"}),
    ),
    "libraries_members_raise": (
        "owner",
        lambda w: ("patch", f"{_members(w)}/{w.users['viewer'].pk}", {"role": "owner"}),
    ),
}


def _state() -> tuple[list[Any], list[Any], list[Any]]:
    """Everything these operations could change."""
    users = User.objects.values_list("username", "is_superuser", "is_active", "email", "password")
    tokens = ApiToken.objects.values_list("user__username", "name")
    members = LibraryMember.objects.values_list("library_id", "user__username", "role")
    return sorted(users), sorted(tokens), sorted(members)


def _call(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


def _confirm(client: Client, password: str = PASSWORD) -> Any:
    return client.post(
        "/api/auth/confirm-password", {"password": password}, content_type="application/json"
    )


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_old_session_must_confirm_the_password_first(world: World, operation: str) -> None:
    role, request = OPERATIONS[operation]
    method, url, body = request(world)
    browser = sign_in(Client(), world.users[role], password_age=STALE)
    before = _state()

    refused = _call(browser, method, url, body)
    assert refused.status_code == 403, refused.content
    assert refused.json() == PASSWORD_REQUIRED
    assert _state() == before

    wrong = _confirm(browser, "not my password")
    assert wrong.status_code == 400
    assert wrong.json() == {"password": ["Wrong password."]}
    assert _call(browser, method, url, body).json() == PASSWORD_REQUIRED
    assert _state() == before

    assert _confirm(browser).status_code == 204
    allowed = _call(browser, method, url, body)
    assert 200 <= allowed.status_code < 300, allowed.content
    assert _state() != before


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_session_without_a_password_entry_is_refused(world: World, operation: str) -> None:
    """A session that never recorded a password entry (opened before this existed, or by
    other means than signing in) counts as an old one."""
    role, request = OPERATIONS[operation]
    browser = sign_in(Client(), world.users[role], password_age=None)
    assert _call(browser, *request(world)).json() == PASSWORD_REQUIRED


def test_signing_in_enters_the_password(world: World) -> None:
    browser = Client()
    signed_in = browser.post(
        "/api/auth/login",
        {"username": "olivia", "password": PASSWORD},
        content_type="application/json",
    )
    assert signed_in.status_code == 200
    created = browser.post("/api/tokens", {"name": "t"}, content_type="application/json")
    assert created.status_code == 201, created.content


def test_changing_the_password_needs_no_confirmation_and_counts_as_one(world: World) -> None:
    """The change asks for the current password itself."""
    browser = sign_in(Client(), world.users["owner"], password_age=STALE)
    changed = browser.post(
        "/api/auth/password",
        {"old_password": PASSWORD, "new_password": "another horse battery staple"},
        content_type="application/json",
    )
    assert changed.status_code == 204, changed.content
    created = browser.post("/api/tokens", {"name": "t"}, content_type="application/json")
    assert created.status_code == 201, created.content


def test_the_window_is_the_setting(world: World, settings: Any) -> None:
    browser = sign_in(Client(), world.users["owner"], password_age=20 * MINUTE)
    create = ("post", "/api/tokens", {"name": "t"})
    settings.PHOTONIX_RECENT_PASSWORD_MINUTES = 30
    assert _call(browser, *create).status_code == 201
    settings.PHOTONIX_RECENT_PASSWORD_MINUTES = 15
    assert _call(browser, *create).json() == PASSWORD_REQUIRED
    fresh = sign_in(Client(), world.users["owner"], password_age=14 * MINUTE)
    assert _call(fresh, *create).status_code == 201


def test_what_takes_no_power_needs_no_confirmation(world: World) -> None:
    """Reading, lowering a role, removing a member, revoking a token: an old session may."""
    owner = sign_in(Client(), world.users["owner"], password_age=STALE)
    members = _members(world)
    editor, viewer = world.users["editor"].pk, world.users["viewer"].pk
    assert owner.get(members).status_code == 200
    lowered = _call(owner, "patch", f"{members}/{editor}", {"role": "viewer"})
    assert lowered.status_code == 200, lowered.content
    same = _call(owner, "post", members, {"username": "victor", "role": "viewer"})
    assert same.status_code == 201, same.content
    assert owner.delete(f"{members}/{viewer}").status_code == 204
    assert owner.delete(f"/api/tokens/{world.tokens['owner'][0]}").status_code == 204

    admin = sign_in(Client(), world.users["admin"], password_age=STALE)
    assert admin.get("/api/users").status_code == 200
    assert admin.get(f"/api/users/{viewer}").status_code == 200


def test_who_may_not_do_it_is_not_asked_for_a_password(world: World) -> None:
    """The refusal of someone whose role does not allow the change carries no code: entering
    the password would not help them."""
    viewer = sign_in(Client(), world.users["viewer"], password_age=STALE)
    for method, url, body in (
        ("post", "/api/users", {"username": "mallory", "password": PASSWORD}),
        ("patch", f"/api/users/{world.users['viewer'].pk}", {"is_admin": True}),
        ("post", _members(world), {"username": "oscar", "role": "owner"}),
    ):
        refused = _call(viewer, method, url, body)
        assert refused.status_code == 403, (url, refused.content)
        assert "code" not in refused.json(), url


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_token_is_still_refused(world: World, operation: str) -> None:
    role, request = OPERATIONS[operation]
    method, url, body = request(world)
    token = {"Authorization": f"Bearer {world.tokens[role][1]}"}
    refused = getattr(Client(), method)(url, body, content_type="application/json", headers=token)
    assert refused.status_code == 403
    assert "code" not in refused.json()  # nothing a token could confirm


def test_a_token_cannot_confirm_a_password(world: World) -> None:
    token = {"Authorization": f"Bearer {world.tokens['admin'][1]}"}
    refused = Client().post(
        "/api/auth/confirm-password",
        {"password": PASSWORD},
        content_type="application/json",
        headers=token,
    )
    assert refused.status_code == 403
    assert refused.json() == SESSION_ONLY
    assert Client().post("/api/auth/confirm-password", {"password": PASSWORD}).status_code == 401
