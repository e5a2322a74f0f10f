"""A scan meets a row it did not read: the watcher created it meanwhile."""

from __future__ import annotations

from pathlib import Path

import pytest

from photonix.library.importing.scanning import folder_scan
from photonix.library.models import PhotoFile
from photonix.library.services import library_add

pytestmark = pytest.mark.django_db


def test_scan_keeps_a_row_the_watcher_created_meanwhile(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for name in ("a/new.jpg", "a/other.jpg"):
        (tmp_path / name).write_bytes(b"x" * 10)
    _, (folder, elsewhere) = library_add(
        "L", [str(tmp_path / "a"), str(tmp_path / "b")], scan=False
    )
    # The scan reads the rows of its folder; a row for one of its paths that it did not read
    # stands for the one path_changed commits while the scan walks.
    racing = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=elsewhere,
        path=str(tmp_path / "a" / "new.jpg"),
        kind="photo",
        size=10,
        mtime_ns=1,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stats = folder_scan(folder)
    assert stats.new == 2
    assert PhotoFile.objects.count() == 2  # one row per path, the existing one kept
    assert PhotoFile.objects.filter(pk=racing.pk).exists()
    assert len(callbacks) == 1
