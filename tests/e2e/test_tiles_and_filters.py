"""Tiles, filters and named dates in a real browser, on a small library written into the database.

What needs a browser: a tile's alt text (its caption and date) on the timeline and in an album's
"Add photos" picker (which shows what a photo is instead of a broken image, and searches), the
keyboard focus ring drawn over a tile, a long camera name that leaves its count in view, the
shutter speed filter typed as photographers write it, and the library's named dates in Settings.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin

pytestmark = pytest.mark.e2e

LONG_CAMERA = "Hasselblad X2D 100C Medium Format Mirrorless Special Edition With A Long Name"

# Three photos, none processed yet (no thumbnails): a beach in Lisbon at 1/250 s with a long-named
# camera, a cat at 2 s, and one the pipeline could not show. Prints the library and photo ids.
SEED = f"""
import datetime as dt
from django.db import transaction
from photonix.classifiers.models import PhotoTag, Tag
from photonix.core.models import User
from photonix.library.models import Camera, Library, LibraryFolder, LibraryMember, Photo, PhotoFile

with transaction.atomic():
    library = Library.objects.create(name="Trips")
    admin = User.objects.get(username="admin")
    LibraryMember.objects.create(library=library, user=admin, role="owner")
    folder = LibraryFolder.objects.create(library=library, path="/seeded/trips", watched=False)
    camera = Camera.objects.create(make="Hasselblad", model={LONG_CAMERA[len("Hasselblad ") :]!r})
    def photo(day, **facts):
        taken = dt.datetime(2014, 9, day, 10, tzinfo=dt.UTC)
        made = Photo.objects.create(library=library, taken_local=taken, width=400, height=300,
                                    placeholder="3OcRJYB4d3h/iIeHeEh3eIhw+j2w", **facts)
        made.preferred_file = PhotoFile.objects.create(
            library=library, folder=folder, photo=made, path=f"/seeded/trips/{{day}}.jpg",
            kind="photo", state="ok", size=1, mtime_ns=1, file_type="JPEG")
        made.save(update_fields=["preferred_file"])
        return made
    beach = photo(19, camera=camera, exposure_time=1 / 250)
    cat = photo(18, camera=camera, exposure_time=2.0)
    broken = photo(17, failure="damaged JPEG file")
    portugal = Tag.objects.create(library=library, type="place", name="Portugal")
    lisbon = Tag.objects.create(library=library, type="place", name="Lisbon", parent=portugal)
    for made, tag in ((beach, Tag.objects.create(library=library, type="object", name="beach")),
                      (beach, lisbon),
                      (cat, Tag.objects.create(library=library, type="object", name="cat"))):
        PhotoTag.objects.create(photo=made, tag=tag, source="test", confidence=0.9)
print(library.pk, beach.pk, cat.pk, broken.pk)
"""


def test_tiles_filters_and_named_dates(page: Any, photonix_server: LiveServer) -> None:
    create_admin(page)
    seeded = photonix_server.manage("shell", "-c", SEED)
    library, beach, cat, _broken = (int(v) for v in seeded.splitlines()[-1].split())
    page.reload()

    # A tile's image says what it shows and when, in the browser's language (en-US here).
    beach_tile = page.locator(f'.tile[data-photo-id="{beach}"]')
    expect(beach_tile.get_by_role("link")).to_have_accessible_name(
        "Beach in Lisbon, Portugal, Sep 19, 2014"
    )
    expect(beach_tile.locator("img")).to_have_attribute(
        "alt", "Beach in Lisbon, Portugal, Sep 19, 2014"
    )

    # The keyboard reaches the tile, and its focus ring is drawn over the photo: the focus colour,
    # then a white ring inside a near-black one.
    link = beach_tile.get_by_role("link")
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    ring = link.evaluate("el => getComputedStyle(el, '::after').boxShadow")
    assert re.search(r"rgb\(255, 255, 255\) 0px 0px 0px 5px inset", ring), ring
    assert re.search(r"rgb\(17, 17, 17\) 0px 0px 0px 7px inset", ring), ring

    # The filter panel: a long camera name is cut with an ellipsis, its count stays in view.
    filters = page.get_by_role("button", name=re.compile("^Filters"))
    if filters.get_attribute("aria-expanded") == "false":  # open by default on a wide window
        filters.click()
    panel = page.get_by_role("complementary", name="Filters")
    expect(page.get_by_test_id("facet-total")).to_have_text("3 photos")
    option = page.get_by_test_id("facet-cameras").locator(".facet__option").first
    expect(option.locator(".facet__name")).to_have_attribute("title", LONG_CAMERA)
    count = option.locator(".facet__count")
    expect(count).to_have_text("2")
    panel_box, count_box = panel.bounding_box(), count.bounding_box()
    assert count_box["x"] + count_box["width"] <= panel_box["x"] + panel_box["width"], (
        count_box,
        panel_box,
    )

    # Shutter speeds as photographers write them: shown as 1/250 s, typed as 1/250; the API
    # still gets seconds, and one photo is left.
    shutter = panel.get_by_role("group", name=re.compile("^Shutter speed"))
    expect(shutter).to_contain_text("(1/250 s – 2 s)")
    shutter.get_by_label("Shutter speed (s) to").fill("fast")
    shutter.get_by_label("Shutter speed (s) to").press("Enter")
    expect(shutter.get_by_text("Write a shutter speed as 1/250, 0.5 or 2 s.")).to_be_visible()
    shutter.get_by_label("Shutter speed (s) to").fill("1/250")
    shutter.get_by_label("Shutter speed (s) to").press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]exposure_max=0\.004(&|$)"))
    expect(page.get_by_test_id("facet-total")).to_have_text("1 photo")
    expect(page.get_by_role("button", name="Remove filter Shutter …–1/250 s")).to_be_visible()
    expect(page.locator(f'.tile[data-photo-id="{cat}"]')).to_have_count(0)
    page.get_by_role("button", name="Clear all filters").click()

    # An album's picker: no broken images for photos without one, and a search.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Albums").click()
    page.get_by_role("button", name="New album").click()
    page.get_by_label("Name").fill("Portugal")
    page.get_by_role("button", name="Create album").click()
    page.get_by_role("button", name="Add photos").first.click()
    picker = page.get_by_role("dialog", name="Add photos")
    photos = picker.get_by_role("list", name="Library photos")
    expect(photos.get_by_role("listitem")).to_have_count(3)
    expect(
        photos.get_by_test_id("picker-placeholder").filter(has_text="Could not be shown")
    ).to_have_count(1)
    picker.get_by_label("Search the library's photos").fill("beach")
    picker.get_by_role("button", name="Search").click()
    expect(photos.get_by_role("listitem")).to_have_count(1)
    expect(photos.get_by_role("checkbox")).to_have_accessible_name(
        "Beach in Lisbon, Portugal, Sep 19, 2014"
    )
    picker.get_by_role("button", name="Cancel").click()

    # Named dates in Settings: the owner adds one, with a clear error first.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    dates = page.get_by_test_id(f"named-dates-{library}")
    dates.get_by_role("button", name="Add date").click()
    expect(dates.get_by_text("Give the date a name.")).to_be_visible()
    dates.get_by_label("Name", exact=True).fill("Grandma's birthday")
    dates.get_by_label("Day", exact=True).fill("1950-03-02")
    dates.get_by_role("button", name="Add date").click()
    expect(dates.get_by_role("listitem")).to_contain_text("Mar 2, every year since 1950")
    events = page.request.get(f"/api/libraries/{library}/events").json()
    assert [(e["name"], e["date"], e["yearly"]) for e in events] == [
        ("Grandma's birthday", "1950-03-02", True)
    ]
