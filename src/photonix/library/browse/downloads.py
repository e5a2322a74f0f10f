"""What a download of several photos holds: one file per photo, named as on disk.

Each photo gives its preferred file (the one the library shows: of a RAW and its JPEG, the one
chosen), once, however many copies of it the library has. ``version="developed"`` gives a RAW as
the JPEG Photonix developed from it (named like the RAW, with ``.jpg``), and every other file as
it is. A file that is gone from disk, or a RAW not developed yet, is left out and named in a
``Not included.txt`` at the end of the archive, so the person knows what is missing and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePath
from typing import Literal

from django.db.models import QuerySet

from photonix.library.models import Photo, PhotoFile
from photonix.pipeline.versions import RAW_DEVELOP_VERSION
from photonix.storage.archive import Entry, UniqueNames
from photonix.storage.derived import developed_path

Version = Literal["original", "developed"]
VERSIONS: tuple[Version, ...] = ("original", "developed")
MISSING_NAME = "Not included.txt"
# Photos read per query while the archive's list is built: bounded memory at 50,000 photos.
BATCH = 2000


def archive_name(title: str) -> str:
    """A file name for the archive from an album's name (or "Photonix"), safe on every system."""
    cleaned = "".join(c if c.isalnum() or c in " -_.,()" else "_" for c in title).strip(" ._")
    return f"{cleaned[:100] or 'Photonix'}.zip"


#: Makes an entry's content from the file to put in the archive: the bytes, made when the
#: archive reaches the entry, or the reason the file cannot be included.
Transform = Callable[[Path], Iterator[bytes] | str]


def entries(
    photos: Iterable[Photo], version: Version, *, transform: Transform | None = None
) -> Iterator[Entry]:
    """The archive's entries for ``photos`` (each with its ``preferred_file`` read) in their
    order, then the note of what is missing. With ``transform``, each entry is what it makes
    of the file (a public link's copies without metadata)."""
    unique = UniqueNames()
    missing: list[str] = []
    for photo in photos:
        file = photo.preferred_file
        if file is None or file.state != PhotoFile.State.OK:
            missing.append(f"photo {photo.pk}: it has no readable file")
            continue
        original = Path(file.path)
        path, name = original, original.name
        if version == "developed" and file.kind == PhotoFile.Kind.RAW:
            path = developed_path(file.pk, RAW_DEVELOP_VERSION)
            name = PurePath(original.name).stem + ".jpg"
            if not path.is_file():
                missing.append(f"{original.name}: not developed yet")
                continue
        if not path.is_file():
            missing.append(f"{original.name}: the file is no longer at {original}")
            continue
        if transform is None:
            yield Entry(name=unique(name), path=path)
            continue
        made = transform(path)
        if isinstance(made, str):
            missing.append(f"{original.name}: {made}")
            continue
        yield Entry(name=unique(name), chunks=made)
    if missing:
        text = "These photos are not in this archive:\n" + "".join(f"- {m}\n" for m in missing)
        yield Entry(name=unique(MISSING_NAME), data=text.encode())


def in_order(photos: QuerySet[Photo], ids: list[int]) -> Iterator[Photo]:
    """The photos of ``photos`` whose ids are in ``ids``, in the order of ``ids``, read a batch
    at a time (an id no longer in ``photos`` is skipped)."""
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        found = photos.filter(pk__in=batch).select_related("preferred_file").in_bulk()
        yield from (found[pk] for pk in batch if pk in found)
