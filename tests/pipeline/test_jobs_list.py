"""The jobs list names each job's photo: its file's name and kind and its thumbnails' version,
read with the jobs in one query whatever the page's length."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from photonix.core.models import User
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.pipeline.models import Job


@pytest.fixture
def client(db: None) -> Client:
    admin = User.objects.create_user("ada", password="x", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def folder(tmp_path: Path) -> LibraryFolder:
    _, (folder,) = library_add("Jobs", [str(tmp_path)], scan=False)
    return folder


def make_photo(folder: LibraryFolder, name: str, kind: str = "photo", version: int = 0) -> Photo:
    photo = Photo.objects.create(library_id=folder.library_id, thumbnail_version=version)
    photo.preferred_file = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/{name}",
        kind=kind,
        state="ok",
        size=1,
        mtime_ns=1,
    )
    photo.save()
    return photo


def fail(photo: Photo | None, n: int) -> Job:
    return Job.objects.create(
        task_id=f"task-{n}",
        name="photonix.pipeline.make_thumbnails",
        stage="thumbnails",
        photo=photo,
        library_id=photo.library_id if photo else None,
        state=Job.State.FAILED,
        error="UnidentifiedImageError: cannot identify image file",
    )


def test_a_failed_job_names_its_photos_file_and_thumbnail(
    client: Client, folder: LibraryFolder
) -> None:
    shown = fail(make_photo(folder, "IMG_0001.jpg", version=3), 1)
    raw = fail(make_photo(folder, "DSC_0002.NEF", kind="raw"), 2)
    bare = fail(Photo.objects.create(library_id=folder.library_id), 3)  # no file recorded
    housekeeping = fail(None, 4)

    response = client.get("/api/jobs", {"state": "failed"})

    assert response.status_code == 200, response.content
    rows = {row["id"]: row for row in response.json()["results"]}
    assert {
        pk: (row["file_name"], row["file_kind"], row["thumbnail_version"])
        for pk, row in rows.items()
    } == {
        shown.pk: ("IMG_0001.jpg", "photo", 3),
        raw.pk: ("DSC_0002.NEF", "raw", 0),
        bare.pk: (None, None, 0),
        housekeeping.pk: (None, None, None),
    }
    # The fields there were keep their meaning.
    assert rows[shown.pk]["photo"] == shown.photo_id
    assert rows[shown.pk]["stage"] == "thumbnails"
    assert rows[shown.pk]["error"].startswith("UnidentifiedImageError")


def test_a_page_of_jobs_is_read_in_a_fixed_number_of_queries(
    client: Client, folder: LibraryFolder, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(30):
        fail(make_photo(folder, f"IMG_{n:04}.jpg", version=1), n)
    # Session, user, count, the page (jobs with their photos and files): not one per job.
    with django_assert_max_num_queries(5):
        response = client.get("/api/jobs", {"state": "failed"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 30


def test_the_list_filters_by_photo(client: Client, folder: LibraryFolder) -> None:
    mine = fail(make_photo(folder, "a.jpg"), 1)
    fail(make_photo(folder, "b.jpg"), 2)
    response = client.get("/api/jobs", {"state": "failed", "photo": str(mine.photo_id)})
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
