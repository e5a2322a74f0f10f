"""Managing a library after it exists: its name, its folders, whether they are watched.

Who may do what:

- the library's **owners** rename it, choose where its uploads are stored, switch watching on
  or off for a folder, and remove a folder (an administrator who is a member of the library
  may too, as for its members);
- only an **administrator** (who is a member) adds a folder: a folder brings every photo in it
  into the library, whoever they belong to on the server, so choosing server folders stays with
  whoever runs the server — as for creating a library.

Removing a folder never touches the folder on disk. Its files leave the library, and so do the
photos that had no file elsewhere — with what people added to them (ratings, tags, faces, album
places) and the thumbnails Photonix made of them in its data directory. A photo that still has a
version in another folder stays and is recorded again from it. Adding the folder back imports its
photos again as new ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q

from photonix.core import work
from photonix.core.broker_client import publish_folders_changed
from photonix.library import services
from photonix.library.models import Library, LibraryFolder, LibraryMember, PhotoFile

Role = LibraryMember.Role


def library_set_upload_folder(library: Library, raw: str) -> Library:
    """Set the library's upload folder (empty: the default). It must be inside one of the
    library's folders, so that what is stored there is the library's; it is created if need be."""
    raw = raw.strip()
    if not raw:
        library.upload_folder = ""
        library.save(update_fields=["upload_folder"])
        return library
    path = Path(raw)
    if not path.is_absolute() or "\x00" in raw:
        raise services.LibraryError("give an absolute path on the server", field="upload_folder")
    path = Path(os.path.normpath(path))
    roots = [Path(p) for p in library.folders.values_list("path", flat=True)]
    inside = [root for root in roots if path != root and root in path.parents]
    if not inside:
        raise services.LibraryError(
            "the upload folder must be inside one of the library's folders", field="upload_folder"
        )
    relative = path.relative_to(inside[0])
    if any(part.startswith(".") for part in relative.parts):
        raise services.LibraryError(
            "a folder whose name starts with a dot is never scanned", field="upload_folder"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise services.LibraryError(
            f"cannot create {path}: {exc.strerror or exc}", field="upload_folder"
        ) from None
    library.upload_folder = str(path)
    library.save(update_fields=["upload_folder"])
    return library


def library_set_delete_originals(library: Library, allowed: bool) -> Library:
    """Whether emptying the trash deletes the originals of photos found in the library's
    scanned folders (off: they are kept on disk and left out of future scans)."""
    library.delete_originals = allowed
    library.save(update_fields=["delete_originals"])
    return library


def library_rename(library: Library, name: str) -> Library:
    """Rename ``library``; names are unique whatever their case."""
    name = name.strip()
    if not name:
        raise services.LibraryError("a library needs a name", field="name")
    clash = Library.objects.filter(name__iexact=name).exclude(pk=library.pk).first()
    if clash is not None:
        raise services.LibraryError(
            f"another library is already called {clash.name!r}", field="name"
        )
    library.name = name
    try:
        with transaction.atomic():
            library.save(update_fields=["name"])
    except IntegrityError:  # renamed at the same time by someone else
        raise services.LibraryError(
            f"another library is already called {name!r}", field="name"
        ) from None
    return library


@transaction.atomic
def library_set_write_originals(library: Library, write_originals: bool) -> Library:
    """Choose where a person's edits of the library's photos are written besides the database:
    into the originals (true) or into XMP sidecars next to them (false, the default)."""
    library.write_originals = write_originals
    library.save(update_fields=["write_originals"])
    return library


def folder_add(library: Library, raw: str, *, watched: bool = True) -> LibraryFolder:
    """Add the folder ``raw`` (absolute, existing, readable) to ``library`` and scan it."""
    if not raw.startswith("/"):
        raise services.LibraryError(
            f"{raw}: use an absolute path (one that starts with /)", field="path"
        )
    try:
        path = services._normalise_folder(raw)
    except services.LibraryError as exc:
        raise services.LibraryError(exc.message, field="path") from None
    except (OSError, ValueError) as exc:  # a name too long for the file system, say
        raise services.LibraryError(
            f"{raw[:200]}: not a usable folder ({exc})", field="path"
        ) from None
    existing = LibraryFolder.objects.filter(path=path).select_related("library").first()
    if existing is not None:
        if existing.library_id == library.pk:
            raise services.LibraryError(f"{path} is already a folder of this library", field="path")
        raise services.LibraryError(
            f"{path} already belongs to library {existing.library.name!r}", field="path"
        )
    overlap = (
        LibraryFolder.objects.filter(
            Q(path__startswith=path.rstrip("/") + "/")
            | Q(pk__in=services._folders_containing(path).values("pk"))
        )
        .select_related("library")
        .first()
    )
    if overlap is not None:
        where = (
            "this library"
            if overlap.library_id == library.pk
            else f"library {overlap.library.name!r}"
        )
        raise services.LibraryError(
            f"{path} overlaps folder {overlap.path} of {where}: its photos would be imported twice",
            field="path",
        )
    folder = LibraryFolder.objects.create(library=library, path=path, watched=watched)
    work.scan_folders([folder.pk])
    transaction.on_commit(publish_folders_changed)
    return folder


@transaction.atomic
def folder_set_watched(folder: LibraryFolder, watched: bool) -> LibraryFolder:
    """Switch live watching on or off. Switched on, a scan catches up with what it missed."""
    if folder.watched != watched:
        folder.watched = watched
        folder.save(update_fields=["watched"])
        if watched:
            folder_id = folder.pk
            work.scan_folders([folder_id])
        transaction.on_commit(publish_folders_changed)
    return folder


@dataclass(frozen=True)
class FolderRemoved:
    files: int
    photos: int


@transaction.atomic
def folder_remove(folder: LibraryFolder) -> FolderRemoved:
    """Take ``folder`` out of its library. Nothing in the folder is touched (see the module)."""
    folder = LibraryFolder.objects.select_for_update().get(pk=folder.pk)
    files = PhotoFile.objects.filter(folder=folder)
    file_count = files.count()
    photo_ids = set(files.exclude(photo=None).values_list("photo_id", flat=True))
    folder.delete()  # its files go with it (CASCADE)
    orphan_ids = services.photos_orphaned_delete(photo_ids)
    # Photos with a version left elsewhere whose preferred version was in the folder: record
    # what is left, which chooses the preferred version again and redoes what derives from it.
    survivors = list(
        PhotoFile.objects.filter(
            photo_id__in=photo_ids,
            photo__preferred_file__isnull=True,
            state=PhotoFile.State.OK,
        ).values_list("pk", flat=True)
    )
    if survivors:
        work.record_files(survivors)
    transaction.on_commit(publish_folders_changed)
    return FolderRemoved(files=file_count, photos=len(orphan_ids))
