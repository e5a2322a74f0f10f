"""The password asked again in a real browser, once a session's entry of it is too old.

The admin signs in (first-run setup), then the session is aged past
``PHOTONIX_RECENT_PASSWORD_MINUTES`` on the server. Creating an API token then opens the
"Confirm your password" dialog: Escape closes it and the token is refused with the reason; a
wrong password is said under the field; the right one confirms it and the same request goes
again and creates the token.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import PASSWORD, LiveServer, create_admin

pytestmark = pytest.mark.e2e

# Every session of the server, its password entered at the epoch: long before any window.
AGE_SESSIONS = (
    "from django.contrib.sessions.backends.db import SessionStore; "
    "from django.contrib.sessions.models import Session; "
    "from photonix.core.auth import PASSWORD_ENTERED_AT; "
    "stores = [SessionStore(session_key=key) for key in "
    "Session.objects.values_list('session_key', flat=True)]; "
    "[store.__setitem__(PASSWORD_ENTERED_AT, 0.0) or store.save() for store in stores]; "
    "print(len(stores))"
)


def test_an_old_session_confirms_the_password_then_creates_a_token(
    page: Any, photonix_server: LiveServer
) -> None:
    create_admin(page)
    aged = photonix_server.manage("shell", "-c", AGE_SESSIONS).split()
    assert int(aged[-1]) >= 1, aged
    page.goto("/account")
    name = page.get_by_label("New token name")
    create = page.get_by_role("button", name="Create token")
    dialog = page.get_by_role("dialog", name="Confirm your password")
    field = dialog.get_by_label("Your password")

    name.fill("backup script")
    create.click()
    expect(field).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("alert")).to_contain_text("Enter your password again to do this.")

    create.click()
    field.fill("not my password")
    dialog.get_by_role("button", name="Confirm").click()
    expect(dialog.get_by_text("Wrong password.")).to_be_visible()
    field.fill(PASSWORD)
    field.press("Enter")
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("new-token")).to_contain_text("pnx_")
    expect(page.get_by_test_id("token-reveal")).to_contain_text("backup script")
