"""Changes seen on disk (by the watcher or a rescan) applied to the recorded files.

Each function takes a path the watcher saw change and says what that means for the rows:
record again, mark missing, or follow a move. Recording itself is asked for through
:mod:`photonix.core.work`, after commit.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from photonix.core import work
from photonix.library.importing.scanning import (
    KIND_FOR_FILE_KIND,
    files_mark_missing,
    max_folder_depth,
    sidecar_candidates,
    storable_path,
    unreadable_record,
)
from photonix.library.models import LibraryFolder, PhotoFile
from photonix.media.formats import FileKind, kind_for_path
from photonix.media.metadata import find_sidecar

logger = logging.getLogger(__name__)


def folder_for_path(path: str) -> LibraryFolder | None:
    """The library folder that contains ``path`` (the deepest one)."""
    candidates = [storable_path(str(p)) for p in Path(path).parents]
    return LibraryFolder.objects.filter(path__in=candidates).order_by("-path").first()


def path_changed(path: str) -> PhotoFile | None:
    """A file was created or changed (and is completely written): record it again."""
    folder = folder_for_path(path)
    if folder is None:
        return None
    root = Path(folder.path)
    if len(Path(path).relative_to(root).parts) - 1 > max_folder_depth():
        return None  # below the depth scans and watches stop at
    kind = kind_for_path(Path(path), root)
    if kind is FileKind.SIDECAR:
        owners = sidecar_changed(path)
        return owners[0] if owners else None
    if kind not in KIND_FOR_FILE_KIND:
        return None
    try:
        st = os.stat(path, follow_symlinks=False)  # noqa: PTH116 - need follow_symlinks
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):  # a symlink (it could point anywhere) or a device
        return None
    if storable_path(path) != path:
        return unreadable_record(folder, path, KIND_FOR_FILE_KIND[kind], st)
    with transaction.atomic():
        file, created = PhotoFile.objects.get_or_create(
            path=path,
            defaults={
                "library_id": folder.library_id,
                "folder": folder,
                "kind": KIND_FOR_FILE_KIND[kind],
                "size": st.st_size,
                "mtime_ns": st.st_mtime_ns,
            },
        )
        if not created:
            if file.state == PhotoFile.State.EXCLUDED:  # its photo was deleted from the trash
                return file
            if (
                file.size == st.st_size
                and file.mtime_ns == st.st_mtime_ns
                and file.state not in (PhotoFile.State.MISSING,)
            ):
                return file
            PhotoFile.objects.filter(pk=file.pk).update(
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
                state=PhotoFile.State.PENDING,
                pending_since=timezone.now(),
                missing_since=None,
            )
        file_id = file.pk
        work.record_files([file_id])
    return file


def sidecar_changed(path: str) -> list[PhotoFile]:
    """An XMP sidecar was written, changed, renamed or deleted: record the files it belongs to.

    A file is recorded again unless it was recorded with its current sidecar (same mtime), so the
    several events of one save cost one recording.
    """
    if storable_path(path) != path:  # no recorded file reads a sidecar it cannot name
        return []
    base = path[: -len(".xmp")]
    owners = [
        file
        for file in PhotoFile.objects.filter(Q(path=base) | Q(path__startswith=base + "."))
        .exclude(state__in=(PhotoFile.State.MISSING, PhotoFile.State.EXCLUDED))
        .exclude(kind=PhotoFile.Kind.VIDEO)
        if path in sidecar_candidates(file.path)
    ]
    changed: list[PhotoFile] = []
    for file in owners:
        sidecar = find_sidecar(Path(file.path))
        try:
            mtime_ns = None if sidecar is None else sidecar.stat().st_mtime_ns
        except FileNotFoundError:
            mtime_ns = None
        if file.state == PhotoFile.State.OK and file.sidecar_mtime_ns == mtime_ns:
            continue
        changed.append(file)
    if changed:
        ids = [file.pk for file in changed]
        with transaction.atomic():
            PhotoFile.objects.filter(pk__in=ids).update(
                state=PhotoFile.State.PENDING, pending_since=timezone.now()
            )
            work.record_files(ids)
    return changed


def path_deleted(path: str) -> int:
    """A file or folder was deleted: its files become missing (kept for a grace period)."""
    if kind_for_path(Path(path)) is FileKind.SIDECAR:
        sidecar_changed(path)  # its photo is recorded again, without it
    path = storable_path(path)
    prefix = path.rstrip("/") + "/"
    ids = list(
        PhotoFile.objects.filter(Q(path=path) | Q(path__startswith=prefix))
        .exclude(state=PhotoFile.State.MISSING)
        .values_list("pk", flat=True)
    )
    return files_mark_missing(ids)


@transaction.atomic
def path_moved(src: str, dest: str) -> int:
    """A file or folder was renamed or moved: its rows follow, keeping their photos."""
    dest_folder = folder_for_path(dest)
    if dest_folder is None:  # moved out of every library
        return path_deleted(src)
    if storable_path(src) != src or storable_path(dest) != dest:
        # A name that is not valid UTF-8 on either side: the rows cannot simply follow (a file
        # under such a name is failed, one renamed from it is recorded afresh).
        path_deleted(src)
        if Path(dest).is_dir():
            work.scan_folders([dest_folder.pk])
        else:
            transaction.on_commit(lambda: path_changed(dest))
        return 0
    if kind_for_path(Path(src)) is FileKind.SIDECAR:
        sidecar_changed(src)  # the sidecar's new name, if it still is one, is handled below
    moved = 0
    file = PhotoFile.objects.filter(path=src).first()
    if file is not None:
        PhotoFile.objects.filter(path=dest).exclude(pk=file.pk).delete()  # replaced at dest
        PhotoFile.objects.filter(pk=file.pk).update(
            path=dest, folder=dest_folder, library=dest_folder.library_id
        )
        moved = 1
    prefix = src.rstrip("/") + "/"
    moved += PhotoFile.objects.filter(path__startswith=prefix).update(
        path=Concat(Value(dest.rstrip("/") + "/"), Substr("path", len(prefix) + 1)),
        folder=dest_folder,
        library=dest_folder.library_id,
    )
    if moved:
        logger.info("moved %s -> %s (%d files)", src, dest, moved)
        return moved
    if Path(dest).is_dir():  # a folder moved in from outside every library
        folder_id = dest_folder.pk
        work.scan_folders([folder_id])
    else:  # an unknown file renamed (an editor's temporary file given its final name)
        transaction.on_commit(lambda: path_changed(dest))
    return 0
