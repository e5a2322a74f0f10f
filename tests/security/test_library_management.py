"""Managing a library from Settings: rename it, add a folder, switch watching, remove a folder.

Bad input gets a clear error on its field and changes nothing; a folder can never be added where
it would import photos twice or take another library's photos (symlinks included); removing a
folder never touches the disk. Who may do it is in the authorization matrix; here, what happens.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from photonix.classifiers.models import PhotoTag
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile
from photonix.storage.derived import SIZE_BY_NAME, thumbnail_path
from tests.security.conftest import FIXTURE, SECRET_FILE, SECRET_LIBRARY, World
from tests.signin import sign_in


def _admin_member(world: World) -> Client:
    LibraryMember.objects.create(library=world.library, user=world.users["admin"], role="owner")
    return world.client("admin")


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


# --- The caller's role --------------------------------------------------------------------


def test_libraries_say_the_callers_role(world: World) -> None:
    for role in ("viewer", "editor", "owner"):
        libraries = world.client(role).get("/api/libraries").json()
        assert [(lib["name"], lib["role"]) for lib in libraries] == [(world.library.name, role)], (
            role
        )
    detail = world.client("outsider").get(f"/api/libraries/{world.other_library.pk}").json()
    assert detail["role"] == "owner"


# --- Create ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "viewer", "editor"])
@pytest.mark.parametrize("caller", ["token", "stale session", "session"])
def test_creating_a_library_under_a_taken_name_changes_no_membership(
    world: World, role: str | None, caller: str
) -> None:
    """``POST /api/libraries`` creates libraries only: an administrator cannot take a library
    over, or raise their role in it, by "creating" it again under its name (docs/adr/0007)."""
    admin = world.users["admin"]
    if role is not None:
        LibraryMember.objects.create(library=world.library, user=admin, role=role)
    if caller == "token":
        client, headers = Client(), {"Authorization": f"Bearer {world.tokens['admin'][1]}"}
    else:
        client, headers = sign_in(Client(), admin, password_age=3600 * (caller != "session")), {}
    members = sorted(LibraryMember.objects.values_list("library_id", "user_id", "role"))
    response = client.post(
        "/api/libraries",
        {"name": f" {SECRET_LIBRARY.lower()} ", "folders": [str(world.spare_dir)]},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400, response.content
    assert response.json() == {
        "name": [f"a library called {SECRET_LIBRARY.lower()!r} already exists; choose another name"]
    }
    assert sorted(LibraryMember.objects.values_list("library_id", "user_id", "role")) == members
    assert not LibraryFolder.objects.filter(path=str(world.spare_dir)).exists()
    assert Library.objects.count() == 2


def test_an_administrator_creates_and_owns_a_new_library(world: World) -> None:
    response = _post(
        world.client("admin"),
        "/api/libraries",
        {"name": "Charlie", "folders": [str(world.spare_dir)]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "owner"
    library = Library.objects.get(name="Charlie")
    assert list(library.members.values_list("user__username", "role")) == [("ada", "owner")]


def test_the_folder_browser_names_only_the_callers_libraries(world: World) -> None:
    """An administrator browsing the server learns that a folder is taken, and the name of the
    library holding it only if they belong to it."""
    admin = world.client("admin")
    inside = Path(world.folder.path) / "inside"
    inside.mkdir()
    for path in (world.folder.path, str(inside)):
        listing = admin.get("/api/server/folders", {"path": path}).json()
        assert (listing["library"], listing["in_library"]) == (None, True), path
        assert SECRET_LIBRARY not in str(listing)
    free = admin.get("/api/server/folders", {"path": str(world.spare_dir)}).json()
    assert (free["library"], free["in_library"]) == (None, False)
    LibraryMember.objects.create(library=world.library, user=world.users["admin"], role="viewer")
    listing = admin.get("/api/server/folders", {"path": str(inside)}).json()
    assert (listing["library"], listing["in_library"]) == (SECRET_LIBRARY, True)


# --- Rename -------------------------------------------------------------------------------


def test_owner_renames_the_library(world: World) -> None:
    url = f"/api/libraries/{world.library.pk}"
    response = _patch(world.client("owner"), url, {"name": "  Family photos "})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Family photos"
    assert response.json()["role"] == "owner"
    assert Library.objects.get(pk=world.library.pk).name == "Family photos"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "This field may not be blank."),
        ("bravo", "another library is already called 'Bravo'"),
    ],
)
def test_rename_errors_are_clear_and_change_nothing(world: World, name: str, message: str) -> None:
    url = f"/api/libraries/{world.library.pk}"
    response = _patch(world.client("owner"), url, {"name": name})
    assert response.status_code == 400
    assert response.json() == {"name": [message]}
    assert Library.objects.get(pk=world.library.pk).name == world.library.name


def test_rename_needs_a_name(world: World) -> None:
    response = _patch(world.client("owner"), f"/api/libraries/{world.library.pk}", {})
    assert response.status_code == 400
    assert "name" in response.json()


# --- Add a folder ---------------------------------------------------------------------------


def test_admin_adds_a_folder_and_its_scan_starts(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = _admin_member(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(
            client,
            f"/api/libraries/{world.library.pk}/folders",
            {"path": str(world.spare_dir) + "/", "watched": False},
        )
    assert response.status_code == 201, response.content
    folders = {f["path"]: f["watched"] for f in response.json()["folders"]}
    assert folders == {world.folder.path: True, str(world.spare_dir): False}
    # One scan of the new folder and one reload of the watcher, once the row is committed.
    assert len(callbacks) == 2


def test_an_owner_who_is_not_an_administrator_cannot_add_folders(world: World) -> None:
    response = _post(
        world.client("owner"),
        f"/api/libraries/{world.library.pk}/folders",
        {"path": str(world.spare_dir)},
    )
    assert response.status_code == 403
    assert "Only an administrator can add folders" in response.json()["detail"]
    assert not LibraryFolder.objects.filter(path=str(world.spare_dir)).exists()


def _bad_paths(world: World, tmp_path: Path) -> list[tuple[str, str]]:
    alpha, bravo = Path(world.folder.path), Path(world.other_library.folders.get().path)
    (tmp_path / "a-file.jpg").write_bytes(b"x")
    (tmp_path / "to-bravo").symlink_to(bravo, target_is_directory=True)
    (alpha / "inside").mkdir()
    return [
        ("relative/path", "use an absolute path"),
        (str(tmp_path / "does-not-exist"), "not a folder (it does not exist or is a file)"),
        (str(tmp_path / "a-file.jpg"), "not a folder"),
        (str(alpha), "is already a folder of this library"),
        (str(bravo), "already belongs to library 'Bravo'"),
        # A symlink is followed to where it points: it cannot smuggle in another library's photos.
        (str(tmp_path / "to-bravo"), "already belongs to library 'Bravo'"),
        (str(alpha / "inside"), f"overlaps folder {alpha} of this library"),
        (str(alpha.parent), "overlaps folder"),
        ("/" + "x" * 5000, "Ensure this field has no more than 4096 characters."),
        ("/" + "x" * 300, "not a usable folder"),
    ]


def test_bad_folders_get_a_clear_error_and_change_nothing(world: World, tmp_path: Path) -> None:
    client = _admin_member(world)
    before = sorted(LibraryFolder.objects.values_list("path", flat=True))
    for path, message in _bad_paths(world, tmp_path):
        response = _post(client, f"/api/libraries/{world.library.pk}/folders", {"path": path})
        assert response.status_code == 400, (path, response.content)
        errors = response.json()["path"]
        assert any(message in error for error in errors), (path, errors)
    assert sorted(LibraryFolder.objects.values_list("path", flat=True)) == before


def test_system_folders_are_refused_after_resolving_symlinks(world: World, tmp_path: Path) -> None:
    """/proc, /sys and /dev hold no photos; reading some of their files never ends, and
    /proc/self would be stored as the number of whichever web worker resolved it. Refused
    however they are named, when a library is created and when a folder is added."""
    (tmp_path / "to-proc").symlink_to("/proc", target_is_directory=True)
    (tmp_path / "to-dev").symlink_to("/dev", target_is_directory=True)
    me = f"/proc/{os.getpid()}"
    refused = [
        ("/proc/self", f"/proc/self (that is {me}): /proc is the system's own folder"),
        ("/proc", "/proc: /proc is the system's own folder, not one of photos"),
        ("/tmp/../proc/1", "/tmp/../proc/1 (that is /proc/1): /proc is the system's own"),
        ("/sys/kernel", "/sys/kernel: /sys is the system's own folder"),
        ("/dev/", "/dev/: /dev is the system's own folder"),
        ("/dev/shm", "/dev/shm: /dev is the system's own folder"),
        (str(tmp_path / "to-proc"), f"{tmp_path / 'to-proc'} (that is /proc): /proc is"),
        (str(tmp_path / "to-dev") + "/shm", "(that is /dev/shm): /dev is the system's own"),
        ("/", "/: the root folder holds the system's folders (/proc, /sys, /dev)"),
    ]
    admin = _admin_member(world)
    before = sorted(LibraryFolder.objects.values_list("path", flat=True))
    for path, message in refused:
        response = _post(admin, f"/api/libraries/{world.library.pk}/folders", {"path": path})
        assert response.status_code == 400, (path, response.content)
        assert any(message in error for error in response.json()["path"]), (path, response.json())
        created = _post(admin, "/api/libraries", {"name": "System", "folders": [path]})
        assert created.status_code == 400, (path, created.content)
        assert message in created.json()["detail"], (path, created.json())
    assert sorted(LibraryFolder.objects.values_list("path", flat=True)) == before
    assert not Library.objects.filter(name="System").exists()
    # Nor does the folder browser offer them.
    listing = admin.get("/api/server/folders", {"path": "/"}).json()
    assert not {"proc", "sys", "dev"} & {folder["name"] for folder in listing["folders"]}


# --- Watching -------------------------------------------------------------------------------


def test_owner_switches_watching(world: World, django_capture_on_commit_callbacks: Any) -> None:
    url = f"/api/libraries/{world.library.pk}/folders/{world.folder.pk}"
    client = world.client("owner")
    with django_capture_on_commit_callbacks(execute=False) as off:
        response = _patch(client, url, {"watched": False})
    assert response.status_code == 200, response.content
    assert response.json()["folders"][0]["watched"] is False
    assert len(off) == 1  # the watcher reloads; nothing to scan
    with django_capture_on_commit_callbacks(execute=False) as on:
        assert _patch(client, url, {"watched": True}).status_code == 200
    assert len(on) == 2  # the watcher reloads, and a scan catches up with what it missed
    assert LibraryFolder.objects.get(pk=world.folder.pk).watched is True


def test_a_folder_of_another_library_is_not_found_through_this_one(world: World) -> None:
    other_folder = world.other_library.folders.get()
    url = f"/api/libraries/{world.library.pk}/folders/{other_folder.pk}"
    assert _patch(world.client("owner"), url, {"watched": False}).status_code == 404
    assert world.client("owner").delete(url).status_code == 404
    assert LibraryFolder.objects.get(pk=other_folder.pk).watched is True


def test_watching_needs_a_boolean(world: World) -> None:
    url = f"/api/libraries/{world.library.pk}/folders/{world.folder.pk}"
    response = _patch(world.client("owner"), url, {"watched": "sometimes"})
    assert response.status_code == 400
    assert "watched" in response.json()


# --- Remove a folder ------------------------------------------------------------------------


def test_removing_a_folder_keeps_the_files_on_disk(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    original = Path(world.file.path)
    before = original.read_bytes()
    thumbnails = [thumbnail_path(world.photo.pk, size, 1) for size in SIZE_BY_NAME]
    assert all(path.is_file() for path in thumbnails)
    # Another photo's thumbnail beside them, whose id starts with the same digits, stays.
    neighbour = thumbnail_path(world.photo.pk * 10 + 1, "grid", 1)
    neighbour.parent.mkdir(parents=True, exist_ok=True)
    neighbour.write_bytes(b"someone else's thumbnail")
    url = f"/api/libraries/{world.library.pk}/folders/{world.folder.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("owner").delete(url)
    assert response.status_code == 200, response.content
    assert response.json() == {"files": 1, "photos": 1}
    assert original.read_bytes() == before, "a photo file on disk was touched"
    assert Path(world.folder.path).is_dir()
    assert not LibraryFolder.objects.filter(pk=world.folder.pk).exists()
    assert not Photo.objects.filter(pk=world.photo.pk).exists()
    assert not PhotoFile.objects.filter(pk=world.file.pk).exists()
    assert not PhotoTag.objects.filter(photo_id=world.photo.pk).exists()
    # What Photonix derived from the photo is deleted; nothing else.
    assert not any(path.exists() for path in thumbnails)
    assert neighbour.read_bytes() == b"someone else's thumbnail"
    # The library and the other library are untouched.
    assert Library.objects.filter(pk=world.library.pk).exists()
    assert world.other_library.folders.count() == 1


def test_a_photo_with_a_version_elsewhere_stays(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """A RAW in a second folder of the library is a version of the photo: removing the first
    folder leaves the photo with that version, recorded again from it."""
    second_dir = world.spare_dir
    second = LibraryFolder.objects.create(library=world.library, path=str(second_dir))
    shutil.copy(FIXTURE, second_dir / SECRET_FILE)
    twin = PhotoFile.objects.create(
        library=world.library,
        folder=second,
        photo=world.photo,
        path=str(second_dir / SECRET_FILE),
        kind=PhotoFile.Kind.RAW,
        state=PhotoFile.State.OK,
        size=1,
        mtime_ns=1,
    )
    url = f"/api/libraries/{world.library.pk}/folders/{world.folder.pk}"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = world.client("owner").delete(url)
    assert response.json() == {"files": 1, "photos": 0}
    photo = Photo.objects.get(pk=world.photo.pk)
    assert list(photo.files.values_list("pk", flat=True)) == [twin.pk]
    assert photo.preferred_file_id is None  # until the twin is recorded again
    assert len(callbacks) == 2  # record the twin, reload the watcher


def test_viewer_and_editor_cannot_remove_or_rename(world: World) -> None:
    url = f"/api/libraries/{world.library.pk}"
    for role in ("viewer", "editor"):
        client = world.client(role)
        refused = client.delete(f"{url}/folders/{world.folder.pk}")
        assert refused.status_code == 403
        assert refused.json() == {"detail": "Only the library's owners can remove its folders."}
        assert _patch(client, url, {"name": "Mine"}).status_code == 403
    assert LibraryFolder.objects.filter(pk=world.folder.pk).exists()
    assert Library.objects.get(pk=world.library.pk).name == world.library.name


# --- Members, with an API token -------------------------------------------------------------


def test_an_owners_token_cannot_grant_library_roles(world: World) -> None:
    """A leaked token must not make its holder's own account a member, nor raise anyone's
    role: 403 with the reason, nothing changes. Taking power away stays open to scripts."""
    token = {"Authorization": f"Bearer {world.tokens['owner'][1]}"}
    members = f"/api/libraries/{world.library.pk}/members"
    viewer, editor = world.users["viewer"].pk, world.users["editor"].pk
    script = Client()

    def roles() -> dict[str, str]:
        return dict(
            LibraryMember.objects.filter(library=world.library).values_list(
                "user__username", "role"
            )
        )

    before = roles()
    refusals = [
        ("post", members, {"username": "oscar", "role": "viewer"}),
        ("post", members, {"username": "victor", "role": "owner"}),
        ("patch", f"{members}/{viewer}", {"role": "editor"}),
        ("patch", f"{members}/{editor}", {"role": "owner"}),
    ]
    for method, url, body in refusals:
        response = getattr(script, method)(
            url, body, content_type="application/json", headers=token
        )
        assert response.status_code == 403, (url, body, response.content)
        assert response.json() == {
            "detail": "Adding a member or raising a role needs you signed in with your "
            "password; API tokens cannot do it."
        }
    assert roles() == before

    lowered = script.patch(
        f"{members}/{editor}", {"role": "viewer"}, content_type="application/json", headers=token
    )
    assert lowered.status_code == 200, lowered.content
    same = script.post(
        members,
        {"username": "victor", "role": "viewer"},
        content_type="application/json",
        headers=token,
    )
    assert same.status_code == 201, same.content  # no change of power: allowed
    assert script.delete(f"{members}/{viewer}", headers=token).status_code == 204
    assert roles() == {"olivia": "owner", "edith": "viewer"}

    # The owner's browser, signed in with the password, grants as before.
    browser = world.client("owner")
    assert _post(browser, members, {"username": "oscar", "role": "editor"}).status_code == 201
    assert roles()["oscar"] == "editor"
