"""Signing in leads on to the page asked for, and the address bar says where one is."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import ADMIN, PASSWORD, create_admin, path_is

pytestmark = pytest.mark.e2e


def test_login_replaces_the_address_with_the_page_asked_for(page: Any) -> None:
    create_admin(page)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(path_is("/login"))

    # A deep link while signed out (a search of the timeline): the login page, then, signed in,
    # the very address asked for.
    page.goto("/?q=beach")
    expect(page).to_have_url(path_is("/login"))
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("current-user")).to_have_text(ADMIN)
    expect(page).to_have_url(path_is("/?q=beach"))
