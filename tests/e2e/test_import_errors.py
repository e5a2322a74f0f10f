"""Files that could not be imported, in a real browser: the Settings count leads to the list of
them, each with its path and reason.

The file records are written straight into the server's database, as a scan would leave them.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin, path_is

pytestmark = pytest.mark.e2e

REASON = "UnidentifiedImageError: cannot identify image file"

SEED = """
from django.contrib.auth import get_user_model
from photonix.library.models import Library, LibraryFolder, LibraryMember, PhotoFile

library = Library.objects.create(name="Family")
LibraryMember.objects.create(library=library, user=get_user_model().objects.get(), role="owner")
folder = LibraryFolder.objects.create(library=library, path="/photos/family")
broken = PhotoFile.objects.create(
    library=library, folder=folder, path="/photos/family/2019/broken.jpg", kind="photo",
    state="failed", error=REASON, size=10, mtime_ns=0,
)
print(library.pk, broken.pk)
"""


def test_settings_count_leads_to_the_files_not_imported(
    page: Any, photonix_server: LiveServer
) -> None:
    create_admin(page)
    output = photonix_server.manage("shell", "-c", f"REASON = {REASON!r}\n{SEED}")
    library_id, file_id = output.split()[-2:]
    page.goto("/settings")
    page.get_by_role("link", name="1 could not be imported").click()
    expect(page).to_have_url(path_is(f"/settings/libraries/{library_id}/errors"))
    row = page.get_by_test_id(f"import-error-{file_id}")
    expect(row).to_contain_text("broken.jpg")
    expect(row).to_contain_text("/photos/family/2019/")
    expect(row).to_contain_text(REASON)
