"""The first-run story in a real browser: setup, home, log out, log in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer

pytestmark = pytest.mark.e2e

ADMIN = "admin"
PASSWORD = "a-long-Passphrase-42"


def path_is(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def test_first_run_setup_logout_and_login(page: Any, photonix_server: LiveServer) -> None:
    # A fresh installation sends every page to the first-run setup.
    page.goto("/")
    expect(page).to_have_url(path_is("/setup"))
    expect(page.get_by_role("heading", name="Welcome to Photonix")).to_be_visible()

    # Mismatched passwords are caught before anything is sent.
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD + "x")
    page.get_by_role("button", name="Create admin account").click()
    expect(page.get_by_text("Passwords do not match.")).to_be_visible()
    expect(page).to_have_url(path_is("/setup"))

    # Creating the admin signs them in and lands on home.
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_label("Email (optional)").fill("admin@example.org")
    page.get_by_role("button", name="Create admin account").click()
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_test_id("current-user")).to_have_text(ADMIN)
    # The system status lives in Settings.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page).to_have_url(path_is("/settings"))
    status = page.get_by_role("region", name="System status")
    expect(status.get_by_test_id("status-database").get_by_text("OK")).to_be_visible()
    expect(status.get_by_test_id("status-broker")).to_be_visible()
    expect(status.get_by_test_id("status-workers")).to_be_visible()

    # The session survives a reload (served by Django's catch-all index).
    page.reload()
    expect(page.get_by_test_id("current-user")).to_have_text(ADMIN)

    # Log out: back to the login page; setup is not offered again.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(path_is("/login"))
    page.goto("/setup")
    expect(page).to_have_url(path_is("/login"))

    # A wrong password shows the server's message.
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page).to_have_url(path_is("/login"))

    # The right one leads home again.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_test_id("current-user")).to_have_text(ADMIN)


def test_setup_shows_server_validation_beside_the_field(
    page: Any, photonix_server: LiveServer
) -> None:
    page.goto("/setup")
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password", exact=True).fill("123")
    page.get_by_label("Confirm password").fill("123")
    page.get_by_role("button", name="Create admin account").click()
    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile(r"\S"))
    expect(page).to_have_url(path_is("/setup"))
