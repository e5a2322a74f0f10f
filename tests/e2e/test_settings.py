"""Settings in a real browser: a library's members and folders, managed by its owners.

The admin creates a library from Settings, then — in the library's card — is refused demoting
themselves (the last owner), adds a user as a viewer and makes them an owner, is refused a
folder that does not exist, adds a real one, switches its watching off, removes it (the dialog
says the files stay on disk; they do), and renames the library. The new owner, who is not an
administrator, signs in: they manage the library but cannot add folders, and once they make
themselves a viewer the controls go away. No worker runs: nothing here needs the import.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import PASSWORD, LiveServer, create_admin, path_is, shoot

pytestmark = pytest.mark.e2e

OLIVIA = "olivia"


def _create_user(server: LiveServer, username: str) -> None:
    code = (
        "from photonix.core.models import User; "
        f"User.objects.create_user({username!r}, password={PASSWORD!r})"
    )
    server.manage("shell", "-c", code)


def _log_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(path_is("/"))


def test_owner_manages_members_and_folders(
    page: Any, browser: Any, photonix_server: LiveServer, tmp_path: Path
) -> None:
    family = photonix_server.data_dir / "photos" / "family"
    extra = photonix_server.data_dir / "photos" / "extra"
    family.mkdir(parents=True)
    extra.mkdir(parents=True)
    kept = extra / "keep-me.jpg"
    kept.write_bytes(b"\xff\xd8\xff\xe0 not really a photo, but a file that must stay")

    create_admin(page)
    _create_user(photonix_server, OLIVIA)  # after the admin: any account ends the first run
    page.goto("/settings")
    add_library = page.get_by_role("form", name="Add a library")
    add_library.get_by_label("Name").fill("Family")
    add_library.get_by_label("Folders on the server").fill(str(family))
    add_library.get_by_role("button", name="Add library").click()

    card = page.get_by_role("article", name="Family")
    expect(card.get_by_text("Your role: Owner")).to_be_visible()
    members = card.get_by_test_id(f"members-{_library_id(card)}")

    # The last owner cannot demote themselves: the server's reason is shown.
    members.get_by_label("Role of admin").select_option("viewer")
    expect(members.get_by_role("alert")).to_contain_text("A library keeps at least one owner")
    page.reload()
    expect(card.get_by_label("Role of admin")).to_have_value("owner")

    # An unknown username is refused on the field; a real one is added as a viewer, then promoted.
    add_member = card.get_by_role("form", name="Add a member to Family")
    add_member.get_by_label("Username").fill("nobody")
    add_member.get_by_role("button", name="Add member").click()
    expect(add_member.get_by_role("alert")).to_have_text("No active user is called 'nobody'.")
    add_member.get_by_label("Username").fill(OLIVIA)
    add_member.get_by_label("Role").select_option("viewer")
    add_member.get_by_role("button", name="Add member").click()
    expect(card.get_by_label(f"Role of {OLIVIA}")).to_have_value("viewer")
    card.get_by_label(f"Role of {OLIVIA}").select_option("owner")
    page.reload()
    expect(card.get_by_label(f"Role of {OLIVIA}")).to_have_value("owner")

    # Folders: a missing one is refused with the reason; a real one is added, unwatched, removed.
    card.get_by_role("button", name="Add a folder").click()
    add_folder = card.get_by_role("form", name="Add a folder to Family")
    path_field = add_folder.get_by_label("Folder on the server", exact=True)
    path_field.fill(str(photonix_server.data_dir / "photos" / "nope"))
    add_folder.get_by_role("button", name="Add folder").click()
    expect(add_folder.get_by_role("alert")).to_contain_text("not a folder")
    path_field.fill(str(extra))
    add_folder.get_by_role("button", name="Add folder").click()
    watch = card.get_by_role("switch", name=f"Watch {extra}")
    expect(watch).to_be_checked()
    watch.click()  # the switch follows the server's answer
    expect(watch).not_to_be_checked()
    page.reload()
    expect(card.get_by_role("switch", name=f"Watch {extra}")).not_to_be_checked()
    expect(card.get_by_role("switch", name=f"Watch {family}")).to_be_checked()
    shoot(page, "settings-library", tmp_path)

    card.get_by_role("button", name=f"Remove folder {extra}").click()
    dialog = page.get_by_role("dialog", name=f"Remove {extra} from Family?")
    expect(dialog).to_contain_text("Nothing on disk is deleted")
    dialog.get_by_role("button", name="Remove folder").click()
    expect(card.get_by_role("status")).to_contain_text("The files on disk were not touched.")
    expect(card.get_by_role("button", name=f"Remove folder {extra}")).to_have_count(0)
    assert kept.is_file(), "removing the folder deleted a file on disk"
    assert extra.is_dir()

    # Rename.
    card.get_by_role("button", name="Rename Family").click()
    page.get_by_label("Library name").fill("Family photos")
    page.get_by_role("button", name="Save", exact=True).click()
    renamed = page.get_by_role("article", name="Family photos")
    expect(renamed.get_by_role("heading", name="Family photos")).to_be_visible()

    # The new owner is not an administrator: they manage the library, but add no folders.
    context = browser.new_context(base_url=photonix_server.url)
    try:
        other = context.new_page()
        _log_in(other, OLIVIA)
        other.goto("/settings")
        theirs = other.get_by_role("article", name="Family photos")
        expect(theirs.get_by_text("Your role: Owner")).to_be_visible()
        expect(theirs.get_by_role("button", name=f"Remove folder {family}")).to_be_visible()
        expect(theirs.get_by_text("An administrator adds folders.")).to_be_visible()
        expect(theirs.get_by_role("button", name="Add a folder")).to_have_count(0)
        # They step down to viewer: the controls go, the lists stay.
        theirs.get_by_label(f"Role of {OLIVIA}").select_option("viewer")
        expect(theirs.get_by_text("Your role: Viewer")).to_be_visible()
        expect(theirs.get_by_role("button", name=f"Remove folder {family}")).to_have_count(0)
        expect(theirs.get_by_role("combobox")).to_have_count(0)
        expect(theirs.get_by_test_id(f"member-{OLIVIA}")).to_contain_text("Viewer")
        expect(theirs.get_by_test_id(f"folder-{family}")).to_be_visible()
    finally:
        context.close()


def _library_id(card: Any) -> str:
    expect(card).to_have_attribute("data-testid", re.compile(r"^library-\d+$"))
    return str(card.get_attribute("data-testid")).removeprefix("library-")
