"""The jobs page in a real browser: stage cards, a failure with its traceback, dismiss, pause.

Job records are written straight into the server's database (as the Celery signal handlers
would); the pause goes to the real Redis the server uses. No worker runs.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import LiveServer, create_admin, path_is

pytestmark = pytest.mark.e2e

REASON = "UnidentifiedImageError: cannot identify image file '/photos/broken.jpg'"

SEED_JOBS = """
import datetime as dt
import json
from django.utils import timezone
from photonix.library.models import Library, LibraryFolder, Photo, PhotoFile
from photonix.pipeline.models import Job

now = timezone.now()
library = Library.objects.create(name="E2E")
folder = LibraryFolder.objects.create(library=library, path="/photos")
photo = Photo.objects.create(library=library)
photo.preferred_file = PhotoFile.objects.create(
    library=library, folder=folder, photo=photo, path="/photos/broken.jpg", kind="photo",
    state="ok", size=1, mtime_ns=1,
)
photo.save()
rows = [
    ("thumbnails", "succeeded"),
    ("thumbnails", "succeeded"),
    ("develop_raw", "queued"),
    ("classify:objects", "started"),
]
for n, (stage, state) in enumerate(rows):
    Job.objects.create(
        task_id=f"e2e-{n}", name=f"photonix.pipeline.{stage}", stage=stage, photo=photo,
        library=library, state=state, attempts=1, queued_at=now - dt.timedelta(minutes=3),
    )
failed = Job.objects.create(
    task_id="e2e-failed", name="photonix.pipeline.make_thumbnails", stage="thumbnails",
    photo=photo, library=library, state="failed", attempts=3,
    queued_at=now - dt.timedelta(minutes=5), started_at=now - dt.timedelta(minutes=4),
    finished_at=now - dt.timedelta(minutes=2),
    error=REASON,
    traceback="Traceback (most recent call last):\\n"
    '  File "photonix/media/thumbnails.py", line 42, in make_thumbnails\\n'
    "    image = Image.open(path)\\n"
    "PIL." + REASON,
)
print(json.dumps({"failed": failed.pk, "photo": photo.pk}))
"""


def seed_jobs(server: LiveServer) -> dict[str, int]:
    code = f"REASON = {REASON!r}\n{SEED_JOBS}"
    output = server.manage("shell", "-c", code)
    seeded: dict[str, int] = json.loads(output.strip().splitlines()[-1])
    return seeded


def api_json(page: Any, path: str) -> Any:
    response = page.request.get(path)
    assert response.ok, f"GET {path}: HTTP {response.status}"
    return response.json()


def test_jobs_page_shows_stages_and_failures_and_controls_the_pipeline(
    page: Any, photonix_server: LiveServer
) -> None:
    create_admin(page)
    seeded = seed_jobs(photonix_server)
    job_id, photo_id = seeded["failed"], seeded["photo"]

    # The header says work is in progress (one queued, one running) and leads to the jobs page.
    page.reload()
    indicator = page.get_by_role("link", name="Processing 2 jobs")
    expect(indicator).to_be_visible()
    expect(indicator).to_have_text("Processing · 2 jobs")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    expect(page).to_have_url(path_is("/jobs"))
    expect(page.get_by_role("heading", name="Jobs", level=1)).to_be_visible()

    # A card per stage, with its counts and its queue.
    thumbnails = page.get_by_role("region", name="Thumbnails")
    expect(thumbnails.get_by_test_id("count-succeeded")).to_have_text("Done2")
    expect(thumbnails.get_by_test_id("count-failed")).to_have_text("Failed1")
    expect(thumbnails.get_by_text("media", exact=True)).to_be_visible()
    expect(
        page.get_by_role("region", name="Develop RAW").get_by_test_id("count-queued")
    ).to_have_text("Queued1")
    expect(
        page.get_by_role("region", name="Classify · objects").get_by_test_id("count-running")
    ).to_have_text("Running1")
    flower = page.get_by_role("link", name="Open Flower")
    expect(flower).to_have_attribute("target", "_blank")
    expect(flower).to_have_attribute("href", api_json(page, "/api/jobs/summary")["flower_url"])

    # The failure: photo (its file's name, a type icon while it has no thumbnail, a link to it),
    # stage, reason, attempts; the traceback on demand.
    failure = page.get_by_test_id(f"failure-{job_id}")
    photo_link = failure.get_by_role("link", name="broken.jpg")
    expect(photo_link).to_have_attribute("href", f"/photos/{photo_id}")
    expect(photo_link.get_by_test_id("failure-type")).to_have_text("JPG")
    expect(failure.get_by_text(REASON, exact=True)).to_be_visible()
    traceback = failure.get_by_text("Traceback (most recent call last):")
    expect(traceback).to_be_hidden()
    failure.get_by_role("button", name="Show traceback").click()
    expect(traceback).to_be_visible()
    expect(failure.get_by_role("button", name="Hide traceback")).to_have_attribute(
        "aria-expanded", "true"
    )

    # Dismiss it: it leaves the list, here and in the API, and stays in the records.
    failure.get_by_role("button", name=f"Dismiss job {job_id}").click()
    expect(failure).to_have_count(0)
    expect(page.get_by_text("No failures to look at.")).to_be_visible()
    assert api_json(page, "/api/jobs?state=failed")["count"] == 0
    kept = api_json(page, "/api/jobs?state=failed&include_dismissed=true")["results"]
    assert [(job["id"], job["acknowledged"]) for job in kept] == [(job_id, True)]
    expect(thumbnails.get_by_test_id("count-failed")).to_have_text("Failed0")

    # Pause the media queue: shown on its stages and in the queue list, kept across a reload.
    thumbnails.get_by_role("button", name="Pause the media queue").click()
    expect(thumbnails.get_by_text("Paused", exact=True)).to_be_visible()
    expect(page.get_by_test_id("queue-media").get_by_text("Paused", exact=True)).to_be_visible()
    assert {q["name"]: q["paused"] for q in api_json(page, "/api/jobs/summary")["queues"]} == {
        "default": False,
        "import": False,
        "media": True,
        "classify": False,
        "faces": False,
    }
    page.reload()
    thumbnails = page.get_by_role("region", name="Thumbnails")
    expect(thumbnails.get_by_text("Paused", exact=True)).to_be_visible()
    thumbnails.get_by_role("button", name="Resume the media queue").click()
    expect(page.get_by_test_id("queue-media").get_by_text("Running", exact=True)).to_be_visible()
    expect(thumbnails.get_by_text("Paused", exact=True)).to_have_count(0)

    # "Reprocess all" asks first; Escape leaves everything as it was.
    page.get_by_role("button", name="Reprocess all…").click()
    dialog = page.get_by_role("dialog", name="Reprocess every photo?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


def test_an_administrator_retries_a_failed_photo_from_the_viewer(
    page: Any, photonix_server: LiveServer
) -> None:
    create_admin(page)
    seeded = seed_jobs(photonix_server)
    job_id, photo_id = seeded["failed"], seeded["photo"]
    photonix_server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "from photonix.library.models import LibraryMember, Photo; "
        f"photo = Photo.objects.get(pk={photo_id}); "
        f"Photo.objects.filter(pk=photo.pk).update(failure={REASON!r}); "
        "LibraryMember.objects.create(library_id=photo.library_id, "
        "user=get_user_model().objects.get(is_superuser=True), role='owner')",
    )

    page.goto(f"/photos/{photo_id}")
    failure = page.get_by_test_id("viewer-failure")
    expect(failure).to_contain_text(f"This photo could not be shown: {REASON}")
    failure.get_by_role("button", name="Retry").click()
    expect(failure).to_have_text(
        "Processing this photo again. It shows here once its image is made."
    )
    # The retry was the server's: the failure is looked at, the photo sent to be processed.
    assert api_json(page, "/api/jobs?state=failed")["count"] == 0
    kept = api_json(page, "/api/jobs?state=failed&include_dismissed=true")["results"]
    assert [(job["id"], job["acknowledged"]) for job in kept] == [(job_id, True)]


def test_members_see_the_summary_only(page: Any, photonix_server: LiveServer) -> None:
    create_admin(page)
    seed_jobs(photonix_server)
    # A viewer of the library the jobs are for: the summary counts the libraries one is in.
    photonix_server.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "from photonix.library.models import Library, LibraryMember; "
        "user = get_user_model().objects.create_user('member', password='member-Passphrase-42'); "
        "LibraryMember.objects.create("
        "library=Library.objects.get(name='E2E'), user=user, role='viewer')",
    )
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(path_is("/login"))
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill("member-Passphrase-42")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("current-user")).to_have_text("member")

    # No Jobs link for them, but the indicator still leads to the summary.
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Jobs")
    page.get_by_role("link", name="Processing 2 jobs").click()
    expect(page).to_have_url(path_is("/jobs"))
    expect(page.get_by_role("region", name="Thumbnails")).to_be_visible()
    expect(page.get_by_test_id("failures-admin-only")).to_be_visible()
    expect(page.get_by_role("button", name="Pause the media queue")).to_have_count(0)
    expect(page.get_by_role("button", name="Process missing")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
    assert page.request.get("/api/jobs?state=failed").status == 403
    assert api_json(page, "/api/jobs/summary")["flower_url"] == ""
