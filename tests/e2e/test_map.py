"""The map in a real browser that may reach nothing but 127.0.0.1: the offline world layer, a tile
server set by the admin in Settings (a small one this test runs), the fallback when the tile
server cannot be reached, clusters with thumbnails, and an area of the map opened in the timeline.

Photos are written straight into the server's database (no files, no worker): the map, the
timeline and the viewer's information panel are all the journey needs.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin, path_is, shoot

pytestmark = pytest.mark.e2e

# Paris (three photos close together), New York (two) and one photo with no location.
SEED = """
import datetime as dt
from django.contrib.auth import get_user_model
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile

library = Library.objects.create(name="Travels")
LibraryMember.objects.create(library=library, user=get_user_model().objects.get(), role="owner")
folder = LibraryFolder.objects.create(library=library, path="/photos/travels")
places = [(48.853, 2.349), (48.861, 2.336), (48.858, 2.294), (40.712, -74.006), (40.758, -73.985),
          (None, None)]
ids = []
for n, (lat, lon) in enumerate(places):
    photo = Photo.objects.create(
        library=library, width=1600, height=1200, latitude=lat, longitude=lon,
        taken_local=dt.datetime(2021, 6, 1 + n, 12, 0, tzinfo=dt.UTC),
    )
    photo.preferred_file = PhotoFile.objects.create(
        library=library, folder=folder, photo=photo, path=f"/photos/travels/{n}.jpg",
        kind="photo", state="ok", size=1, mtime_ns=0,
    )
    photo.save(update_fields=["preferred_file"])
    ids.append(photo.pk)
print(*ids)
"""

# A valid 1x1 PNG: Leaflet stretches a tile image to 256x256 whatever its size.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c635875e20e00046e024f1b5628cf0000000049454e44ae426082"
)


class _Tiles(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def tile_server() -> Iterator[tuple[str, list[str]]]:
    """A tile server on 127.0.0.1 that answers every path with a PNG; its URL template and the
    paths it was asked for."""
    seen: list[str] = []
    handler = type("Tiles", (_Tiles,), {"requests": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _closed_port() -> int:
    """A port nothing listens on (bound, then released: connections to it are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _only_loopback(route: Any) -> None:
    host = re.match(r"^[a-z]+://([^/:]+)", route.request.url)
    if host and host.group(1) == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


def _set_tile_source(page: Any, template: str, attribution: str) -> None:
    """In Settings: type a tile source and save it (the page reloads with the new policy)."""
    page.goto("/settings")
    form = page.get_by_role("form", name="Map tile source")
    form.get_by_label("Tile URL template").fill(template)
    form.get_by_label("Attribution").fill(attribution)
    form.get_by_role("button", name="Save map source").click()
    expect(page.get_by_text("Saved. Maps use it from now on.")).to_be_visible()
    expect(form.get_by_label("Tile URL template")).to_have_value(template)


def test_map_journey(
    page: Any, photonix_server: LiveServer, tile_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    page.context.route("**/*", _only_loopback)
    blocked: list[str] = []
    page.on("requestfailed", lambda request: blocked.append(request.url))
    create_admin(page)
    seeded = photonix_server.manage("shell", "-c", SEED).splitlines()[-1].split()  # its last line
    paris, new_york = seeded[:3], seeded[3:5]

    # No tile server: the offline world layer, drawn from the app itself, under the markers.
    page.goto("/map")
    expect(page.get_by_test_id("map-count")).to_have_text("5 photos with a location")
    the_map = page.get_by_test_id("map")
    expect(the_map).to_have_attribute("data-base-layer", "offline")
    expect(page.get_by_test_id("map-base-note")).to_contain_text("Offline world map")
    expect(the_map.locator('path[data-country="France"]')).to_have_count(1)
    expect(the_map.locator('path[data-country="United States of America"]')).to_have_count(1)
    assert the_map.locator("path.world-country").count() > 100
    expect(the_map.locator(".world-border").first).to_be_attached()
    assert not [url for url in blocked if "127.0.0.1" not in url], blocked

    # Clusters show a photo's thumbnail and how many they hold; they are keyboard-focusable.
    cluster = the_map.locator(".map-cluster").filter(has_text=re.compile(r"^3 photos here"))
    expect(cluster).to_have_count(1)
    expect(cluster.locator("img")).to_have_attribute("data-photo-id", re.compile(r"^\d+$"))
    expect(cluster).to_have_attribute("tabindex", "0")
    expect(
        the_map.locator(".map-cluster").filter(has_text=re.compile(r"^2 photos here"))
    ).to_have_count(1)

    shoot(page, "map-offline", tmp_path)

    # Zoom into Paris, then open the photos in view in the timeline: only those three.
    cluster.click()
    markers = the_map.locator(".map-thumb")
    expect(markers).to_have_count(3)
    expect(markers.first).to_have_attribute(
        "title", re.compile(r"^Photo taken .*2021.*, at 48\.\d+°N")
    )
    expect(markers.first).to_have_attribute("tabindex", "0")
    page.get_by_role("button", name="Show these photos").click()
    expect(page).to_have_url(re.compile(r"/\?bbox=[-\d.]+%2C[-\d.]+%2C[-\d.]+%2C[-\d.]+$"))
    tiles = page.locator(".tile")
    expect(tiles).to_have_count(3)
    assert sorted(t.get_attribute("data-photo-id") for t in tiles.all()) == sorted(paris)
    chip = page.get_by_role("button", name=re.compile(r"^Remove filter Map area 48\."))
    expect(chip).to_be_visible()
    chip.click()
    expect(page).to_have_url(path_is("/"))
    expect(tiles).to_have_count(6)
    assert all(i in [t.get_attribute("data-photo-id") for t in tiles.all()] for i in new_york)

    # The admin sets a tile server in Settings. Before saving, this page's policy refuses its
    # host (the test says so); after saving, the page reloads and a tile loads.
    template, requested = tile_server
    page.goto("/settings")
    form = page.get_by_role("form", name="Map tile source")
    expect(form.get_by_test_id("map-source-state")).to_contain_text("offline world map")
    form.get_by_label("Tile URL template").fill(template)
    form.get_by_role("button", name="Test").click()
    expect(form.get_by_test_id("map-source-test")).to_contain_text("may not load images from")
    assert not requested
    _set_tile_source(page, template, "Test tiles")
    form.get_by_role("button", name="Test").click()
    expect(form.get_by_test_id("map-source-test")).to_contain_text("A tile loaded from 127.0.0.1")

    # The map now shows those tiles (and their attribution), not the offline layer.
    page.goto("/map")
    expect(the_map).to_have_attribute("data-base-layer", "tiles")
    expect(the_map.locator("img.leaflet-tile-loaded").first).to_be_attached()
    assert any(re.fullmatch(r"/\d+/\d+/\d+\.png", path) for path in requested), requested
    expect(the_map.locator(".leaflet-control-attribution")).to_contain_text("Test tiles")
    expect(page.get_by_test_id("map-base-note")).to_have_count(0)
    expect(the_map.locator("path.world-country")).to_have_count(0)

    # A tile server that cannot be reached: the map says so and draws the offline layer.
    _set_tile_source(page, f"http://127.0.0.1:{_closed_port()}/{{z}}/{{x}}/{{y}}.png", "Gone")
    page.goto("/map")
    expect(the_map).to_have_attribute("data-base-layer", "fallback")
    expect(page.get_by_test_id("map-base-note")).to_contain_text(
        "could not be loaded: showing the offline world map"
    )
    expect(the_map.locator('path[data-country="France"]')).to_have_count(1)
    assert the_map.locator("path.world-country").count() > 100
    shoot(page, "map-fallback", tmp_path)

    # The viewer's mini-map uses the same layers, with the same fallback.
    page.goto(f"/photos/{paris[0]}")
    minimap = page.get_by_test_id("minimap")
    expect(minimap).to_have_attribute("data-base-layer", "fallback")
    expect(minimap.locator('path[data-country="France"]')).to_have_count(1)
    shoot(page, "viewer-minimap", tmp_path)
