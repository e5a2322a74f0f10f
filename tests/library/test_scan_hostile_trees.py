"""Trees a scan must survive: a name that is not UTF-8, a folder nested a thousand levels deep.

One such file or folder must never stop the rest of its folder from being imported, and the scan
must end visibly (its figures and errors on the folder), however many times it is run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import override_settings

from photonix.library.importing import services
from photonix.library.importing.scanning import UNREADABLE_NAME, folder_scan, storable_path
from photonix.library.importing.tasks import scan_folder
from photonix.library.models import LibraryFolder, PhotoFile
from photonix.library.services import library_add
from tests.library.trees import deep_tree

pytestmark = pytest.mark.django_db

BAD_NAME = b"\xff\xfe.jpg"


def _folder(root: Path) -> LibraryFolder:
    _, (folder,) = library_add("L", [str(root)], scan=False)
    return folder


def _write_bytes_name(folder: Path, name: bytes, content: bytes = b"x" * 10) -> str:
    """Create a file whose name is raw bytes; return its path as the file system gives it."""
    path = os.path.join(os.fsencode(folder), name)  # noqa: PTH118 - a bytes path
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)
    return os.fsdecode(path)


def test_a_name_that_is_not_utf8_fails_alone_and_the_folder_imports(tmp_path: Path) -> None:
    for name in ("a.jpg", "b.png", "sub/c.jpg"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * 10)
    raw = _write_bytes_name(tmp_path, BAD_NAME)
    _write_bytes_name(tmp_path / "sub", b"caf\xe9.jpg")  # Latin-1, as an old camera card has it
    folder = _folder(tmp_path)

    result = scan_folder(folder.pk)

    folder.refresh_from_db()
    assert folder.last_scan_finished_at is not None
    assert folder.last_scan_error == ""
    assert folder.last_scan_stats == result
    assert (result["seen"], result["new"]) == (5, 5)
    stored = storable_path(raw)
    assert stored == f"{tmp_path}/\\xff\\xfe.jpg"
    errors = result["errors"]
    assert isinstance(errors, list)
    assert f"{stored}: {UNREADABLE_NAME}" in errors
    states = dict(PhotoFile.objects.values_list("path", "state"))
    assert states == {
        f"{tmp_path}/a.jpg": "pending",
        f"{tmp_path}/b.png": "pending",
        f"{tmp_path}/sub/c.jpg": "pending",
        stored: "failed",
        f"{tmp_path}/sub/caf\\xe9.jpg": "failed",
    }
    assert PhotoFile.objects.get(path=stored).error == UNREADABLE_NAME

    # A rescan finds nothing new, and does not mark the failed file missing.
    again = folder_scan(folder)
    assert (again.unchanged, again.new, again.changed, again.missing) == (5, 0, 0, 0)
    assert PhotoFile.objects.get(path=stored).state == "failed"

    # Gone from disk: missing, like any file.
    Path(raw).unlink()
    assert folder_scan(folder).missing == 1
    assert PhotoFile.objects.get(path=stored).state == "missing"


def test_the_watcher_records_a_name_that_is_not_utf8_as_failed(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"x" * 10)
    folder = _folder(tmp_path)
    raw = _write_bytes_name(tmp_path, BAD_NAME)
    stored = storable_path(raw)

    file = services.path_changed(raw)  # what the watcher calls for a file written and closed

    assert file is not None
    assert (file.path, file.state, file.error) == (stored, "failed", UNREADABLE_NAME)
    assert file.folder_id == folder.pk
    assert services.path_changed(raw) == file  # the same event again: the same row
    # Renamed to a name that is valid UTF-8: the old row goes, the new name is recorded.
    Path(raw).rename(tmp_path / "fixed.jpg")
    services.path_moved(raw, str(tmp_path / "fixed.jpg"))
    assert PhotoFile.objects.get(path=stored).state == "missing"
    assert services.path_deleted(raw) == 0  # already missing


def test_a_thousand_folders_deep_tree_is_scanned_to_the_depth_limit(tree_root: Path) -> None:
    (tree_root / "top.jpg").write_bytes(b"x" * 10)
    deepest = deep_tree(tree_root, 1000)
    (deepest / "bottom.jpg").write_bytes(b"x" * 10)
    (tree_root.joinpath(*["d"] * 3) / "shallow.jpg").write_bytes(b"x" * 10)
    (tree_root.joinpath(*["d"] * 5) / "deep.jpg").write_bytes(b"x" * 10)
    (tree_root / "side").mkdir()
    (tree_root / "side" / "other.jpg").write_bytes(b"x" * 10)
    folder = _folder(tree_root)

    with override_settings(PHOTONIX_MAX_FOLDER_DEPTH=4):
        result = scan_folder(folder.pk)

    folder.refresh_from_db()
    assert folder.last_scan_finished_at is not None
    assert folder.last_scan_error == ""
    paths = set(PhotoFile.objects.values_list("path", flat=True))
    assert paths == {
        f"{tree_root}/top.jpg",
        f"{tree_root}/side/other.jpg",
        f"{tree_root}/d/d/d/shallow.jpg",
    }
    # d/d/d/d (depth 4) is read; d/d/d/d/d (depth 5) is not, and is named.
    assert result["too_deep"] == 1
    assert result["errors"] == [
        f"{tree_root.joinpath(*['d'] * 5)}: more than 4 folders deep, not scanned "
        "(PHOTONIX_MAX_FOLDER_DEPTH)"
    ]
    # The watcher's file events stop at the same depth.
    with override_settings(PHOTONIX_MAX_FOLDER_DEPTH=4):
        assert services.path_changed(str(tree_root.joinpath(*["d"] * 5) / "deep.jpg")) is None


def test_the_default_depth_scans_a_deep_tree_without_recursion(tree_root: Path) -> None:
    deepest = deep_tree(tree_root, 1000)
    (deepest / "bottom.jpg").write_bytes(b"x" * 10)
    (tree_root.joinpath(*["d"] * 64) / "at-limit.jpg").write_bytes(b"x" * 10)
    folder = _folder(tree_root)

    stats = folder_scan(folder)

    assert (stats.new, stats.too_deep) == (1, 1)
    assert PhotoFile.objects.get().path.endswith("/at-limit.jpg")
