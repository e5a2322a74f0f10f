"""The server's folders, as an administrator choosing a library's folders sees them.

A browser cannot see the server's disk, and in a container the photos sit wherever they were
mounted: listing folders (never files' contents) lets the person adding a library pick the right
path instead of guessing one. Only administrators may call it, and they may already add any
folder the server can read as a library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from photonix.core.errors import PhotonixError
from photonix.core.models import User
from photonix.library.models import LibraryFolder, LibraryMember
from photonix.library.services import system_folder
from photonix.media.formats import IGNORED_DIRS, FileKind, kind_for_path

# Enough for any real folder of folders; a longer listing says it was cut short.
MAX_FOLDERS = 500
# Entries looked at when counting the photos directly inside a folder.
MAX_ENTRIES_COUNTED = 5000
# Where photos usually live, offered as shortcuts when they exist.
PLACES = ("/photos", "~/Pictures", "~", "/mnt", "/media", "/srv")


class BrowseError(PhotonixError, ValueError):
    """A folder that cannot be listed; the message says why."""


@dataclass
class Listing:
    path: str
    parent: str | None
    folders: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    photo_count: int = 0
    photo_count_capped: bool = False
    library: str | None = None
    in_library: bool = False
    places: list[str] = field(default_factory=list)


def places() -> list[str]:
    found: list[str] = []
    for place in PLACES:
        path = Path(place).expanduser()
        if path.is_dir() and os.access(path, os.R_OK | os.X_OK) and str(path) not in found:
            found.append(str(path))
    return found


def default_path() -> str:
    found = places()
    return found[0] if found else "/"


def _library_of(path: str) -> LibraryFolder | None:
    """The folder of a library that already holds ``path`` (itself or a folder around it)."""
    candidates = [path, *(str(p) for p in Path(path).parents)]
    return (
        LibraryFolder.objects.filter(path__in=candidates)
        .select_related("library")
        .order_by("-path")
        .first()
    )


def list_folder(raw: str | None, user: User) -> Listing:
    """The sub-folders of ``raw`` (default: the first usual place that exists) and its photos,
    as ``user`` sees them: a library that holds the folder is named only to its members (an
    administrator is not a member of every library); to others, ``in_library`` says it is taken."""
    text = (raw or "").strip() or default_path()
    if "\x00" in text:
        raise BrowseError("a path cannot contain a NUL byte")
    if not text.startswith("/"):
        raise BrowseError(f"{text}: use an absolute path (one that starts with /)")
    path = Path(os.path.normpath(text))
    try:
        path = path.resolve(strict=True)
    except (FileNotFoundError, RuntimeError):
        raise BrowseError(f"{text}: no such folder on the server") from None
    if not path.is_dir():
        raise BrowseError(f"{text}: this is a file, not a folder")
    if not os.access(path, os.R_OK | os.X_OK):
        raise BrowseError(f"{text}: Photonix cannot read this folder (check its permissions)")

    listing = Listing(
        path=str(path),
        parent=None if path.parent == path else str(path.parent),
        places=places(),
    )
    holder = _library_of(str(path))
    if holder is not None:
        listing.in_library = True
        if LibraryMember.objects.filter(library_id=holder.library_id, user=user).exists():
            listing.library = holder.library.name
    folders: list[dict[str, Any]] = []
    seen = 0
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                seen += 1
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if is_dir:
                    if entry.name.startswith(".") or entry.name.lower() in IGNORED_DIRS:
                        continue
                    if system_folder(Path(entry.path)) is not None:
                        continue  # /proc, /sys, /dev: never a library's (library.services)
                    if len(folders) >= MAX_FOLDERS:
                        listing.truncated = True
                        continue
                    child = Path(entry.path)
                    folders.append(
                        {
                            "name": entry.name,
                            "path": str(child),
                            "readable": os.access(child, os.R_OK | os.X_OK),
                        }
                    )
                elif seen <= MAX_ENTRIES_COUNTED:
                    if kind_for_path(Path(entry.path)) in (FileKind.PHOTO, FileKind.RAW):
                        listing.photo_count += 1
                else:
                    listing.photo_count_capped = True
    except PermissionError:
        raise BrowseError(
            f"{text}: Photonix cannot read this folder (check its permissions)"
        ) from None
    folders.sort(key=lambda item: (item["name"].casefold(), item["name"]))
    listing.folders = folders
    return listing
