"""The timeline's date scrubber in a real browser: its readout is the month at the top of the
timeline, and a year's label leads to that year's newest month.

Photos are written straight into the server's database (no files, no worker): the timeline and
its month index are all the scrubber needs.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin

pytestmark = pytest.mark.e2e

# (year, month, photos): 2008's newest month is a single photo above a busy October, so the
# label "2008" covers more of October's slice of the bar than of December's.
MONTHS = [
    (2009, 9, 4), (2009, 5, 4),
    (2008, 12, 1), (2008, 10, 20), (2008, 6, 4),
    (2007, 8, 4), (2007, 2, 4),
    (2006, 11, 4), (2005, 7, 4), (2004, 4, 4),
    (2003, 12, 4), (2003, 6, 4),
    (2002, 9, 4), (2001, 3, 4), (2000, 1, 4),
]  # fmt: skip

SEED = """
import datetime as dt
from django.contrib.auth import get_user_model
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile

library = Library.objects.create(name="Years")
LibraryMember.objects.create(library=library, user=get_user_model().objects.get(), role="owner")
folder = LibraryFolder.objects.create(library=library, path="/photos/years")
for year, month, count in MONTHS:
    for n in range(count):
        photo = Photo.objects.create(
            library=library, width=1600, height=1200,
            taken_local=dt.datetime(year, month, 15, 12, n, tzinfo=dt.UTC),
        )
        photo.preferred_file = PhotoFile.objects.create(
            library=library, folder=folder, photo=photo, path=f"/photos/years/{photo.pk}.jpg",
            kind="photo", state="ok", size=1, mtime_ns=0,
        )
        photo.save(update_fields=["preferred_file"])
"""

# The month shown at the top of the timeline: the month of the first block (heading, day or row
# of photos) still on screen at the scroller's top edge.
MONTH_AT_TOP = """() => {
  const scroller = document.querySelector('[data-testid="timeline-scroller"]');
  const grid = document.querySelector('[data-testid="timeline-grid"]');
  const top = scroller.getBoundingClientRect().top;
  let month = null;
  for (const block of grid.children) {
    if (block.dataset.month) month = block.dataset.month;
    if (block.getBoundingClientRect().bottom > top) {
      return block.dataset.month || month;
    }
  }
  return month;
}"""


def month_at_top(page: Any) -> str:
    return str(page.evaluate(MONTH_AT_TOP))


def test_scrubber_reads_the_month_at_the_top(page: Any, photonix_server: LiveServer) -> None:
    # A short window, so the bar is short and December 2008's slice thinner than its year's label.
    page.set_viewport_size({"width": 1280, "height": 500})
    create_admin(page)
    photonix_server.manage("shell", "-c", f"MONTHS = {MONTHS!r}\n{SEED}")
    page.reload()
    scrubber = page.get_by_test_id("scrubber")
    expect(scrubber).to_have_attribute("data-month", "2009-09")

    # A click on the label "2008": December 2008 at the top, and the readout says so.
    scrubber.get_by_text("2008", exact=True).click()
    page.wait_for_function(f"() => ({MONTH_AT_TOP})() === '2008-12'")
    expect(scrubber).to_have_attribute("data-month", "2008-12")
    expect(scrubber).to_have_attribute("aria-valuetext", "Dec 2008")

    # At the very end the readout is the month at the top, not one above the window.
    page.get_by_test_id("timeline-scroller").evaluate(
        "node => { node.scrollTop = node.scrollHeight; }"
    )
    page.wait_for_function(
        f"() => document.querySelector('[data-testid=\"scrubber\"]').dataset.month"
        f" === ({MONTH_AT_TOP})()"
    )
    assert month_at_top(page) < "2005-01"
