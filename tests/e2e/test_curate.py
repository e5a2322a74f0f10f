"""Curating in a real browser: select → favourite → archive → trash → restore.

Two photos whose files are real JPEGs on disk (restoring checks the original is still there),
written into the database of the real server.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).parents[1] / "fixtures" / "photos" / "jpeg-exif" / "Canon_40D.jpg"

SEED = """
import datetime as dt
from django.db import transaction
from photonix.core.models import User
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile

with transaction.atomic():
    library = Library.objects.create(name="Home")
    LibraryMember.objects.create(library=library, user=User.objects.get(username="admin"),
                                 role="owner")
    folder = LibraryFolder.objects.create(library=library, path={root!r}, watched=False)
    made = []
    for day in (1, 2):
        photo = Photo.objects.create(library=library, width=400, height=300,
                                     taken_local=dt.datetime(2020, 5, day, 10, tzinfo=dt.UTC))
        photo.preferred_file = PhotoFile.objects.create(
            library=library, folder=folder, photo=photo, path=f"{root}/{{day}}.jpg",
            kind="photo", state="ok", size=1, mtime_ns=1, file_type="JPEG")
        photo.save(update_fields=["preferred_file"])
        made.append(photo.pk)
print(*made)
"""


def test_select_favourite_archive_trash_and_restore(
    page: Any, photonix_server: LiveServer, tmp_path: Path
) -> None:
    root = tmp_path / "home"
    root.mkdir()
    for day in (1, 2):
        shutil.copy(FIXTURE, root / f"{day}.jpg")
    create_admin(page)
    seeded = photonix_server.manage("shell", "-c", SEED.format(root=str(root)))
    first, second = (int(v) for v in seeded.splitlines()[-1].split())
    page.reload()
    tile = {pk: page.locator(f'.tile[data-photo-id="{pk}"]') for pk in (first, second)}
    views = page.get_by_role("navigation", name="Views")
    bar = page.get_by_role("toolbar", name="Selected photos")

    # Select both, favourite them: a heart on each tile, and both on the Favourites page.
    for pk in (first, second):
        tile[pk].get_by_role("button", name="Select photo").click()
    expect(page.get_by_test_id("selection-count")).to_have_text("2 selected")
    bar.get_by_role("button", name="Favourite").click()
    expect(bar.get_by_role("status")).to_have_text("Added 2 photos to the favourites.")
    for pk in (first, second):
        expect(tile[pk].get_by_role("img", name="Favourite")).to_be_visible()
    page.keyboard.press("Escape")

    # Archive the first from the keyboard: it leaves the timeline for the Archive.
    tile[first].get_by_role("button", name="Select photo").click()
    page.keyboard.press("a")
    expect(tile[first]).to_have_count(0)
    views.get_by_role("button", name="Archive").click()
    expect(page).to_have_url(re.compile(r"[?&]archived=1"))
    expect(tile[first]).to_be_visible()
    expect(tile[second]).to_have_count(0)

    # Back to all photos; the second goes to the trash with the Delete key.
    views.get_by_role("button", name="All photos").click()
    tile[second].get_by_role("button", name="Select photo").click()
    page.keyboard.press("Delete")
    expect(tile[second]).to_have_count(0)
    views.get_by_role("button", name="Trash").click()
    expect(page.get_by_test_id("trash-notice")).to_contain_text("deleted for good after 30 days")
    expect(tile[second]).to_be_visible()
    expect(tile[first]).to_have_count(0)

    # Restore it: out of the trash, back on the timeline with its heart.
    tile[second].get_by_role("button", name="Select photo").click()
    bar.get_by_role("button", name="Restore").click()
    expect(bar).to_have_count(0)  # restored, the selection is cleared
    expect(tile[second]).to_have_count(0)
    views.get_by_role("button", name="All photos").click()
    expect(tile[second].get_by_role("img", name="Favourite")).to_be_visible()
    expect(tile[first]).to_have_count(0)  # still archived
