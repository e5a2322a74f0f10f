"""Write operations on libraries and their files. The API, the CLI and the watcher call these."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from photonix.core import work
from photonix.core.broker_client import publish_folders_changed
from photonix.core.models import User
from photonix.library.models import Library, LibraryFolder, LibraryMember, PhotoFile
from photonix.library.scanning import KIND_FOR_FILE_KIND, files_mark_missing, sidecar_candidates
from photonix.media.formats import FileKind, kind_for_path
from photonix.media.metadata import find_sidecar

logger = logging.getLogger(__name__)


class LibraryError(ValueError):
    """A library request that cannot be carried out; the message says why."""


def _normalise_folder(raw: str) -> str:
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    path = path.resolve()
    if not path.is_dir():
        raise LibraryError(f"{raw}: not a folder (it does not exist or is a file)")
    if not os.access(path, os.R_OK | os.X_OK):
        raise LibraryError(f"{raw}: Photonix cannot read this folder (check its permissions)")
    return str(path)


@transaction.atomic
def library_add(
    name: str,
    paths: Sequence[str],
    *,
    watched: bool = True,
    owner: User | None = None,
    scan: bool = True,
) -> tuple[Library, list[LibraryFolder]]:
    """Create the library ``name`` (or extend it) with ``paths``, and start scanning them.

    A folder may belong to one library only, and may not be inside or around another library's
    folder (its photos would be imported twice).
    """
    name = name.strip()
    if not name:
        raise LibraryError("a library needs a name")
    if not paths:
        raise LibraryError("give at least one folder")
    library = Library.objects.filter(name__iexact=name).first() or Library.objects.create(name=name)
    # From the command line there is no user: the administrators own what they create there.
    owners = [owner] if owner is not None else list(User.objects.filter(is_superuser=True))
    for user in owners:
        LibraryMember.objects.update_or_create(
            library=library, user=user, defaults={"role": LibraryMember.Role.OWNER}
        )
    added: list[LibraryFolder] = []
    for raw in paths:
        path = _normalise_folder(raw)
        existing = LibraryFolder.objects.filter(path=path).first()
        if existing is not None:
            if existing.library_id != library.pk:
                raise LibraryError(f"{path} already belongs to library {existing.library.name!r}")
            if existing.watched != watched:
                existing.watched = watched
                existing.save(update_fields=["watched"])
            added.append(existing)
            continue
        overlap = (
            LibraryFolder.objects.filter(
                Q(path__startswith=path.rstrip("/") + "/")
                | Q(pk__in=_folders_containing(path).values("pk"))
            )
            .select_related("library")
            .first()
        )
        if overlap is not None:
            raise LibraryError(
                f"{path} overlaps folder {overlap.path} of library {overlap.library.name!r}"
            )
        added.append(LibraryFolder.objects.create(library=library, path=path, watched=watched))
    if scan:
        ids = [folder.pk for folder in added]
        work.scan_folders(ids)
    transaction.on_commit(publish_folders_changed)
    return library, added


def _folders_containing(path: str) -> QuerySet[LibraryFolder]:
    """Folders that are ``path`` itself or one of its parents."""
    parents = [str(p) for p in Path(path).parents]
    return LibraryFolder.objects.filter(path__in=parents)


def folder_for_path(path: str) -> LibraryFolder | None:
    """The library folder that contains ``path`` (the deepest one)."""
    candidates = [str(p) for p in Path(path).parents]
    return LibraryFolder.objects.filter(path__in=candidates).order_by("-path").first()


def path_changed(path: str) -> PhotoFile | None:
    """A file was created or changed (and is completely written): record it again."""
    folder = folder_for_path(path)
    if folder is None:
        return None
    kind = kind_for_path(Path(path), Path(folder.path))
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
    base = path[: -len(".xmp")]
    owners = [
        file
        for file in PhotoFile.objects.filter(Q(path=base) | Q(path__startswith=base + "."))
        .exclude(state=PhotoFile.State.MISSING)
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
