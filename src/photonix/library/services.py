"""Write operations on libraries: adding one with its folders. The API and the CLI call these."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from photonix.core import work
from photonix.core.broker_client import publish_folders_changed
from photonix.core.errors import PhotonixError
from photonix.core.models import User
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo
from photonix.storage.derived import photo_derived_delete

logger = logging.getLogger(__name__)


class LibraryError(PhotonixError, ValueError):
    """A library request that cannot be carried out; the message says why."""


# The kernel's and devices' pseudo file systems: never photos, and reading some of their files
# blocks or never ends (``/dev/zero``, ``/proc/kmsg``). ``/proc/self`` would even be stored as
# the process id of whichever web worker resolved it.
SYSTEM_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))


def system_folder(path: Path) -> Path | None:
    """The system folder ``path`` is, is inside, or holds (only ``/`` holds them)."""
    for system in SYSTEM_FOLDERS:
        if path == system or system in path.parents or path in system.parents:
            return system
    return None


def _normalise_folder(raw: str) -> str:
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    path = path.resolve()
    system = system_folder(path)
    if system is not None:
        if path == Path("/"):
            raise LibraryError(
                f"{raw}: the root folder holds the system's folders (/proc, /sys, /dev); "
                "choose the folder your photos are in"
            )
        where = raw if raw.rstrip("/") == str(path) else f"{raw} (that is {path})"
        raise LibraryError(f"{where}: {system} is the system's own folder, not one of photos")
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
    extend: bool = False,
) -> tuple[Library, list[LibraryFolder]]:
    """Create the library ``name`` with ``paths``, and start scanning them.

    Names are unique whatever their case: a name already taken is refused (on the field
    ``name``) unless ``extend`` is set — the command line's ``photonix library add``, which then
    adds the folders to that library. Extending never changes who belongs to it or their roles:
    those change in its member list, where its owners see it (docs/adr/0007). A new library is
    owned by ``owner``, or, from the command line (no user), by every administrator.

    A folder may belong to one library only, and may not be inside or around another library's
    folder (its photos would be imported twice).
    """
    name = name.strip()
    if not name:
        raise LibraryError("a library needs a name", field="name")
    if not paths:
        raise LibraryError("give at least one folder")
    library = Library.objects.filter(name__iexact=name).first()
    if library is not None and not extend:
        raise LibraryError(_name_taken(name), field="name")
    if library is None:
        try:
            with transaction.atomic():
                library = Library.objects.create(name=name)
        except IntegrityError:  # created under the same name at the same time
            raise LibraryError(_name_taken(name), field="name") from None
        owners = [owner] if owner is not None else list(User.objects.filter(is_superuser=True))
        LibraryMember.objects.bulk_create(
            [
                LibraryMember(library=library, user=user, role=LibraryMember.Role.OWNER)
                for user in owners
            ]
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


def _name_taken(name: str) -> str:
    return f"a library called {name!r} already exists; choose another name"


def _folders_containing(path: str) -> QuerySet[LibraryFolder]:
    """Folders that are ``path`` itself or one of its parents."""
    parents = [str(p) for p in Path(path).parents]
    return LibraryFolder.objects.filter(path__in=parents)


def libraries_adopt(user: User, **_: object) -> None:
    """The first administrator owns the libraries added from the command line before them."""
    LibraryMember.objects.bulk_create(
        [
            LibraryMember(library=library, user=user, role=LibraryMember.Role.OWNER)
            for library in Library.objects.all()
        ]
    )


def photos_orphaned_delete(photo_ids: set[int]) -> list[int]:
    """Delete those of ``photo_ids`` left with no file, with what people added to them; once
    committed, the thumbnails and previews Photonix made of them go too (never an original).
    Returns the ids deleted. Call it inside the transaction that deleted their files."""
    orphans = Photo.objects.filter(pk__in=photo_ids, files__isnull=True)
    orphan_ids = list(orphans.values_list("pk", flat=True))
    if orphan_ids:
        orphans.delete()
        transaction.on_commit(lambda: photo_derived_delete(orphan_ids))
    return orphan_ids
