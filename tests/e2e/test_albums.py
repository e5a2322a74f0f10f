"""Albums and public share links in a real browser, on photos imported by a real worker.

The fixture photos are copied into the server's data directory and imported the way an
installation does it: ``photonix library add`` (the admin, created first, owns the library), a
``photonix worker`` process with the server's settings, and ``photonix wait`` until the pipeline
is idle. Then: an album made from a timeline selection (click, shift-click, "Add to album", a new
album), renamed, its photos opened in the viewer in the album's order, reordered by dragging, a
photo removed in the viewer and another on the album page, the album deleted; password-protected
share links with an expiry — to an album, and to a timeline selection — opened in a fresh browser
context (no account), unlocked, viewed, downloaded; revoked, and gone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests import slots
from tests.e2e.support import LiveServer, create_admin, path_is

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "photos"
# Small JPEGs with distinct dates taken, so the album's date order is known.
PHOTOS = [
    "jpeg-exif/Canon_40D.jpg",
    "jpeg-exif/Nikon_D70.jpg",
    "jpeg-exif/Pentax_K10D.jpg",
    "gps/DSCN0010.jpg",
]
LINK_PASSWORD = "grandma-2024"
IMPORT_TIMEOUT = 180
# The import runs on a broker database of its own: other e2e tests share the server's (and flush
# it), and a worker of a test running beside this one would take our tasks to its own database.
# Claimed for this run when first needed (tests/slots.py).


@functools.cache
def import_redis_url() -> str:
    return os.environ.get("PHOTONIX_E2E_IMPORT_REDIS_URL") or slots.claim_url()


def _import_env(server: LiveServer) -> dict[str, str]:
    return {**server.env, "REDIS_URL": import_redis_url()}


def _run(server: LiveServer, *args: str, timeout: float = 120) -> str:
    """``photonix ARGS`` with the server's settings (and the import's broker); output, or fail."""
    result = subprocess.run(
        [sys.executable, "-m", "photonix", *args],
        env=_import_env(server),
        cwd=server.cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"`photonix {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


@contextlib.contextmanager
def running_worker(server: LiveServer, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker on every queue, with the server's settings; stopped afterwards."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "photonix", "worker", "--concurrency", "2"],
            env={**_import_env(server), "PHOTONIX_LOG_LEVEL": "INFO"},
            cwd=server.cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def import_photos(server: LiveServer, tmp_path: Path) -> None:
    import redis

    broker = redis.Redis.from_url(import_redis_url(), socket_timeout=5)
    try:
        broker.flushdb()
    finally:
        broker.close()
    folder = server.data_dir / "photos"
    folder.mkdir()
    for name in PHOTOS:
        shutil.copy(FIXTURES / name, folder / Path(name).name)
    worker_log = tmp_path / "worker.log"
    with running_worker(server, worker_log) as worker:
        _run(server, "library", "add", "--no-watch", "Family", str(folder))
        try:
            _run(server, "wait", "--timeout", str(IMPORT_TIMEOUT), timeout=IMPORT_TIMEOUT + 30)
        except AssertionError:
            tail = worker_log.read_text(errors="replace").splitlines()[-40:]
            raise AssertionError("the import did not finish:\n" + "\n".join(tail)) from None
        assert worker.poll() is None, "the worker died during the import"


def api_json(page: Any, path: str) -> Any:
    response = page.request.get(path)
    assert response.ok, f"GET {path}: HTTP {response.status}"
    return response.json()


def tile_ids(page: Any) -> list[int]:
    return [
        int(v)
        for v in page.get_by_test_id("album-photo").evaluate_all(
            "items => items.map(item => item.dataset.photoId)"
        )
    ]


@pytest.fixture
def imported(page: Any, photonix_server: LiveServer, tmp_path: Path) -> list[dict[str, Any]]:
    """The admin, signed in, with the fixture photos imported and thumbnailed."""
    create_admin(page)
    import_photos(photonix_server, tmp_path)
    photos: list[dict[str, Any]] = api_json(page, "/api/photos?page_size=100")["results"]
    assert len(photos) == len(PHOTOS), photos
    assert all(photo["thumbnail_version"] for photo in photos), photos
    return photos


def select_range_in_timeline(page: Any, first: int, last: int) -> list[int]:
    """Click the first photo's check, shift-click the last's: the range between is selected."""
    page.goto("/")  # loaded afresh: the import ran while the page was open
    tiles = page.locator(".tile")
    expect(tiles).to_have_count(len(PHOTOS))
    ids = [int(v) for v in tiles.evaluate_all("items => items.map(i => i.dataset.photoId)")]
    tiles.nth(first).get_by_role("button", name="Select photo").click()
    tiles.nth(last).get_by_role("button", name="Select photo").click(modifiers=["Shift"])
    expect(page.get_by_test_id("selection-count")).to_have_text(f"{last - first + 1} selected")
    return ids[first : last + 1]


def test_album_lifecycle(page: Any, imported: list[dict[str, Any]]) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Albums").click()
    expect(page.get_by_text("No albums yet.")).to_be_visible()

    # Select every photo in the timeline (click, shift-click) and make a new album of them.
    selected = select_range_in_timeline(page, 0, len(PHOTOS) - 1)
    toolbar = page.get_by_role("toolbar", name="Selected photos")
    toolbar.get_by_role("button", name="Add to album").click()
    dialog = page.get_by_role("dialog", name=f"Add {len(PHOTOS)} photos to an album")
    expect(dialog.get_by_text("You have no album to add to yet.")).to_be_visible()
    dialog.get_by_label("New album").fill("Holidays")
    dialog.get_by_role("button", name="Create album with these photos").click()
    expect(dialog).to_have_count(0)
    status = toolbar.get_by_role("status")
    expect(status).to_have_text(f"Added {len(PHOTOS)} photos to Holidays.")
    status.get_by_role("link", name="Holidays").click()
    expect(page).to_have_url(re.compile(r"/albums/\d+$"))
    album_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("heading", name="Holidays", level=1)).to_be_visible()
    expect(page.get_by_test_id("album-photo")).to_have_count(len(PHOTOS))
    assert sorted(tile_ids(page)) == sorted(selected)

    # Rename and describe it.
    page.get_by_role("button", name="Edit details").click()
    edit = page.get_by_role("dialog", name="Edit album")
    edit.get_by_label("Name").fill("Summer 2008")
    edit.get_by_label("Description").fill("Iguanas and rocks")
    edit.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Summer 2008", level=1)).to_be_visible()
    expect(page.get_by_text("Iguanas and rocks")).to_be_visible()

    # A click (not a drag) opens the viewer, which steps through the album in its order.
    order = tile_ids(page)
    page.get_by_test_id("album-photo").nth(1).click()
    expect(page).to_have_url(re.compile(rf"/albums/{album_id}/photos/{order[1]}$"))
    expect(page.get_by_test_id("viewer-position")).to_have_text(f"2 / {len(PHOTOS)}")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"/albums/{album_id}/photos/{order[2]}$"))
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(rf"/albums/{album_id}/photos/{order[0]}$"))
    expect(page.get_by_role("button", name="Previous photo")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(rf"/albums/{album_id}$"))
    expect(page.get_by_test_id("viewer")).to_have_count(0)

    # Reorder by dragging the third photo onto the first: it goes in front, the album turns
    # manual, and the drag opened no viewer.
    before = tile_ids(page)
    tiles = page.get_by_test_id("album-photo")
    tiles.nth(2).drag_to(tiles.nth(0), target_position={"x": 5, "y": 20})
    expected = [before[2], before[0], before[1], *before[3:]]
    expect(page.get_by_label("Order", exact=True)).to_have_value("manual")
    assert tile_ids(page) == expected
    expect(page).to_have_url(re.compile(rf"/albums/{album_id}$"))
    server_order = [p["id"] for p in api_json(page, f"/api/albums/{album_id}/photos")["results"]]
    assert server_order == expected
    # Survives a reload.
    page.reload()
    expect(page.get_by_test_id("album-photo")).to_have_count(len(PHOTOS))
    assert tile_ids(page) == expected

    # The keyboard moves a photo too: Space picks it up, an arrow moves it, Space drops it.
    first = page.get_by_test_id("album-photo").nth(0)
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expected = [expected[1], expected[0], *expected[2:]]
    expect(page.get_by_test_id("album-photo").nth(1)).to_have_attribute(
        "data-photo-id", str(expected[1])
    )
    server_order = [p["id"] for p in api_json(page, f"/api/albums/{album_id}/photos")["results"]]
    assert server_order == expected

    # Download the album: one zip, streamed, with every photo under its own name.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "Summer 2008.zip"
    with zipfile.ZipFile(download.path()) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(Path(name).name for name in PHOTOS)

    # Remove a photo from inside the viewer: the next photo of the album shows.
    page.get_by_test_id("album-photo").nth(1).click()
    expect(page).to_have_url(re.compile(rf"/albums/{album_id}/photos/{expected[1]}$"))
    info = page.get_by_role("complementary", name="Photo information")
    expect(info.get_by_test_id("info-albums")).to_contain_text("Summer 2008")
    info.get_by_role("button", name="Remove from “Summer 2008”").click()
    expect(page).to_have_url(re.compile(rf"/albums/{album_id}/photos/{expected[2]}$"))
    expect(page.get_by_test_id("viewer-position")).to_have_text(f"2 / {len(PHOTOS) - 1}")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("album-photo")).to_have_count(len(PHOTOS) - 1)
    removed_in_viewer = expected.pop(1)
    assert tile_ids(page) == expected

    # Remove another on the album page: select it, confirm; both stay in the library.
    removed = expected[0]
    page.get_by_label("Select photo 1", exact=True).check()
    page.get_by_role("button", name="Remove from album").click()
    confirm = page.get_by_role("dialog", name="Remove 1 photo from the album?")
    confirm.get_by_role("button", name="Remove").click()
    expect(page.get_by_test_id("album-photo")).to_have_count(len(PHOTOS) - 2)
    assert removed not in tile_ids(page)
    library_ids = [p["id"] for p in api_json(page, "/api/photos")["results"]]
    assert removed in library_ids and removed_in_viewer in library_ids

    # The list shows it with its count.
    page.get_by_role("link", name="Albums").first.click()
    card = page.get_by_test_id(f"album-{album_id}")
    expect(card).to_contain_text("Summer 2008")
    expect(card).to_contain_text(f"{len(PHOTOS) - 2} photos")
    page.get_by_label("Search albums").fill("nothing like it")
    expect(card).to_have_count(0)
    page.get_by_label("Search albums").fill("summer")
    expect(card).to_be_visible()

    # Delete it, after a confirmation; the photos stay.
    card.get_by_role("link").click()
    page.get_by_role("button", name="Delete album").click()
    confirm = page.get_by_role("dialog", name="Delete the album “Summer 2008”?")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    confirm.get_by_role("button", name="Delete album").click()
    expect(page).to_have_url(path_is("/albums"))
    expect(page.get_by_text("No albums yet.")).to_be_visible()
    assert api_json(page, "/api/albums") == []
    assert len(api_json(page, "/api/photos")["results"]) == len(PHOTOS)


def fill_share_form(dialog: Any, label: str, expiry: dt.date) -> None:
    """A label, the expiry day, a password and downloads allowed; then create the link."""
    dialog.get_by_label("Label (optional)").fill(label)
    dialog.get_by_label("Expires", exact=True).check()
    dialog.get_by_label("Last day the link works").fill(expiry.isoformat())
    dialog.get_by_label("Protect with a password").check()
    dialog.get_by_label("Link password").fill(LINK_PASSWORD)
    dialog.get_by_label("Allow downloading the originals").check()
    # What downloads carry is said right there: the link hides the location, so do its files.
    expect(dialog.get_by_text("Downloads are copies without the GPS location")).to_be_visible()
    dialog.get_by_role("button", name="Create link").click()


def created_link(page: Any, server: LiveServer) -> str:
    """The address the dialog shows once, checked; the dialog closed."""
    shown = page.get_by_role("dialog", name="Link created")
    expect(shown.get_by_text("You can copy it again later")).to_be_visible()
    url: str = shown.get_by_test_id("share-url").input_value()
    assert re.fullmatch(rf"{re.escape(server.url)}/s/[A-Za-z0-9_-]{{43}}", url), url
    shown.get_by_role("button", name="Done").click()
    return url


def visit_then_revoke(
    page: Any,
    browser: Any,
    server: LiveServer,
    *,
    url: str,
    subject: str,
    title: str,
    ids: list[int],
    expiry: dt.date,
) -> None:
    """The link listed; opened in a fresh browser context (no account), unlocked with its
    password, viewed and downloaded from; then revoked on the links page, and gone."""
    page.goto("/shares")
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(subject)
    expect(row).to_contain_text("Expires in 7 days")
    expect(row).to_contain_text("download originals")
    # Its address can be copied again.
    page.get_by_role("button", name=f"Copy link for {subject}").click()
    again = page.get_by_role("dialog", name=f"Link for {subject}")
    expect(again.get_by_test_id("share-url")).to_have_value(url)
    again.get_by_role("button", name="Done").click()

    visitor = browser.new_context(base_url=server.url, accept_downloads=True)
    visitor.set_default_timeout(10_000)
    try:
        guest = visitor.new_page()
        guest.goto(url)
        expect(guest.get_by_role("heading", name="This link is protected")).to_be_visible()
        guest.get_by_label("Password").fill("not the password")
        guest.get_by_role("button", name="Unlock").click()
        expect(guest.get_by_role("alert")).to_have_text("Wrong password. Try again.")
        guest.get_by_label("Password").fill(LINK_PASSWORD)
        guest.get_by_role("button", name="Unlock").click()

        expect(guest.get_by_role("heading", name=title, level=1)).to_be_visible()
        expect(guest).to_have_url(re.compile(r"/s/[A-Za-z0-9_-]{43}$"))
        # In the browser's language (en-US here), as every date of the app.
        until = f"available until {expiry:%b} {expiry.day}, {expiry.year}"
        expect(guest.get_by_text(until)).to_be_visible()
        photos = guest.get_by_test_id("share-photo")
        expect(photos).to_have_count(len(ids))
        # Nothing of the app around it: no header, no navigation, no account.
        expect(guest.get_by_role("navigation")).to_have_count(0)
        expect(guest.get_by_test_id("current-user")).to_have_count(0)

        # Every photo of the link as one zip.
        with guest.expect_download() as zip_info:
            guest.get_by_role("link", name="Download all (zip)").click()
        with zipfile.ZipFile(zip_info.value.path()) as archive:
            assert len(archive.namelist()) == len(ids)
        photos.first.click()
        viewer = guest.get_by_role("dialog", name=re.compile(rf"Photo 1 of {len(ids)}"))
        expect(viewer).to_be_visible()
        expect(viewer.locator("img")).to_have_js_property("complete", True)
        assert viewer.locator("img").evaluate("img => img.naturalWidth") > 0
        with guest.expect_download() as download_info:
            viewer.get_by_role("link", name="Download original").click()
        download = download_info.value
        assert Path(download.path()).stat().st_size > 0
        assert download.suggested_filename.lower().endswith((".jpg", ".jpeg"))
        guest.keyboard.press("ArrowRight")
        expect(
            guest.get_by_role("dialog", name=re.compile(rf"Photo 2 of {len(ids)}"))
        ).to_be_visible()
        guest.keyboard.press("Escape")
        expect(guest.get_by_role("dialog")).to_have_count(0)
        # Only what was shared: every photo the page shows is one of the shared ones.
        token = url.rsplit("/", 1)[1]
        listed = guest.request.get(f"/api/share/{token}/photos")
        assert sorted(p["id"] for p in listed.json()["results"]) == sorted(ids)

        # Revoke it from the management page.
        page.get_by_role("button", name=f"Revoke link for {subject}").click()
        page.get_by_role("dialog", name="Revoke this link?").get_by_role(
            "button", name="Revoke link"
        ).click()
        expect(page.locator("tbody tr")).to_have_count(0)
        expect(page.get_by_text("No shared links")).to_be_visible()

        # The visitor's next visit: not found, like a link that never existed.
        guest.reload()
        expect(guest.get_by_role("heading", name="Link not found")).to_be_visible()
        gone = guest.request.get(f"/api/share/{token}/photos/{ids[0]}/thumbnail/grid")
        assert gone.status == 404
    finally:
        visitor.close()


def test_share_link_with_password_expiry_download_and_revoke(
    page: Any, browser: Any, photonix_server: LiveServer, imported: list[dict[str, Any]]
) -> None:
    # An album with two photos (through the API: the album UI has its own test).
    library = api_json(page, "/api/libraries")[0]["id"]
    ids = [photo["id"] for photo in imported[:2]]
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    created = page.request.post(
        "/api/albums",
        data={"library": library, "name": "For grandma", "photo_ids": ids},
        headers={"X-CSRFToken": csrf},
    )
    assert created.status == 201, created.text()
    album_id = created.json()["id"]

    page.goto(f"/albums/{album_id}")
    expect(page.get_by_test_id("album-photo")).to_have_count(2)
    page.get_by_role("button", name="Share link").click()
    expiry = dt.date.today() + dt.timedelta(days=7)
    fill_share_form(
        page.get_by_role("dialog", name="Share link for For grandma"), "grandma", expiry
    )
    url = created_link(page, photonix_server)
    visit_then_revoke(
        page,
        browser,
        photonix_server,
        url=url,
        subject="For grandma",
        title="For grandma",
        ids=ids,
        expiry=expiry,
    )


def test_selection_share_link_from_the_timeline(
    page: Any, browser: Any, photonix_server: LiveServer, imported: list[dict[str, Any]]
) -> None:
    # Two photos selected in the timeline (click, shift-click), shared from the selection bar.
    ids = select_range_in_timeline(page, 1, 2)
    toolbar = page.get_by_role("toolbar", name="Selected photos")
    toolbar.get_by_role("button", name="Share").click()
    expiry = dt.date.today() + dt.timedelta(days=7)
    fill_share_form(page.get_by_role("dialog", name="Share link for 2 photos"), "Beach day", expiry)
    url = created_link(page, photonix_server)
    # A selection link: no album is made, and the link holds exactly the selected photos.
    assert api_json(page, "/api/albums") == []
    link = api_json(page, "/api/shares")[0]
    assert link["kind"] == "photos" and link["photo_count"] == 2, link
    # The visitors see the label as the title.
    visit_then_revoke(
        page,
        browser,
        photonix_server,
        url=url,
        subject="Beach day",
        title="Beach day",
        ids=ids,
        expiry=expiry,
    )
