"""Albums and public share links in a real browser, on photos imported by a real worker.

The fixture photos are copied into the server's data directory and imported the way an
installation does it: ``photonix library add`` (the admin, created first, owns the library), a
``photonix worker`` process with the server's settings, and ``photonix wait`` until the pipeline
is idle. Then: an album made from a selection in "Add photos", renamed, reordered by dragging, a
photo removed, the album deleted; a password-protected share link with an expiry, opened in a
fresh browser context (no account), unlocked, viewed, downloaded; revoked, and gone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

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
IMPORT_REDIS_URL = os.environ.get(
    "PHOTONIX_E2E_IMPORT_REDIS_URL", f"redis://127.0.0.1:6379/{1 + (os.getpid() + 11) % 15}"
)


def _import_env(server: LiveServer) -> dict[str, str]:
    return {**server.env, "REDIS_URL": IMPORT_REDIS_URL}


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

    broker = redis.Redis.from_url(IMPORT_REDIS_URL, socket_timeout=5)
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


def test_album_lifecycle(page: Any, imported: list[dict[str, Any]]) -> None:
    # Create an album from the albums page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Albums").click()
    expect(page).to_have_url(path_is("/albums"))
    expect(page.get_by_text("No albums yet.")).to_be_visible()
    page.get_by_role("button", name="New album").click()
    dialog = page.get_by_role("dialog", name="New album")
    dialog.get_by_label("Name").fill("Holidays")
    dialog.get_by_role("button", name="Create album").click()
    expect(page).to_have_url(re.compile(r"/albums/\d+$"))
    album_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("heading", name="Holidays", level=1)).to_be_visible()
    expect(page.get_by_text("This album is empty.")).to_be_visible()

    # Add a selection of three photos with the picker.
    page.get_by_role("button", name="Add photos").first.click()
    picker = page.get_by_role("dialog", name="Add photos")
    boxes = picker.get_by_role("checkbox")
    expect(boxes).to_have_count(len(PHOTOS))
    for index in range(3):
        boxes.nth(index).check()
    picker.get_by_role("button", name="Add 3 photos").click()
    expect(picker).to_have_count(0)
    expect(page.get_by_test_id("album-photo")).to_have_count(3)
    expect(page.get_by_text("Added 3 photos.")).to_be_visible()

    # Rename and describe it.
    page.get_by_role("button", name="Edit details").click()
    edit = page.get_by_role("dialog", name="Edit album")
    edit.get_by_label("Name").fill("Summer 2008")
    edit.get_by_label("Description").fill("Iguanas and rocks")
    edit.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Summer 2008", level=1)).to_be_visible()
    expect(page.get_by_text("Iguanas and rocks")).to_be_visible()

    # Reorder by dragging the last photo onto the first: it goes in front, the album turns manual.
    before = tile_ids(page)
    tiles = page.get_by_test_id("album-photo")
    tiles.nth(2).drag_to(tiles.nth(0), target_position={"x": 5, "y": 20})
    expected = [before[2], before[0], before[1]]
    expect(page.get_by_label("Order", exact=True)).to_have_value("manual")
    assert tile_ids(page) == expected
    server_order = [p["id"] for p in api_json(page, f"/api/albums/{album_id}/photos")["results"]]
    assert server_order == expected
    # Survives a reload.
    page.reload()
    expect(page.get_by_test_id("album-photo")).to_have_count(3)
    assert tile_ids(page) == expected

    # The keyboard moves a photo too: Space picks it up, an arrow moves it, Space drops it.
    first = page.get_by_test_id("album-photo").nth(0)
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expected = [expected[1], expected[0], expected[2]]
    expect(page.get_by_test_id("album-photo").nth(1)).to_have_attribute(
        "data-photo-id", str(expected[1])
    )
    server_order = [p["id"] for p in api_json(page, f"/api/albums/{album_id}/photos")["results"]]
    assert server_order == expected

    # Remove a photo: select it, confirm; it stays in the library.
    removed = expected[0]
    page.get_by_label("Select photo 1", exact=True).check()
    page.get_by_role("button", name="Remove from album").click()
    confirm = page.get_by_role("dialog", name="Remove 1 photo from the album?")
    confirm.get_by_role("button", name="Remove").click()
    expect(page.get_by_test_id("album-photo")).to_have_count(2)
    assert removed not in tile_ids(page)
    assert removed in [p["id"] for p in api_json(page, "/api/photos")["results"]]

    # The list shows it with its count.
    page.get_by_role("link", name="Albums").first.click()
    card = page.get_by_test_id(f"album-{album_id}")
    expect(card).to_contain_text("Summer 2008")
    expect(card).to_contain_text("2 photos")
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
    dialog = page.get_by_role("dialog", name="Share link for For grandma")
    dialog.get_by_label("Label (optional)").fill("grandma")
    dialog.get_by_label("Expires", exact=True).check()
    expiry = dt.date.today() + dt.timedelta(days=7)
    dialog.get_by_label("Last day the link works").fill(expiry.isoformat())
    dialog.get_by_label("Protect with a password").check()
    dialog.get_by_label("Link password").fill(LINK_PASSWORD)
    dialog.get_by_label("Allow downloading the originals").check()
    # The warning about originals keeping their metadata is right there.
    expect(
        dialog.get_by_text("keep their EXIF metadata, including the GPS location")
    ).to_be_visible()
    dialog.get_by_role("button", name="Create link").click()

    shown = page.get_by_role("dialog", name="Link created")
    expect(shown.get_by_text("it is shown only this once")).to_be_visible()
    url = shown.get_by_test_id("share-url").input_value()
    assert re.fullmatch(rf"{re.escape(photonix_server.url)}/s/[A-Za-z0-9_-]{{43}}", url), url
    shown.get_by_role("button", name="Done").click()

    # The management page lists it.
    page.goto("/shares")
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("For grandma")
    expect(row).to_contain_text("Expires in 7 days")
    expect(row).to_contain_text("download originals")

    # A fresh browser context: no session, no cookies.
    visitor = browser.new_context(base_url=photonix_server.url, accept_downloads=True)
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

        expect(guest.get_by_role("heading", name="For grandma", level=1)).to_be_visible()
        expect(guest).to_have_url(re.compile(r"/s/[A-Za-z0-9_-]{43}$"))
        expect(guest.get_by_text(f"available until {expiry.day} {expiry:%B %Y}")).to_be_visible()
        photos = guest.get_by_test_id("share-photo")
        expect(photos).to_have_count(2)
        # Nothing of the app around it: no header, no navigation, no account.
        expect(guest.get_by_role("navigation")).to_have_count(0)
        expect(guest.get_by_test_id("current-user")).to_have_count(0)

        photos.first.click()
        viewer = guest.get_by_role("dialog", name=re.compile(r"Photo 1 of 2"))
        expect(viewer).to_be_visible()
        expect(viewer.locator("img")).to_have_js_property("complete", True)
        assert viewer.locator("img").evaluate("img => img.naturalWidth") > 0
        with guest.expect_download() as download_info:
            viewer.get_by_role("link", name="Download original").click()
        download = download_info.value
        assert Path(download.path()).stat().st_size > 0
        assert download.suggested_filename.lower().endswith((".jpg", ".jpeg"))
        guest.keyboard.press("ArrowRight")
        expect(guest.get_by_role("dialog", name=re.compile(r"Photo 2 of 2"))).to_be_visible()
        guest.keyboard.press("Escape")
        expect(guest.get_by_role("dialog")).to_have_count(0)

        # Revoke it from the management page.
        page.get_by_role("button", name="Revoke link for For grandma").click()
        page.get_by_role("dialog", name="Revoke this link?").get_by_role(
            "button", name="Revoke link"
        ).click()
        expect(page.locator("tbody tr")).to_have_count(0)
        expect(page.get_by_text("No shared links")).to_be_visible()

        # The visitor's next visit: not found, like a link that never existed.
        guest.reload()
        expect(guest.get_by_role("heading", name="Link not found")).to_be_visible()
        photo = ids[0]
        token = url.rsplit("/", 1)[1]
        gone = guest.request.get(f"/api/share/{token}/photos/{photo}/thumbnail/grid")
        assert gone.status == 404
    finally:
        visitor.close()
