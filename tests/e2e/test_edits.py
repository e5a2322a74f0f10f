"""Edits from the viewer, in a real browser against the real server: an undated photo's date set
with its time zone, and three quick clicks on Rotate that all count.

The photo is written straight into the server's database, as recording leaves a file that holds
no date (its date is the file's time); no worker runs, so no thumbnail is drawn.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin
from tests.waiting import wait_for

pytestmark = pytest.mark.e2e

SEED = """
import datetime as dt
from django.contrib.auth import get_user_model
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile

library = Library.objects.create(name="Family")
LibraryMember.objects.create(library=library, user=get_user_model().objects.get(), role="owner")
folder = LibraryFolder.objects.create(library=library, path="/photos/family")
photo = Photo.objects.create(
    library=library, taken_local=dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC),
    taken_source="mtime", width=400, height=300,
)
file = PhotoFile.objects.create(
    library=library, folder=folder, photo=photo, path="/photos/family/scan-001.jpg",
    kind="photo", state="ok", size=1000, mtime_ns=0, file_type="JPEG",
)
Photo.objects.filter(pk=photo.pk).update(preferred_file=file)
print(photo.pk)
"""


def test_set_an_undated_photos_date_and_rotate_three_times(
    page: Any, photonix_server: LiveServer
) -> None:
    create_admin(page)
    photo_id = photonix_server.manage("shell", "-c", SEED).split()[-1]
    page.goto(f"/photos/{photo_id}")
    # The information panel is open by default on a wide window.
    expect(page.get_by_role("button", name="Info")).to_have_attribute("aria-pressed", "true")
    info = page.get_by_role("complementary", name="Photo information")
    expect(info.get_by_test_id("info-undated")).to_be_visible()

    info.get_by_role("button", name="Set date").click()
    form = info.get_by_role("form", name="Edit date")
    form.get_by_label("Taken on").fill("2019-07-14T21:30")
    form.get_by_label("Time zone").select_option("-04:00")
    form.get_by_role("button", name="Save date").click()
    expect(form).to_be_hidden()
    expect(info.get_by_test_id("info-undated")).to_be_hidden()
    expect(info.get_by_test_id("info-date")).to_contain_text("2019")
    body = page.request.get(f"/api/photos/{photo_id}").json()
    assert (body["taken_at"], body["taken_source"]) == ("2019-07-14T21:30:00-04:00", "person")
    assert body["undated"] is False and body["edited"] == ["taken"]

    # Three quick clicks: each request is sent before the previous one is answered.
    rotate = info.get_by_role("button", name="Rotate")
    rotate.click()
    rotate.click()
    rotate.click()
    turned = wait_for(
        lambda: page.request.get(f"/api/photos/{photo_id}").json()["user_rotation"] == 270,
        timeout=15,
        what="three quarter turns saved",
    )
    assert turned
    assert page.request.get(f"/api/photos/{photo_id}").json()["width"] == 300
