from __future__ import annotations

from pathlib import Path

import pytest

from photonix.core.models import User
from photonix.library.importing.services import path_deleted, path_moved
from photonix.library.models import LibraryMember, PhotoFile
from photonix.library.services import (
    LibraryError,
    library_add,
)

pytestmark = pytest.mark.django_db


def test_library_add_creates_then_extends(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    admin = User.objects.create_superuser("root", password="x" * 12)
    library, folders = library_add("Family", [str(tmp_path / "a")], scan=False)
    assert [f.path for f in folders] == [str(tmp_path / "a")]
    assert LibraryMember.objects.get(library=library, user=admin).role == "owner"
    # Extending (the command line's ``library add``) adds folders, never members or roles.
    LibraryMember.objects.filter(library=library, user=admin).update(role="viewer")
    later = User.objects.create_superuser("later", password="x" * 12)
    same, more = library_add(
        "family", [str(tmp_path / "b")], watched=False, scan=False, extend=True
    )
    assert same.pk == library.pk
    assert more[0].watched is False
    assert sorted(library.folders.values_list("path", flat=True)) == [
        str(tmp_path / "a"),
        str(tmp_path / "b"),
    ]
    assert list(library.members.values_list("user__username", "role")) == [("root", "viewer")]
    assert not LibraryMember.objects.filter(user=later).exists()


def test_library_add_refuses_a_taken_name_without_extend(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    owner = User.objects.create_user("ann", password="x" * 12)
    admin = User.objects.create_superuser("root", password="x" * 12)
    library, _ = library_add("Family", [str(tmp_path / "a")], owner=owner, scan=False)
    with pytest.raises(LibraryError, match="a library called 'FAMILY' already exists") as refused:
        library_add("FAMILY", [str(tmp_path / "b")], owner=admin, scan=False)
    assert refused.value.field == "name"
    assert list(library.members.values_list("user__username", "role")) == [("ann", "owner")]
    assert list(library.folders.values_list("path", flat=True)) == [str(tmp_path / "a")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: str(p / "nope"), "not a folder"),
        (lambda p: str(p / "file.txt"), "not a folder"),
    ],
)
def test_library_add_rejects_bad_folders(tmp_path: Path, make, message: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(LibraryError, match=message):
        library_add("L", [make(tmp_path)], scan=False)


def test_folders_cannot_overlap_or_change_library(tmp_path: Path) -> None:
    (tmp_path / "photos" / "2024").mkdir(parents=True)
    library_add("One", [str(tmp_path / "photos")], scan=False)
    with pytest.raises(LibraryError, match="overlaps"):
        library_add("Two", [str(tmp_path / "photos" / "2024")], scan=False)
    with pytest.raises(LibraryError, match="overlaps"):
        library_add("Two", [str(tmp_path)], scan=False)
    with pytest.raises(LibraryError, match="already belongs to library 'One'"):
        library_add("Two", [str(tmp_path / "photos")], scan=False)


def test_library_add_starts_scans_after_commit(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        library_add("L", [str(tmp_path)])
    assert len(callbacks) == 2  # the scans, and the watcher's reload notice


def _file(library_folder, path: str, state: str = "ok") -> PhotoFile:
    return PhotoFile.objects.create(
        library_id=library_folder.library_id,
        folder=library_folder,
        path=path,
        kind="photo",
        size=1,
        mtime_ns=1,
        state=state,
    )


def test_moves_and_deletes_follow_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    _, (folder,) = library_add("L", [str(tmp_path)], scan=False)
    a = _file(folder, f"{tmp_path}/a.jpg")
    b = _file(folder, f"{tmp_path}/sub/b.jpg")
    c = _file(folder, f"{tmp_path}/sub/deeper/c.jpg")
    other = _file(folder, f"{tmp_path}/subway.jpg")

    assert path_moved(f"{tmp_path}/a.jpg", f"{tmp_path}/renamed.jpg") == 1
    assert PhotoFile.objects.get(pk=a.pk).path == f"{tmp_path}/renamed.jpg"

    assert path_moved(f"{tmp_path}/sub", f"{tmp_path}/moved") == 2
    assert PhotoFile.objects.get(pk=b.pk).path == f"{tmp_path}/moved/b.jpg"
    assert PhotoFile.objects.get(pk=c.pk).path == f"{tmp_path}/moved/deeper/c.jpg"
    assert PhotoFile.objects.get(pk=other.pk).path == f"{tmp_path}/subway.jpg"

    assert path_deleted(f"{tmp_path}/moved") == 2
    assert set(PhotoFile.objects.filter(state="missing").values_list("pk", flat=True)) == {
        b.pk,
        c.pk,
    }
    assert PhotoFile.objects.get(pk=other.pk).state == "ok"
