"""The web app in a real browser, on a library of the sample photos imported by a real worker.

One server for the whole journey (importing takes a while): log in, add the library in Settings,
let a worker import it, then scroll the timeline, step through photos with the keyboard, rate one,
reload a deep link, filter by camera and by a tag, search a place, open the map and a marker, and
select a range to tag it. Screenshots of the main views are saved beside the test's temporary
files; with ``PHOTONIX_SCREENSHOTS=1`` they also refresh ``docs/screenshots/`` (the README's).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin, path_is, shoot

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "photos"
SAMPLE_FOLDERS = ("jpeg-exif", "gps", "orientation", "faces-objects", "png-webp-tiff")
IMPORT_TIMEOUT = 600


def api_json(page: Any, path: str) -> Any:
    response = page.request.get(path)
    assert response.ok, f"GET {path}: HTTP {response.status}"
    return response.json()


def import_with_worker(server: LiveServer, tmp_path: Path) -> None:
    """Run a real worker until the pipeline is idle (`photonix wait`), then stop it."""
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "photonix", "worker", "--concurrency", "2"],
        env=dict(server.env),
        cwd=server.cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        waited = subprocess.run(
            [sys.executable, "-m", "photonix", "wait", "--timeout", str(IMPORT_TIMEOUT)],
            env=dict(server.env),
            cwd=server.cwd,
            capture_output=True,
            text=True,
            timeout=IMPORT_TIMEOUT + 60,
            check=False,
        )
        assert waited.returncode == 0, f"photonix wait: {waited.stdout}\n{waited.stderr}"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        log.close()


def nav(page: Any, name: str) -> Any:
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


def photos_text(count: int) -> str:
    """The web app's count of photos: "1 photo", "12 photos"."""
    return f"{count} photo" if count == 1 else f"{count} photos"


def tiles(page: Any) -> Any:
    return page.locator(".tile")


# The whole journey imports and processes real photos with a real worker: on a machine busy
# with other suites it can outlast the default limit, which is there to stop a hang.
@pytest.mark.timeout(900)
def test_webapp_journey(page: Any, photonix_server: LiveServer, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    for folder in SAMPLE_FOLDERS:
        shutil.copytree(FIXTURES / folder, photos / folder)

    # A fresh install: the admin signs in to an empty timeline.
    create_admin(page)
    expect(page.get_by_text("No photos yet.")).to_be_visible()

    # Settings: the admin adds the library of samples (not watched: no watcher runs here).
    nav(page, "Settings").click()
    expect(page).to_have_url(path_is("/settings"))
    page.get_by_label("Name").fill("Samples")
    page.get_by_label("Folders on the server").fill(str(photos))
    page.get_by_label("Watch the folders for new photos").uncheck()
    page.get_by_role("button", name="Add library").click()
    expect(page.get_by_role("article", name="Samples")).to_be_visible()

    import_with_worker(photonix_server, tmp_path)
    page.reload()
    samples = page.get_by_role("article", name="Samples")
    expect(samples).to_contain_text(re.compile(r"[1-9]\d* photos"))
    expect(page.get_by_role("region", name="System status")).to_be_visible()
    shoot(page, "settings", tmp_path)

    # The timeline: month and day headings, a justified grid with thumbnails.
    nav(page, "Photos").click()
    expect(page).to_have_url(path_is("/"))
    expect(tiles(page).first).to_be_visible()
    total = api_json(page, "/api/timeline/facets")["total"]
    assert total >= 20
    expect(page.locator(".tl-month").first).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.thumb__img')]"
        ".some(i => i.complete && i.naturalWidth > 0)"
    )
    shoot(page, "timeline", tmp_path)

    # Scroll to the end and back (that the grid stays virtualised is checked on a library large
    # enough to need it: test_timeline_stays_virtualised_on_a_large_library).
    scroller = page.get_by_test_id("timeline-scroller")
    first_id = tiles(page).first.get_attribute("data-photo-id")
    everything = api_json(page, "/api/timeline?limit=200")
    assert everything["next_cursor"] is None  # the samples fit in one page
    oldest_id = everything["results"][-1]["id"]
    scroller.evaluate(
        "el => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); }"
    )
    expect(page.locator(f'.tile[data-photo-id="{oldest_id}"]')).to_be_in_viewport()
    scroller.evaluate("el => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); }")
    expect(page.locator(f'.tile[data-photo-id="{first_id}"]')).to_be_visible()

    # The viewer: open the first photo, step through with the keyboard.
    tiles(page).first.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/photos/{first_id}$"))
    viewer = page.get_by_test_id("viewer")
    expect(viewer).to_be_visible()
    expect(page.get_by_test_id("viewer-position")).to_have_text(re.compile(r"^1 / \d+"))
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("viewer-position")).to_have_text(re.compile(r"^2 / "))
    second_url = page.url
    assert not second_url.endswith(f"/photos/{first_id}")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("viewer-position")).to_have_text(re.compile(r"^3 / "))
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(second_url)
    expect(page.get_by_role("complementary", name="Photo information")).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=viewer-image]');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    shoot(page, "viewer", tmp_path)

    # Rate it with the stars; the server has it.
    photo_id = int(second_url.rsplit("/", 1)[1])
    info = page.get_by_role("complementary", name="Photo information")
    info.get_by_role("button", name="4 stars").click()
    expect(info.get_by_role("button", name="4 stars")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        f"async () => (await (await fetch('/api/photos/{photo_id}')).json()).rating === 4"
    )

    # A deep link survives a reload.
    page.reload()
    expect(page.get_by_test_id("viewer")).to_be_visible()
    expect(page.get_by_test_id("viewer-position")).to_have_text(re.compile(r"^2 / "))
    page.keyboard.press("Escape")
    expect(page).to_have_url(path_is("/"))

    # Filter by camera: the facet narrows the timeline and lands in the URL.
    facets = api_json(page, "/api/timeline/facets")
    camera = max(facets["cameras"], key=lambda c: c["count"])
    page.get_by_test_id("facet-cameras").get_by_label(camera["name"]).click()
    expect(page).to_have_url(re.compile(rf"[?&]camera={camera['id']}"))
    expect(page.get_by_test_id("facet-total")).to_have_text(photos_text(camera["count"]))
    expect(tiles(page).first).to_be_visible()
    expect(page.get_by_role("button", name=f"Remove filter {camera['name']}")).to_be_visible()
    shoot(page, "filters", tmp_path)
    page.get_by_role("button", name=f"Remove filter {camera['name']}").click()
    expect(page).to_have_url(path_is("/"))

    # Filter by a tag (any classifier's tag other than places and colours, else a colour).
    tag_types = [t for t, tags in facets["tags"].items() if tags and t not in ("place", "colour")]
    if tag_types:
        tag = max(facets["tags"][tag_types[0]], key=lambda t: t["count"])
        page.get_by_test_id(f"facet-tags-{tag_types[0]}").get_by_label(tag["name"]).click()
        expect(page).to_have_url(re.compile(rf"[?&]tag={tag['id']}"))
    else:
        tag = max(facets["tags"]["colour"], key=lambda t: t["count"])
        page.get_by_role("button", name=f"{tag['name']} ({tag['count']})").click()
        expect(page).to_have_url(re.compile(rf"[?&]colour={tag['id']}"))
    expect(page.get_by_test_id("facet-total")).to_have_text(photos_text(tag["count"]))
    expect(tiles(page).first).to_be_visible()
    page.get_by_role("button", name="Clear all filters").click()
    expect(page).to_have_url(path_is("/"))

    # Search a place name (the places classifier's tags), or a camera if there are none.
    places = facets["tags"].get("place") or []
    if places:
        word, param = places[0]["name"], "place"
    else:
        word, param = camera["name"].split()[0], "camera"
    search = page.get_by_role("combobox", name="Search photos")
    search.fill(word)
    option = page.get_by_role("option").filter(has_text=word).first
    expect(option).to_be_visible()
    option.click()
    expect(page).to_have_url(re.compile(rf"[?&]{param}=\d+"))
    expect(tiles(page).first).to_be_visible()
    shoot(page, "search", tmp_path)
    page.get_by_role("button", name="Clear all filters").click()

    # The map: photos with GPS as markers on the offline world map; a marker opens its photo.
    nav(page, "Map").click()
    expect(page).to_have_url(path_is("/map"))
    expect(page.get_by_test_id("map-count")).to_contain_text("with a location")
    markers = page.locator(".map-thumb")
    for _ in range(6):
        if markers.count():
            break
        page.locator(".map-cluster").first.click()
        page.wait_for_timeout(500)
    expect(markers.first).to_be_visible()
    shoot(page, "map", tmp_path)
    markers.first.click()
    expect(page).to_have_url(re.compile(r"/photos/\d+"))
    expect(page.get_by_test_id("viewer")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).to_have_url(path_is("/map"))

    # Select a range (click, then shift-click) and add a tag to all of it.
    nav(page, "Photos").click()
    expect(tiles(page).first).to_be_visible()
    ids = [tiles(page).nth(i).get_attribute("data-photo-id") for i in range(3)]
    tiles(page).nth(0).get_by_role("button", name="Select photo").click()
    tiles(page).nth(2).get_by_role("button", name="Select photo").click(modifiers=["Shift"])
    expect(page.get_by_test_id("selection-count")).to_have_text("3 selected")
    shoot(page, "selection", tmp_path)
    page.get_by_role("button", name="Add tag").click()
    page.get_by_label("Tag name").fill("e2e trip")
    page.get_by_role("button", name="Add", exact=True).click()
    toolbar = page.get_by_role("toolbar", name="Selected photos")
    expect(toolbar.get_by_role("status")).to_contain_text("Tagged 3")
    for photo in ids:
        detail = api_json(page, f"/api/photos/{photo}")
        assert "e2e trip" in {t["name"] for t in detail["tags"]}, detail["tags"]

    # The keyboard help.
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")

    # Face boxes on a photo with detected faces, toggled with "f".
    timeline = api_json(page, "/api/timeline?limit=200")["results"]
    with_faces = next(p["id"] for p in timeline if api_json(page, f"/api/photos/{p['id']}/faces"))
    page.goto(f"{photonix_server.url}/photos/{with_faces}")
    expect(page.get_by_test_id("viewer")).to_be_visible()
    expect(page.get_by_test_id("face-boxes")).to_have_count(0)
    page.keyboard.press("f")
    boxes = page.get_by_test_id("face-boxes").locator(".viewer__face")
    expect(boxes.first).to_be_visible()
    expect(page.get_by_role("button", name="Faces")).to_have_attribute("aria-pressed", "true")

    # The object detector's boxes, each labelled with its class, toggled with "o".
    def boxed(photo_id: int) -> set[str]:
        rows = api_json(page, f"/api/photos/{photo_id}/tags")["tags"].get("object", [])
        return {row["name"] for row in rows if row["box"]}

    with_horse = next(p["id"] for p in timeline if "horse" in boxed(p["id"]))
    page.goto(f"{photonix_server.url}/photos/{with_horse}")
    expect(page.get_by_test_id("viewer")).to_be_visible()
    expect(page.get_by_test_id("object-boxes")).to_have_count(0)
    page.keyboard.press("o")
    objects = page.get_by_test_id("object-boxes").locator(".viewer__object")
    expect(objects.filter(has_text=re.compile(r"^horse \d+ %$"))).to_be_visible()
    expect(objects.filter(has_text=re.compile(r"^person \d+ %$")).first).to_be_visible()
    expect(page.get_by_role("button", name="Objects")).to_have_attribute("aria-pressed", "true")
    shoot(page, "object-boxes", tmp_path)
    page.keyboard.press("o")
    expect(page.get_by_test_id("object-boxes")).to_have_count(0)


# Thousands of photos written straight into the database (no files, no pipeline: the timeline
# lists any recorded photo), oldest first; prints the newest and the oldest id.
LARGE_LIBRARY = 6000
SEED_LARGE_LIBRARY = f"""
import datetime as dt
from django.db import transaction
from django.db.models import OuterRef, Subquery
from photonix.core.models import User
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile

with transaction.atomic():
    library = Library.objects.create(name="Large")
    admin = User.objects.get(username="admin")
    LibraryMember.objects.create(library=library, user=admin, role="owner")
    folder = LibraryFolder.objects.create(library=library, path="/seeded/large", watched=False)
    start = dt.datetime(2010, 1, 1, 12, tzinfo=dt.UTC)
    photos = Photo.objects.bulk_create(
        Photo(
            library=library,
            taken_local=start + dt.timedelta(hours=7 * i),
            width=(4000, 3000, 4000)[i % 3],
            height=(3000, 4000, 2250)[i % 3],
            placeholder="3OcRJYB4d3h/iIeHeEh3eIhw+j2w",
        )
        for i in range({LARGE_LIBRARY})
    )
    PhotoFile.objects.bulk_create(
        PhotoFile(
            library=library, folder=folder, photo=p, path=f"/seeded/large/{{p.pk}}.jpg",
            kind="photo", state="ok", size=1, mtime_ns=1, file_type="JPEG",
        )
        for p in photos
    )
    Photo.objects.filter(library=library).update(
        preferred_file_id=Subquery(PhotoFile.objects.filter(photo_id=OuterRef("pk")).values("pk")[:1])
    )
print(photos[-1].pk, photos[0].pk)
"""
# Far below the library's size: a grid that renders everything it loaded fails at once.
MAX_RENDERED_TILES = 500


def test_timeline_stays_virtualised_on_a_large_library(
    page: Any, photonix_server: LiveServer
) -> None:
    create_admin(page)
    seeded = photonix_server.manage("shell", "-c", SEED_LARGE_LIBRARY)
    newest, oldest = (int(v) for v in seeded.splitlines()[-1].split())  # the script's last line
    page.reload()
    expect(page.locator(f'.tile[data-photo-id="{newest}"]')).to_be_visible()
    assert api_json(page, "/api/timeline/facets")["total"] == LARGE_LIBRARY
    scroller = page.get_by_test_id("timeline-scroller")
    oldest_tile = page.locator(f'.tile[data-photo-id="{oldest}"]')

    # Scroll to the end, page after page, until the oldest photo is on screen: at every step
    # the grid holds only what is near the viewport, however many photos are loaded.
    most = 0
    for _ in range(LARGE_LIBRARY // 100):  # far more steps than pages; a stuck grid fails
        height = scroller.evaluate(
            "el => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll'));"
            " return el.scrollHeight; }"
        )
        rendered = tiles(page).count()
        most = max(most, rendered)
        assert 0 < rendered < MAX_RENDERED_TILES, f"{rendered} tiles in the DOM"
        if oldest_tile.count():
            break
        # More photos load as the end comes near: the grid grows (or the oldest shows).
        page.wait_for_function(
            "([height, oldest]) => {"
            " const el = document.querySelector('[data-testid=timeline-scroller]');"
            " return el.scrollHeight > height"
            " || !!document.querySelector(`.tile[data-photo-id='${oldest}']`); }",
            arg=[height, oldest],
        )
    expect(oldest_tile).to_be_visible()
    rendered = tiles(page).count()
    assert 0 < rendered < MAX_RENDERED_TILES, f"{rendered} tiles in the DOM at the end"
    # The newest photo, far above, has left the DOM.
    expect(page.locator(f'.tile[data-photo-id="{newest}"]')).to_have_count(0)
    print(f"at most {most} of {LARGE_LIBRARY} photos rendered while scrolling")  # noqa: T201
