"""The library HTTP API, through Django's test client with session sign-in.

Every read is scoped to the libraries the signed-in user belongs to: another user's library, its
photos, files and errors answer 404, exactly like ids that do not exist.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from photonix.classifiers.models import ClassifierSwitch
from photonix.core.models import User
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _library(name: str, root: Path, owner: User) -> tuple[Library, LibraryFolder]:
    root.mkdir(parents=True, exist_ok=True)
    library = Library.objects.create(name=name)
    LibraryMember.objects.create(library=library, user=owner, role=LibraryMember.Role.OWNER)
    folder = LibraryFolder.objects.create(library=library, path=str(root))
    return library, folder


def _photo(folder: LibraryFolder, name: str, taken: dt.datetime | None, **facts: Any) -> Photo:
    """A recorded photo with one file, as recording leaves it."""
    photo = Photo.objects.create(library_id=folder.library_id, taken_local=taken, **facts)
    file = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/{name}",
        kind=PhotoFile.Kind.PHOTO,
        state=PhotoFile.State.OK,
        size=1000,
        mtime_ns=1,
        file_type="JPEG",
        width=facts.get("width"),
        height=facts.get("height"),
        metadata={"IFD0:Make": "Canon", "ExifIFD:ISO": 100},
    )
    photo.preferred_file = file
    photo.save(update_fields=["preferred_file"])
    return photo


def _failed(folder: LibraryFolder, name: str, reason: str, state: str = "failed") -> PhotoFile:
    return PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        path=f"{folder.path}/{name}",
        kind=PhotoFile.Kind.VIDEO if state == "unsupported" else PhotoFile.Kind.PHOTO,
        state=state,
        size=0,
        mtime_ns=1,
        error=reason,
    )


def _at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2024, 1, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def bob() -> User:
    return User.objects.create_user("bob", password=PASSWORD)


@pytest.fixture
def admin() -> User:
    return User.objects.create_superuser("root", password=PASSWORD)


def test_everything_requires_sign_in(tmp_path: Path, alice: User) -> None:
    _, folder = _library("Alice", tmp_path / "a", alice)
    photo = _photo(folder, "a.jpg", _at(1))
    anonymous = Client()
    for url in (
        "/api/libraries",
        f"/api/libraries/{folder.library_id}",
        f"/api/libraries/{folder.library_id}/errors",
        "/api/photos",
        f"/api/photos/{photo.pk}",
        f"/api/files/{photo.preferred_file_id}/metadata",
    ):
        assert anonymous.get(url).status_code in (401, 403), url


def test_users_see_only_their_own_libraries(tmp_path: Path, alice: User, bob: User) -> None:
    library, folder = _library("Alice's photos", tmp_path / "alice", alice)
    photo = _photo(folder, "a.jpg", _at(1), rating=5)
    broken = _failed(folder, "broken.jpg", "empty file (0 bytes)")
    bobs_library, bobs_folder = _library("Bob's photos", tmp_path / "bob", bob)
    bobs_photo = _photo(bobs_folder, "b.jpg", _at(2))

    as_alice, as_bob = _client(alice), _client(bob)

    # Alice sees hers.
    libraries = as_alice.get("/api/libraries").json()
    assert [lib["name"] for lib in libraries] == ["Alice's photos"]
    assert libraries[0]["photo_count"] == 1 and libraries[0]["error_count"] == 1
    assert [f["path"] for f in libraries[0]["folders"]] == [str(tmp_path / "alice")]
    assert as_alice.get(f"/api/libraries/{library.pk}").status_code == 200
    assert [p["id"] for p in as_alice.get("/api/photos").json()["results"]] == [photo.pk]
    assert as_alice.get(f"/api/photos/{photo.pk}").status_code == 200
    assert as_alice.get(f"/api/files/{photo.preferred_file_id}/metadata").status_code == 200
    errors = as_alice.get(f"/api/libraries/{library.pk}/errors").json()
    assert [f["id"] for f in errors["results"]] == [broken.pk]

    # Bob sees only his, and nothing of Alice's, whichever way he asks.
    assert [lib["name"] for lib in as_bob.get("/api/libraries").json()] == ["Bob's photos"]
    assert as_bob.get(f"/api/libraries/{library.pk}").status_code == 404
    assert [p["id"] for p in as_bob.get("/api/photos").json()["results"]] == [bobs_photo.pk]
    assert as_bob.get(f"/api/photos?library={library.pk}").json()["count"] == 0
    assert as_bob.get(f"/api/photos/{photo.pk}").status_code == 404
    assert as_bob.get(f"/api/files/{photo.preferred_file_id}/metadata").status_code == 404
    assert as_bob.get(f"/api/files/{broken.pk}/metadata").status_code == 404
    assert as_bob.get(f"/api/libraries/{library.pk}/errors").status_code == 404
    assert as_bob.post(f"/api/libraries/{library.pk}/scan").status_code == 404
    # ... and the same for ids that do not exist at all.
    assert as_bob.get("/api/photos/999999").status_code == 404
    assert as_alice.get(f"/api/libraries/{bobs_library.pk}").status_code == 404


def test_creating_a_library_is_for_administrators(
    tmp_path: Path, alice: User, admin: User, django_capture_on_commit_callbacks
) -> None:
    (tmp_path / "photos").mkdir()
    payload = {"name": "Family", "folders": [str(tmp_path / "photos")]}

    response = _client(alice).post("/api/libraries", payload, content_type="application/json")
    assert response.status_code == 403
    assert not Library.objects.exists()

    as_admin = _client(admin)
    bad = as_admin.post(
        "/api/libraries",
        {"name": "Family", "folders": [str(tmp_path / "nope")]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert (
        bad.json()["detail"]
        == f"{tmp_path / 'nope'}: not a folder (it does not exist or is a file)"
    )
    assert not Library.objects.exists()

    missing_folders = as_admin.post(
        "/api/libraries", {"name": "Family", "folders": []}, content_type="application/json"
    )
    assert missing_folders.status_code == 400
    assert "folders" in missing_folders.json()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = as_admin.post("/api/libraries", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "Family" and body["photo_count"] == 0
    assert [(f["path"], f["watched"]) for f in body["folders"]] == [
        (str(tmp_path / "photos"), True)
    ]
    assert len(callbacks) == 2  # the scan, and the watcher's reload notice
    library = Library.objects.get(name="Family")
    assert LibraryMember.objects.get(library=library, user=admin).role == "owner"
    assert not LibraryMember.objects.filter(user=alice).exists()

    # A folder that another library already has is refused with the reason.
    again = as_admin.post(
        "/api/libraries",
        {"name": "Other", "folders": [str(tmp_path / "photos")]},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert "already belongs to library 'Family'" in again.json()["detail"]


def test_a_new_library_starts_with_the_classifiers_chosen_for_it(
    tmp_path: Path, admin: User, django_capture_on_commit_callbacks
) -> None:
    (tmp_path / "photos").mkdir()
    as_admin = _client(admin)
    unknown = as_admin.post(
        "/api/libraries",
        {
            "name": "Family",
            "folders": [str(tmp_path / "photos")],
            "classifiers": [{"name": "horoscope", "enabled": True}],
        },
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert unknown.json()["classifiers"] == ["unknown classifier(s): horoscope"]
    assert not Library.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = as_admin.post(
            "/api/libraries",
            {
                "name": "Family",
                "folders": [str(tmp_path / "photos")],
                "watched": False,
                "classifiers": [
                    {"name": "faces", "enabled": False},
                    {"name": "style", "enabled": False},
                    {"name": "object", "enabled": True},
                ],
            },
            content_type="application/json",
        )
    assert created.status_code == 201, created.content
    # The switches are in place before the first scan (which starts on commit) imports anything.
    library_id = created.json()["id"]
    assert set(
        ClassifierSwitch.objects.filter(library_id=library_id, enabled=False).values_list(
            "name", flat=True
        )
    ) == {"faces", "style"}
    assert len(callbacks) == 2  # the scan and the watcher's notice; nothing to reprocess
    switches = as_admin.get(f"/api/libraries/{library_id}/classifiers").json()["classifiers"]
    assert {c["name"]: c["enabled"] for c in switches} == {
        "clip": True,
        "colour": True,
        "detect": True,
        "event": True,
        "faces": False,
        "object": True,
        "place": True,
        "similar": True,
        "style": False,
    }


def test_administrators_browse_the_servers_folders(
    tmp_path: Path, alice: User, admin: User
) -> None:
    root = tmp_path / "disk"
    for folder in ("Holidays", "archive", ".hidden", "@eaDir", "Zoo/deeper"):
        (root / folder).mkdir(parents=True)
    for name in ("a.jpg", "b.HEIC", "c.cr2", "notes.txt", ".d.jpg"):
        (root / name).write_bytes(b"x")
    _library("Family", root / "Holidays", alice)

    assert _client(alice).get("/api/server/folders", {"path": str(root)}).status_code == 403
    assert Client().get("/api/server/folders").status_code in (401, 403)

    as_admin = _client(admin)
    listing = as_admin.get("/api/server/folders", {"path": f"{root}/Zoo/.."})
    assert listing.status_code == 200, listing.content
    body = listing.json()
    assert body["path"] == str(root)
    assert body["parent"] == str(tmp_path)
    # Hidden and NAS housekeeping folders are left out; the rest sorted without regard to case.
    assert [(f["name"], f["path"], f["readable"]) for f in body["folders"]] == [
        ("archive", str(root / "archive"), True),
        ("Holidays", str(root / "Holidays"), True),
        ("Zoo", str(root / "Zoo"), True),
    ]
    assert body["photo_count"] == 3  # a.jpg, b.HEIC and the raw c.cr2
    assert body["truncated"] is False and body["photo_count_capped"] is False
    assert (body["library"], body["in_library"]) == (None, False)
    # Taken by a library the administrator does not belong to: said, but not named.
    inside = as_admin.get("/api/server/folders", {"path": str(root / "Holidays")}).json()
    assert (inside["library"], inside["in_library"]) == (None, True)
    LibraryMember.objects.create(library=Library.objects.get(name="Family"), user=admin)
    inside = as_admin.get("/api/server/folders", {"path": str(root / "Holidays")}).json()
    assert (inside["library"], inside["in_library"]) == ("Family", True)
    assert as_admin.get("/api/server/folders", {"path": "/"}).json()["parent"] is None
    assert as_admin.get("/api/server/folders").json()["path"] in ["/", *body["places"]]

    for path, reason in (
        ("photos/2024", "photos/2024: use an absolute path (one that starts with /)"),
        (str(root / "missing"), f"{root / 'missing'}: no such folder on the server"),
        (str(root / "a.jpg"), f"{root / 'a.jpg'}: this is a file, not a folder"),
    ):
        refused = as_admin.get("/api/server/folders", {"path": path})
        assert refused.status_code == 400
        assert refused.json() == {"detail": reason}


def test_photos_are_listed_newest_first_and_paginated(tmp_path: Path, alice: User) -> None:
    _, folder = _library("Alice", tmp_path / "a", alice)
    days = [5, 1, 9, 3, 7]
    by_day = {day: _photo(folder, f"{day}.jpg", _at(day)) for day in days}
    same_time = _photo(folder, "burst.jpg", _at(9))  # a tie on the date: the newer id first
    hidden = _photo(folder, "pending.jpg", _at(20))
    PhotoFile.objects.filter(photo=hidden).update(state="pending")
    client = _client(alice)

    first = client.get("/api/photos?page_size=3").json()
    assert first["count"] == 6  # a photo whose file is not recorded yet is not listed
    assert first["next"] is not None and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["next"] is None and second["previous"] is not None
    ids = [p["id"] for page in (first, second) for p in page["results"]]
    assert ids == [same_time.pk] + [by_day[d].pk for d in (9, 7, 5, 3, 1)]
    assert first["results"][1]["taken_at"] == "2024-01-09T12:00:00"
    assert set(first["results"][0]) >= {"id", "library", "taken_at", "width", "height"}


def test_photo_list_query_count_does_not_grow(
    tmp_path: Path, alice: User, django_assert_max_num_queries
) -> None:
    _, folder = _library("Alice", tmp_path / "a", alice)
    client = _client(alice)

    def queries_for_list() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/photos").status_code == 200
        return len(context)

    _photo(folder, "0.jpg", _at(1))
    few = queries_for_list()
    for i in range(1, 40):
        _photo(folder, f"{i}.jpg", _at(1 + i % 28, i % 24))
    with django_assert_max_num_queries(few):
        response = client.get("/api/photos")
    assert len(response.json()["results"]) == 40


def test_photo_detail_has_its_versions_and_metadata(tmp_path: Path, alice: User) -> None:
    _, folder = _library("Alice", tmp_path / "a", alice)
    photo = _photo(folder, "IMG_1.jpg", _at(1), width=4000, height=3000, rating=3)
    raw = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/IMG_1.dng",
        kind=PhotoFile.Kind.RAW,
        state=PhotoFile.State.OK,
        size=5000,
        mtime_ns=1,
        file_type="DNG",
    )
    # A version gone from disk is not shown.
    gone = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/old/IMG_1.jpg",
        kind=PhotoFile.Kind.PHOTO,
        state=PhotoFile.State.MISSING,
        size=1,
        mtime_ns=1,
    )
    client = _client(alice)

    body = client.get(f"/api/photos/{photo.pk}").json()
    assert body["rating"] == 3 and (body["width"], body["height"]) == (4000, 3000)
    files = {f["id"]: f for f in body["files"]}
    assert set(files) == {photo.preferred_file_id, raw.pk}
    assert gone.pk not in files
    assert files[photo.preferred_file_id]["preferred"] is True
    assert files[raw.pk]["preferred"] is False
    assert files[raw.pk]["kind"] == "raw" and files[raw.pk]["file_type"] == "DNG"

    metadata = client.get(f"/api/files/{photo.preferred_file_id}/metadata").json()
    assert metadata["metadata"] == {"IFD0:Make": "Canon", "ExifIFD:ISO": 100}
    assert metadata["path"] == f"{folder.path}/IMG_1.jpg"


def test_import_errors_list_failed_files_with_reasons(tmp_path: Path, alice: User) -> None:
    library, folder = _library("Alice", tmp_path / "a", alice)
    _photo(folder, "fine.jpg", _at(1))
    _failed(folder, "zero.jpg", "empty file (0 bytes)")
    _failed(folder, "clip.mp4", "videos are not supported yet", state="unsupported")
    _failed(folder, "notes.png", "not an image (content is plain text)")
    PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        path=f"{folder.path}/gone.jpg",
        kind="photo",
        state="missing",
        size=1,
        mtime_ns=1,
    )
    client = _client(alice)

    body = client.get(f"/api/libraries/{library.pk}/errors").json()
    assert body["count"] == 3
    assert [(Path(f["path"]).name, f["state"], f["error"]) for f in body["results"]] == [
        ("clip.mp4", "unsupported", "videos are not supported yet"),
        ("notes.png", "failed", "not an image (content is plain text)"),
        ("zero.jpg", "failed", "empty file (0 bytes)"),
    ]
    assert client.get(f"/api/libraries/{library.pk}").json()["error_count"] == 3
