"""Single sign-on in the browser: "Sign in with …" on the login page, the provider's form, and
back in the app signed in, on the page asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.conftest import serving
from tests.e2e.support import ADMIN, PASSWORD, LiveServer, path_is
from tests.oidc_provider import PASSWORD as PROVIDER_PASSWORD
from tests.oidc_provider import Provider

pytestmark = pytest.mark.e2e


@pytest.fixture
def sso_server(tmp_path: Path, e2e_redis_url: str, oidc_provider: Provider) -> Iterator[LiveServer]:
    env = oidc_provider.env(PHOTONIX_OIDC_AUTO_CREATE="true")
    with serving(tmp_path, e2e_redis_url, env) as server:
        http = requests.Session()
        http.get(f"{server.url}/api/auth/session", timeout=30)
        created = http.post(
            f"{server.url}/api/setup",
            json={"username": ADMIN, "password": PASSWORD},
            headers={"X-CSRFToken": http.cookies["csrftoken"]},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        yield server


def test_sign_in_with_the_provider_lands_in_the_app(browser: Any, sso_server: LiveServer) -> None:
    context = browser.new_context(base_url=sso_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/albums")
        expect(page).to_have_url(path_is("/login"))
        page.get_by_role("link", name="Sign in with Test ID").click()

        page.get_by_label("Provider username").fill("erin")
        page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
        page.get_by_role("button", name="Sign in to Test ID").click()

        expect(page.get_by_test_id("current-user")).to_have_text("erin")
        expect(page).to_have_url(path_is("/albums"))
    finally:
        context.close()
