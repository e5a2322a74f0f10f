"""Reviewing near-duplicates in a real browser, on copies imported by a real worker.

A photo, a copy of it re-encoded at a low JPEG quality and a copy halved are imported the way an
installation does it (``photonix library add``, a ``photonix worker``, ``photonix wait``), with
one unrelated photo. The review page shows the three as one group, the original first; "Keep
the best, stack the rest" leaves one tile on the timeline with the stack's count, which opens
the stack.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import redis
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin
from tests.e2e.test_albums import IMPORT_TIMEOUT, _run, import_redis_url, running_worker

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "photos"


def _import(server: LiveServer, tmp_path: Path) -> None:
    broker = redis.Redis.from_url(import_redis_url(), socket_timeout=5)
    try:
        broker.flushdb()
    finally:
        broker.close()
    folder = server.data_dir / "photos"
    folder.mkdir()
    scene = Image.open(FIXTURES / "faces-objects" / "dog_bicycle_truck.jpg").convert("RGB")
    scene.save(folder / "original.jpg", "JPEG", quality=95)
    scene.save(folder / "reencoded.jpg", "JPEG", quality=25)
    half = scene.resize((scene.width // 2, scene.height // 2), Image.Resampling.LANCZOS)
    half.save(folder / "resized.jpg", "JPEG", quality=90)
    shutil.copy(FIXTURES / "jpeg-exif" / "el_torcal_rocks.jpg", folder / "other.jpg")
    with running_worker(server, tmp_path / "worker.log") as worker:
        _run(server, "library", "add", "--no-watch", "Family", str(folder))
        _run(server, "wait", "--timeout", str(IMPORT_TIMEOUT), timeout=IMPORT_TIMEOUT + 30)
        assert worker.poll() is None, "the worker died during the import"


def test_review_a_duplicate_group_and_keep_the_best(
    page: Any, photonix_server: LiveServer, tmp_path: Path
) -> None:
    create_admin(page)
    _import(photonix_server, tmp_path)
    page.goto("/")
    expect(page.locator(".tile")).to_have_count(4)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Duplicates").click()
    group = page.get_by_role("region", name="Duplicates, 3 photos")
    expect(group).to_be_visible()
    shots = group.get_by_role("listitem")
    expect(shots).to_have_count(3)
    expect(shots.first).to_contain_text("Best · original.jpg")
    expect(shots.first.get_by_role("radio")).to_be_checked()
    group.get_by_role("button", name="Keep the best, stack the rest").click()
    expect(page.get_by_role("status")).to_have_text("Stacked 3 photos. Open the stack")
    expect(page.get_by_text("No duplicates or bursts to review.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Photos").click()
    expect(page.locator(".tile")).to_have_count(2)
    page.get_by_role("link", name="Open the stack of 3 photos").click()
    expect(page).to_have_url(re.compile(r"/stacks/\d+$"))
    expect(page.get_by_test_id("stack-photos").get_by_role("listitem")).to_have_count(3)
    cover = int(page.url.rsplit("/", 1)[1])
    detail = page.request.get(f"/api/photos/{cover}").json()
    assert detail["files"][0]["path"].endswith("original.jpg"), detail["files"]
