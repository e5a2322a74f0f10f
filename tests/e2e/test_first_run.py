"""The first-run story in a real browser: setup, the first library, home, log out, log in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, shoot

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"

ADMIN = "admin"
PASSWORD = "a-long-Passphrase-42"


def path_is(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def test_first_run_setup_logout_and_login(
    page: Any, photonix_server: LiveServer, tmp_path: Path
) -> None:
    # Photos on the server's disk, in a folder the administrator will find by browsing.
    disk = tmp_path / "disk"
    photos = disk / "Photos"
    (photos / "2019").mkdir(parents=True)
    (disk / "Documents").mkdir()
    for name in ("DSCN0010.jpg", "DSCN0012.jpg"):
        shutil.copyfile(FIXTURES / "gps" / name, photos / name)

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

    # Creating the admin signs them in and goes on to the first library.
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_label("Email (optional)").fill("admin@example.org")
    page.get_by_role("button", name="Create admin account").click()
    expect(page).to_have_url(path_is("/welcome"))
    expect(page.get_by_role("heading", name="Set up your first library")).to_be_visible()

    # The folders are browsed on the server: type where to start, open a sub-folder, add it.
    page.get_by_label("Library name").fill("Family")
    page.get_by_label("Folder", exact=True).fill(str(tmp_path / "nowhere"))
    page.get_by_label("Folder", exact=True).press("Enter")
    expect(
        page.get_by_text(f"{tmp_path / 'nowhere'}: no such folder on the server")
    ).to_be_visible()
    page.get_by_label("Folder", exact=True).fill(str(disk))
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_test_id("welcome-folders-here")).to_contain_text(str(disk))
    page.get_by_role("button", name="Photos", exact=True).click()
    expect(page.get_by_test_id("welcome-folders-here")).to_contain_text("2 photos directly inside")
    page.get_by_role("button", name="Add this folder").click()
    expect(page.get_by_role("list", name="Folders of this library")).to_contain_text(str(photos))
    shoot(page, "welcome", tmp_path)
    page.get_by_role("button", name="Next").click()

    # Which classifiers run, chosen before anything is imported.
    faces = page.get_by_role("switch", name=re.compile("^Faces"))
    expect(faces).to_be_checked()
    faces.uncheck()
    shoot(page, "welcome-classifiers", tmp_path)
    page.get_by_role("button", name="Start importing").click()
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_test_id("current-user")).to_have_text(ADMIN)

    # Settings shows the library, its folder, and the switches as chosen; and the system status.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page).to_have_url(path_is("/settings"))
    library = page.get_by_role("article", name="Family")
    expect(library).to_contain_text(str(photos))
    expect(library.get_by_role("switch", name="Faces")).not_to_be_checked()
    expect(library.get_by_role("switch", name="Objects")).to_be_checked()
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
