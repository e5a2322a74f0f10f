"""Single sign-on through HTTP, as a browser does it: Photonix's live server and a real OpenID
provider (tests/oidc_provider) on 127.0.0.1, redirects followed, the provider's form posted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.e2e.conftest import serving
from tests.e2e.support import ADMIN, PASSWORD, LiveServer
from tests.oidc_provider import PASSWORD as PROVIDER_PASSWORD
from tests.oidc_provider import Provider

pytestmark = pytest.mark.integration

TIMEOUT = 30


@dataclass
class Browser:
    """A cookie jar and the Photonix server it talks to."""

    server: LiveServer
    http: requests.Session

    def get(self, path: str, **kwargs: object) -> requests.Response:
        url = path if path.startswith("http") else self.server.url + path
        return self.http.get(url, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]

    def send(self, method: str, path: str, body: object) -> requests.Response:
        self.get("/api/auth/session")  # the CSRF cookie
        return self.http.request(
            method,
            self.server.url + path,
            json=body,
            headers={"X-CSRFToken": self.http.cookies.get("csrftoken", "")},
            timeout=TIMEOUT,
        )

    def session(self) -> dict[str, object]:
        body = self.get("/api/auth/session").json()
        assert isinstance(body, dict)
        return body

    def signed_in_as(self) -> str | None:
        user = self.session()["user"]
        return None if user is None else str(user["username"])  # type: ignore[index]


def browser(server: LiveServer) -> Browser:
    return Browser(server, requests.Session())


def provider_login(
    page: requests.Response, http: requests.Session, username: str
) -> requests.Response:
    """Post the provider's sign-in form shown in ``page``; follows every redirect after it."""
    assert "Sign in to Test ID" in page.text, page.text[:500]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    following = re.search(r'name="next" value="([^"]*)"', page.text)
    assert csrf is not None and following is not None
    return http.post(
        page.url,
        data={
            "csrfmiddlewaretoken": csrf.group(1),
            "username": username,
            "password": PROVIDER_PASSWORD,
            "next": following.group(1).replace("&amp;", "&"),
        },
        timeout=TIMEOUT,
    )


def sso(person: Browser, username: str, next_path: str = "/albums") -> requests.Response:
    """Click "Sign in with …", sign in at the provider as ``username``, and land somewhere."""
    page = person.get(f"/auth/oidc/login?next={next_path}")
    return provider_login(page, person.http, username)


def landed(response: requests.Response) -> str:
    parts = urlsplit(response.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def callback_url(response: requests.Response) -> str:
    for step in (*response.history, response):
        if "/auth/oidc/callback" in step.url:
            return step.url
    raise AssertionError("the provider never sent the browser back")


def admin_of(server: LiveServer) -> Browser:
    admin = browser(server)
    if admin.session()["setup_required"]:
        created = admin.send("POST", "/api/setup", {"username": ADMIN, "password": PASSWORD})
        assert created.status_code == 201, created.text
    else:
        signed_in = admin.send("POST", "/api/auth/login", {"username": ADMIN, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
    return admin


def usernames(admin: Browser) -> set[str]:
    return {user["username"] for user in admin.get("/api/users").json()}


def identities(server: LiveServer) -> int:
    out = server.manage(
        "shell",
        "-c",
        "from photonix.core.models import OidcIdentity; print(OidcIdentity.objects.count())",
    )
    return int(out.strip().splitlines()[-1])


# --- Linking by e-mail, SSO only (auto-create off) ----------------------------------------------


@pytest.fixture(scope="module")
def linking_server(
    tmp_path_factory: pytest.TempPathFactory, e2e_redis_url: str, oidc_provider: Provider
) -> Iterator[LiveServer]:
    env = oidc_provider.env(PHOTONIX_OIDC_ONLY="true", PHOTONIX_OIDC_AUTO_CREATE="false")
    with serving(tmp_path_factory.mktemp("sso-linking"), e2e_redis_url, env) as server:
        admin = admin_of(server)
        for username, email in (("alice", "alice@example.org"), ("bob", "bob@example.org")):
            made = admin.send(
                "POST",
                "/api/users",
                {"username": username, "password": "a-long-Passphrase-43", "email": email},
            )
            assert made.status_code == 201, made.text
        yield server


def test_session_tells_the_login_page_about_single_sign_on(linking_server: LiveServer) -> None:
    assert browser(linking_server).session()["sso"] == {
        "label": "Test ID",
        "login_url": "/auth/oidc/login",
        "password_login": False,
    }


def test_verified_email_links_the_account_then_the_subject_alone_signs_in(
    linking_server: LiveServer,
) -> None:
    alice = browser(linking_server)
    landing = sso(alice, "alice", next_path="/albums?sort=name")
    assert landed(landing) == "/albums?sort=name"
    assert alice.signed_in_as() == "alice"

    # Linked: the e-mail address no longer matters — changed in Photonix, alice still gets in,
    # and the address cannot bring anyone else into alice's account.
    admin = admin_of(linking_server)
    users = {u["username"]: u for u in admin.get("/api/users").json()}
    changed = admin.send(
        "PATCH", f"/api/users/{users['alice']['id']}", {"email": "elsewhere@example.com"}
    )
    assert changed.status_code == 200, changed.text
    again = browser(linking_server)
    assert landed(sso(again, "alice")) == "/albums"
    assert again.signed_in_as() == "alice"


def test_the_callback_cannot_be_replayed(linking_server: LiveServer) -> None:
    alice = browser(linking_server)
    first = sso(alice, "alice")
    assert alice.signed_in_as() == "alice"
    callback = callback_url(first)

    # The same browser again, and a stranger holding the URL (no state of theirs in the session).
    assert landed(alice.get(callback)) == "/login?sso_error=state"
    stranger = browser(linking_server)
    assert landed(stranger.get(callback)) == "/login?sso_error=state"
    assert stranger.signed_in_as() is None


def test_an_unverified_email_links_nothing(linking_server: LiveServer) -> None:
    before = identities(linking_server)
    bob = browser(linking_server)
    assert landed(sso(bob, "bob")) == "/login?sso_error=email_unverified"
    assert bob.signed_in_as() is None
    assert identities(linking_server) == before


def test_without_auto_create_a_stranger_gets_no_account(linking_server: LiveServer) -> None:
    admin = admin_of(linking_server)
    before = usernames(admin)
    carol = browser(linking_server)
    assert landed(sso(carol, "carol")) == "/login?sso_error=no_account"
    assert carol.signed_in_as() is None
    assert usernames(admin) == before


def test_the_provider_refusing_signs_nobody_in(linking_server: LiveServer) -> None:
    person = browser(linking_server)
    start = person.get("/auth/oidc/login", allow_redirects=False)
    assert start.status_code == 302
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["code_challenge"]
    # The provider sends the browser back with an error (access denied, account removed there).
    refused = person.get(f"/auth/oidc/callback?error=access_denied&state={query['state'][0]}")
    assert landed(refused) == "/login?sso_error=refused"
    assert person.signed_in_as() is None


def test_a_user_disabled_at_the_provider_never_comes_back(linking_server: LiveServer) -> None:
    ghost = browser(linking_server)
    page = ghost.get("/auth/oidc/login")
    answer = provider_login(page, ghost.http, "ghost")
    # The provider shows its form again; Photonix never hears of them.
    assert answer.url.startswith(page.url.split("?")[0])
    assert "didn't match" in answer.text
    assert ghost.signed_in_as() is None


def test_a_user_disabled_in_photonix_cannot_sign_in_with_sso(linking_server: LiveServer) -> None:
    admin = admin_of(linking_server)
    made = admin.send(
        "POST",
        "/api/users",
        {"username": "frank", "password": "a-long-Passphrase-44", "email": "frank@example.org"},
    )
    assert made.status_code == 201, made.text
    frank = browser(linking_server)
    sso(frank, "frank")
    assert frank.signed_in_as() == "frank"  # linked
    disabled = admin.send("PATCH", f"/api/users/{made.json()['id']}", {"is_active": False})
    assert disabled.status_code == 200, disabled.text

    later = browser(linking_server)
    assert landed(sso(later, "frank")) == "/login?sso_error=disabled"
    assert later.signed_in_as() is None


def test_sso_only_refuses_passwords_except_the_break_glass_admin(
    linking_server: LiveServer,
) -> None:
    alice = browser(linking_server)
    refused = alice.send(
        "POST", "/api/auth/login", {"username": "alice", "password": "a-long-Passphrase-43"}
    )
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Password sign-in is turned off. Sign in with Test ID.",
        "code": "sso_only",
    }
    assert alice.signed_in_as() is None
    # Wrong or right password: the same answer, the password is not even looked at.
    wrong = alice.send("POST", "/api/auth/login", {"username": "alice", "password": "nope"})
    assert wrong.status_code == 403

    admin = browser(linking_server)
    allowed = admin.send("POST", "/api/auth/login", {"username": ADMIN, "password": PASSWORD})
    assert allowed.status_code == 200, allowed.text
    assert admin.signed_in_as() == ADMIN


# --- Creating accounts --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def creating_server(
    tmp_path_factory: pytest.TempPathFactory, e2e_redis_url: str, oidc_provider: Provider
) -> Iterator[LiveServer]:
    env = oidc_provider.env(PHOTONIX_OIDC_AUTO_CREATE="true")
    with serving(tmp_path_factory.mktemp("sso-creating"), e2e_redis_url, env) as server:
        admin_of(server)
        yield server


def test_auto_create_makes_a_plain_user_once(creating_server: LiveServer) -> None:
    carol = browser(creating_server)
    assert landed(sso(carol, "carol")) == "/albums"
    assert carol.signed_in_as() == "carol"
    me = carol.session()["user"]
    assert me["is_admin"] is False  # type: ignore[index]
    assert carol.get("/api/libraries").json() == []

    admin = admin_of(creating_server)
    users = {u["username"]: u for u in admin.get("/api/users").json()}
    assert users["carol"]["email"] == "carol@example.org"
    assert users["carol"]["is_admin"] is False

    # The second time, the same account.
    again = browser(creating_server)
    sso(again, "carol")
    assert again.signed_in_as() == "carol"
    assert sorted(u["username"] for u in admin.get("/api/users").json()) == [ADMIN, "carol"]
    # No password to guess: signing in with one fails like any wrong password.
    guess = browser(creating_server).send(
        "POST", "/api/auth/login", {"username": "carol", "password": "a-long-Passphrase-43"}
    )
    assert guess.status_code == 400


def test_auto_create_keeps_no_unverified_email(creating_server: LiveServer) -> None:
    dave = browser(creating_server)
    sso(dave, "dave")
    assert dave.signed_in_as() == "dave"
    admin = admin_of(creating_server)
    users = {u["username"]: u for u in admin.get("/api/users").json()}
    assert users["dave"]["email"] == ""


def test_password_sign_in_still_works_without_sso_only(creating_server: LiveServer) -> None:
    assert browser(creating_server).session()["sso"]["password_login"] is True  # type: ignore[index]


def test_bad_next_paths_land_at_home(creating_server: LiveServer, tmp_path: Path) -> None:
    person = browser(creating_server)
    assert landed(sso(person, "erin", next_path="//evil.example/x")) == "/"
    assert person.signed_in_as() == "erin"
