from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from photonix.library.importing.scanning import FolderUnavailableError, folder_scan
from photonix.library.models import LibraryFolder, PhotoFile
from photonix.library.services import library_add

pytestmark = pytest.mark.django_db


def _tree(root: Path) -> None:
    (root / "2024" / "summer").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for name in ("a.jpg", "2024/b.HEIC", "2024/summer/c.dng", "2024/summer/clip.mp4"):
        (root / name).write_bytes(b"x" * 10)
    for name in ("notes.txt", ".DS_Store", "2024/b.xmp", ".hidden/d.jpg"):
        (root / name).write_bytes(b"y")


def _folder(root: Path) -> LibraryFolder:
    _, (folder,) = library_add("L", [str(root)], scan=False)
    return folder


def test_first_scan_records_every_photo_and_video(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    _tree(tmp_path)
    folder = _folder(tmp_path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stats = folder_scan(folder)
    # notes.txt and the sidecar are skipped; dotfiles and hidden folders are never looked at.
    assert (stats.seen, stats.new, stats.unchanged, stats.skipped) == (4, 4, 0, 2)
    kinds = dict(PhotoFile.objects.values_list("path", "kind"))
    assert kinds == {
        f"{tmp_path}/a.jpg": "photo",
        f"{tmp_path}/2024/b.HEIC": "photo",
        f"{tmp_path}/2024/summer/c.dng": "raw",
        f"{tmp_path}/2024/summer/clip.mp4": "video",
    }
    assert set(PhotoFile.objects.values_list("state", flat=True)) == {"pending"}
    assert callbacks, "recording is enqueued after commit"


def test_rescan_skips_unchanged_and_finds_changes(
    tmp_path: Path, django_assert_max_num_queries, django_capture_on_commit_callbacks
) -> None:
    _tree(tmp_path)
    folder = _folder(tmp_path)
    folder_scan(folder)
    PhotoFile.objects.update(state="ok")
    # As recording does: b.HEIC was read with its sidecar b.xmp.
    PhotoFile.objects.filter(path=f"{tmp_path}/2024/b.HEIC").update(
        sidecar_mtime_ns=(tmp_path / "2024" / "b.xmp").stat().st_mtime_ns
    )

    with django_assert_max_num_queries(3):
        stats = folder_scan(folder)
    assert (stats.unchanged, stats.new, stats.changed, stats.missing) == (4, 0, 0, 0)

    (tmp_path / "a.jpg").write_bytes(b"z" * 20)
    (tmp_path / "2024" / "b.HEIC").unlink()
    (tmp_path / "new.png").write_bytes(b"p")
    stats = folder_scan(folder)
    assert (stats.unchanged, stats.new, stats.changed, stats.missing) == (2, 1, 1, 1)
    assert PhotoFile.objects.get(path=f"{tmp_path}/a.jpg").state == "pending"
    assert PhotoFile.objects.get(path=f"{tmp_path}/a.jpg").size == 20
    assert PhotoFile.objects.get(path=f"{tmp_path}/2024/b.HEIC").state == "missing"


def test_unavailable_folder_loses_nothing(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    (root / "a.jpg").write_bytes(b"x")
    folder = _folder(root)
    folder_scan(folder)
    PhotoFile.objects.update(state="ok")
    os.rename(root, tmp_path / "unmounted")  # noqa: PTH104
    with pytest.raises(FolderUnavailableError, match="kept until it is back"):
        folder_scan(folder)
    assert PhotoFile.objects.get().state == "ok"


def test_rescan_queries_do_not_grow_with_the_files(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    """A scan's queries go by batches, never by files: an unchanged rescan costs the same for 5
    files as for 200, and 200 new or changed files take a few statements (the database's limit
    on parameters splits a batch), not 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def scan_queries(root: Path, files: int) -> list[int]:
        root.mkdir()
        for i in range(files):
            (root / f"IMG_{i:04d}.jpg").write_bytes(b"x" * 10)
        folder = _folder_named(root)
        counts = []
        with django_capture_on_commit_callbacks(execute=False):
            for change in ("new", "unchanged", "changed"):
                if change == "changed":
                    for i in range(files):
                        (root / f"IMG_{i:04d}.jpg").write_bytes(b"xy" * 10)
                with CaptureQueriesContext(connection) as queries:
                    stats = folder_scan(folder)
                assert getattr(stats, change) == files, (change, stats)
                counts.append(len(queries))
                PhotoFile.objects.filter(folder=folder).update(state="ok")
        return counts

    few, many = scan_queries(tmp_path / "few", 5), scan_queries(tmp_path / "many", 200)
    assert few[1] == many[1] <= 3  # unchanged: read the folder's rows, and nothing per file
    assert max(many) < 200 / 20, many


def _folder_named(root: Path) -> LibraryFolder:
    _, (folder,) = library_add(root.name, [str(root)], scan=False)
    return folder


def test_a_move_seen_by_a_rescan_keeps_the_photo_and_its_tags(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    """Moved while no watcher ran: the rescan sees a missing file and a new one with its content;
    recording the new one carries the old row over, with its photo and a person's tag."""
    import shutil

    from photonix.classifiers.models import PhotoTag, Tag
    from photonix.library.importing.recording import file_record
    from photonix.media.exiftool import ExifTool

    fixture = Path(__file__).parents[1] / "fixtures" / "photos" / "jpeg-exif" / "Nikon_D70.jpg"
    (tmp_path / "2024").mkdir()
    shutil.copyfile(fixture, tmp_path / "2024" / "lizard.jpg")
    folder = _folder(tmp_path)
    with ExifTool() as exiftool, django_capture_on_commit_callbacks(execute=False):
        folder_scan(folder)
        (file,) = PhotoFile.objects.all()
        recorded = file_record(file.pk, exiftool)
        assert recorded is not None and recorded.photo_id is not None
        photo_id = recorded.photo_id
        tag = Tag.objects.create(library_id=folder.library_id, type="keyword", name="lizard")
        PhotoTag.objects.create(photo_id=photo_id, tag=tag, source="person", verdict="added")

        (tmp_path / "animals").mkdir()
        (tmp_path / "2024" / "lizard.jpg").rename(tmp_path / "animals" / "anole.jpg")
        stats = folder_scan(folder)
        assert (stats.new, stats.missing) == (1, 1)
        new = PhotoFile.objects.get(path=str(tmp_path / "animals" / "anole.jpg"))
        moved = file_record(new.pk, exiftool)

    assert moved is not None
    assert (moved.pk, moved.photo_id, moved.state) == (file.pk, photo_id, PhotoFile.State.OK)
    assert list(PhotoFile.objects.values_list("path", flat=True)) == [
        str(tmp_path / "animals" / "anole.jpg")
    ]
    assert list(PhotoTag.objects.filter(photo_id=photo_id).values_list("tag__name", flat=True)) == [
        "lizard"
    ]


def test_purging_a_missing_photo_deletes_its_thumbnails(
    tmp_path: Path, settings, django_capture_on_commit_callbacks
) -> None:
    from photonix.library.importing.recording import files_purge_missing
    from photonix.library.models import Photo
    from photonix.storage.derived import SIZE_BY_NAME, thumbnail_path

    settings.DATA_DIR = str(tmp_path / "data")
    folder = _folder(tmp_path)
    photo = Photo.objects.create(library_id=folder.library_id)
    PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{tmp_path}/gone.jpg",
        kind=PhotoFile.Kind.PHOTO,
        state=PhotoFile.State.MISSING,
        size=1,
        mtime_ns=1,
        missing_since=timezone.now() - dt.timedelta(days=2),
    )
    thumbnails = [thumbnail_path(photo.pk, size, 1) for size in SIZE_BY_NAME]
    for path in thumbnails:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"thumbnail")
    with django_capture_on_commit_callbacks(execute=True):
        assert files_purge_missing(3600) == 1
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not any(path.exists() for path in thumbnails)
