"""Naming a face nobody grouped: from its box in the viewer, then seen on the People page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin, path_is

pytestmark = pytest.mark.e2e

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "photos"
    / "faces-objects"
    / "hopper_face.jpg"
)

# One photo with its thumbnails and one face on nobody (a single: no group of two), written
# straight into the database; prints the photo's id.
SEED_SINGLE_FACE = f"""
from pathlib import Path
from photonix.core.models import User
from photonix.faces.models import Face
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile
from photonix.media.thumbnails import render_photo
from photonix.storage.derived import thumbnail_path

library = Library.objects.create(name="Portraits")
LibraryMember.objects.create(library=library, user=User.objects.get(username="admin"), role="owner")
folder = LibraryFolder.objects.create(library=library, path="/seeded/portraits", watched=False)
rendered = render_photo(Path({str(SAMPLE)!r}), orientation=1)
photo = Photo.objects.create(
    library=library, width=rendered.width, height=rendered.height,
    thumbnail_version=rendered.version,
)
for name, thumbnail in rendered.thumbnails.items():
    path = thumbnail_path(photo.pk, name, rendered.version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(thumbnail.data)
photo.preferred_file = PhotoFile.objects.create(
    library=library, folder=folder, photo=photo, path="/seeded/portraits/hopper.jpg",
    kind="photo", state="ok", size=1, mtime_ns=1, file_type="JPEG",
)
photo.save()
Face.objects.create(photo=photo, library=library, x=0.3, y=0.2, width=0.4, height=0.45, size=200)
print(photo.pk)
"""


def test_a_single_face_is_named_from_the_viewer(page: Any, photonix_server: LiveServer) -> None:
    create_admin(page)
    photo = int(photonix_server.manage("shell", "-c", SEED_SINGLE_FACE).splitlines()[-1])

    page.goto(f"/photos/{photo}")
    expect(page.get_by_test_id("viewer")).to_be_visible()
    page.keyboard.press("f")
    box = page.get_by_role("button", name="Face: Unnamed")
    box.click()
    popover = page.get_by_role("dialog", name="Name face")
    popover.get_by_placeholder("Who is this?").fill("Grace Hopper")
    popover.get_by_role("button", name="Name", exact=True).click()
    expect(page.get_by_role("button", name="Face: Grace Hopper")).to_be_visible()
    expect(popover).to_have_count(0)

    page.goto("/people")
    expect(page).to_have_url(path_is("/people"))
    person = page.get_by_role("list", name="People").get_by_role("link", name="Grace Hopper")
    expect(person).to_be_visible()
    expect(page.get_by_role("list", name="Unnamed faces")).to_have_count(0)
