"""What a caller may not see is not told, not even indirectly: a face of another library answers
like an id that does not exist, the jobs summary counts only the caller's libraries (and gives
Flower's address to administrators only), and a public link never shows a hidden photo."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from PIL import Image

from photonix.albums import services as album_services
from photonix.faces.models import Face, Person
from photonix.library.models import Photo, PhotoFile
from photonix.pipeline.models import Job, PhotoPipeline
from photonix.storage.derived import SIZE_BY_NAME, thumbnail_path
from tests.security.conftest import FIXTURE, World

pytestmark = pytest.mark.django_db


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


# --- A face of another library ----------------------------------------------------------------


def test_a_cover_face_of_another_library_answers_like_a_missing_one(world: World) -> None:
    other_person = Person.objects.create(library=world.other_library, name="Bravo person")
    foreign = Face.objects.create(
        photo=Photo.objects.create(library=world.other_library),
        library=world.other_library,
        person=other_person,
        x=0.1,
        y=0.1,
        width=0.2,
        height=0.2,
    )
    missing = foreign.pk + 1000
    url = f"/api/people/{world.person_id}"
    owner = world.client("owner")

    answers = [_patch(owner, url, {"cover_face": face}) for face in (foreign.pk, missing)]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    # Refused as a whole: a name sent with it does not change either.
    renamed = _patch(owner, url, {"name": "Renamed", "cover_face": foreign.pk})
    assert renamed.status_code == 404
    person = Person.objects.get(pk=world.person_id)
    assert person.name == "Secret person" and person.cover_face_id is None

    # A face the caller can see but that is not this person's is a bad value, as before.
    stranger = Face.objects.create(
        photo=world.photo, library=world.library, x=0.5, y=0.5, width=0.1, height=0.1
    )
    wrong = _patch(owner, url, {"cover_face": stranger.pk})
    assert wrong.status_code == 400
    assert _patch(owner, url, {"cover_face": world.face_id}).json()["cover_face"] == world.face_id


# --- The jobs summary -------------------------------------------------------------------------


def _job(n: int, stage: str, state: str, library: Any = None) -> None:
    Job.objects.create(
        task_id=f"job-{n}", name="photonix.x", stage=stage, state=state, library=library
    )


@pytest.fixture
def busy(world: World) -> None:
    """Work in both libraries and housekeeping in none, besides the world's failed job."""
    alpha, bravo = world.library, world.other_library
    _job(1, "thumbnails", Job.State.QUEUED, alpha)
    _job(2, "thumbnails", Job.State.STARTED, alpha)
    _job(3, "classify:object", Job.State.QUEUED, bravo)
    _job(4, "classify:object", Job.State.QUEUED, bravo)
    _job(5, "develop_raw", Job.State.RETRYING, bravo)
    _job(6, "scan", Job.State.QUEUED)
    PhotoPipeline.objects.create(
        photo=world.photo, state="processed", touched_at="2024-01-01T00:00Z"
    )
    bravo_photo = Photo.objects.create(library=bravo)
    PhotoPipeline.objects.create(photo=bravo_photo, state="pending", touched_at="2024-01-01T00:00Z")


def _summary(client: Client) -> dict[str, Any]:
    response = client.get("/api/jobs/summary")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def _stages(summary: dict[str, Any]) -> dict[str, tuple[int, int, int, int]]:
    return {
        s["stage"]: (s["queued"], s["running"], s["retrying"], s["failed"])
        for s in summary["stages"]
    }


def test_the_jobs_summary_counts_only_the_callers_libraries(world: World, busy: None) -> None:
    for role in ("viewer", "editor", "owner"):
        mine = _summary(world.client(role))
        assert _stages(mine) == {"thumbnails": (1, 1, 0, 1)}, role
        assert mine["active"] == 2
        assert mine["photos"] == {"pending": 0, "processing": 0, "processed": 1, "failed": 0}
        # Queue figures are counted from the same records (the broker's are everyone's).
        assert {q["name"]: q["waiting"] for q in mine["queues"] if q["waiting"]} == {"media": 1}
        assert mine["in_flight"] == 1
        assert mine["flower_url"] == ""

    theirs = _summary(world.client("outsider"))
    assert _stages(theirs) == {"classify:object": (2, 0, 0, 0), "develop_raw": (0, 0, 1, 0)}
    assert theirs["active"] == 3
    assert theirs["photos"]["pending"] == 1 and theirs["photos"]["processed"] == 0
    assert theirs["flower_url"] == ""

    # Administrators see the whole installation, as before, with Flower's address.
    everything = _summary(world.client("admin"))
    assert _stages(everything) == {
        "classify:object": (2, 0, 0, 0),
        "develop_raw": (0, 0, 1, 0),
        "scan": (1, 0, 0, 0),
        "thumbnails": (1, 1, 0, 1),
    }
    assert everything["active"] == 6
    assert everything["photos"]["pending"] == 1 and everything["photos"]["processed"] == 1
    assert everything["flower_url"] == settings.PHOTONIX_FLOWER_URL != ""


# --- Hidden photos and public links -----------------------------------------------------------


def _second_photo(world: World) -> Photo:
    """Another photo of the album, with its original and thumbnails on disk."""
    original = Path(world.folder.path) / "second.jpg"
    shutil.copy(FIXTURE, original)
    photo = Photo.objects.create(
        library=world.library, taken_local="2024-06-01T12:00Z", thumbnail_version=1
    )
    file = PhotoFile.objects.create(
        library=world.library,
        folder=world.folder,
        photo=photo,
        path=str(original),
        kind=PhotoFile.Kind.PHOTO,
        state=PhotoFile.State.OK,
        size=original.stat().st_size,
        mtime_ns=1,
        mime_type="image/jpeg",
    )
    photo.preferred_file = file
    photo.save(update_fields=["preferred_file"])
    for size in SIZE_BY_NAME:
        target = thumbnail_path(photo.pk, size, 1)
        target.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (64, 48), "grey").save(
            target, format=target.suffix.lstrip(".").replace("jpg", "jpeg")
        )
    album_services.album_add_photos(world.album, world.users["owner"], [photo.pk])
    return photo


def test_a_public_link_never_shows_a_hidden_photo(world: World) -> None:
    shown = _second_photo(world)
    hidden = world.photo
    owner = world.client("owner")
    assert _patch(owner, f"/api/photos/{hidden.pk}", {"hidden": True}).status_code == 200
    base = f"/api/share/{world.share_token}"
    visitor = Client()

    info = visitor.get(base).json()
    assert info["photo_count"] == 1 and info["cover"]["id"] == shown.pk
    assert [p["id"] for p in visitor.get(f"{base}/photos").json()["results"]] == [shown.pk]
    for suffix in ("", "/thumbnail/grid", "/thumbnail/preview", "/original"):
        assert visitor.get(f"{base}/photos/{hidden.pk}{suffix}").status_code == 404, suffix
        assert visitor.get(f"{base}/photos/{shown.pk}{suffix}").status_code == 200, suffix
    # The link's manager is told what its visitors see.
    listed = owner.get("/api/shares").json()
    assert [link["photo_count"] for link in listed] == [1]
    # The album's members still see the hidden photo in the album, marked.
    in_album = owner.get(f"/api/albums/{world.album.pk}/photos").json()["results"]
    assert {p["id"]: p["hidden"] for p in in_album} == {hidden.pk: True, shown.pk: False}

    # A link to a selection: hidden photos stay out, and a selection of hidden photos only
    # is refused with the reason.
    refused = owner.post("/api/shares", {"photo_ids": [hidden.pk]}, content_type="application/json")
    assert refused.status_code == 400
    assert "Hidden photos are not shared by link" in str(refused.json())
    mixed = owner.post(
        "/api/shares", {"photo_ids": [hidden.pk, shown.pk]}, content_type="application/json"
    )
    assert mixed.status_code == 201, mixed.content
    selection = f"/api/share/{mixed.json()['token']}"
    assert [p["id"] for p in visitor.get(f"{selection}/photos").json()["results"]] == [shown.pk]
    assert visitor.get(f"{selection}/photos/{hidden.pk}").status_code == 404

    # Shown again once unhidden.
    assert _patch(owner, f"/api/photos/{hidden.pk}", {"hidden": False}).status_code == 200
    assert visitor.get(base).json()["photo_count"] == 2
    assert visitor.get(f"{base}/photos/{hidden.pk}").status_code == 200


def test_pending_people_grouping_counts_only_in_the_callers_libraries(
    world: World, clean_broker: str
) -> None:
    from photonix.pipeline.debounce import FACES_RECLUSTER

    with override_settings(PHOTONIX_FACES_GROUP_DELAY=60):
        FACES_RECLUSTER.request(world.other_library.pk)
        assert _summary(world.client("owner"))["people_pending"] == 0
        assert _summary(world.client("outsider"))["people_pending"] == 1
        assert _summary(world.client("admin"))["people_pending"] == 1
