"""Zip archives streamed as they are written: no temporary file, the first bytes leave at once.

Photos and videos are compressed already, so entries are stored, not deflated: the archive's
size is then known before the first byte (``Content-Length``, a progress bar in the browser)
and costs no CPU beyond reading the files. Zip64 is used by itself past 4 GiB or 65,535 files
(:mod:`zipstream`, the maintained ``zipstream-ng``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from zipstream import ZIP_STORED, ZipStream

# The pieces the archive comes in are zipstream's reads of 64 KiB: each is written out as it
# comes (joining them into larger pieces only cost copies, measured with bench/download.py).
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Entry:
    """One file of an archive: ``path`` read from disk, ``data`` given, or ``chunks`` made as
    the archive reaches the entry (its size is then known only once it is written)."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    chunks: Iterator[bytes] | None = None


class UniqueNames:
    """Names for an archive's entries with no two alike (``IMG_1.jpg``, ``IMG_1 (2).jpg``).

    Names are compared without case, as the file systems people unzip onto often do. A name that
    would leave the archive's folder (``../x``, ``/x``) or is empty keeps only its last part.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, name: str) -> str:
        base = PurePosixPath(name.replace("\\", "/").replace("\x00", "")).name or "file"
        stem, dot, suffix = base.rpartition(".")
        if not stem:  # no dot, or a leading one only (".profile")
            stem, dot, suffix = base, "", ""
        candidate, n = base, 1
        while candidate.casefold() in self._used:
            n += 1
            candidate = f"{stem} ({n}){dot}{suffix}"
        self._used.add(candidate.casefold())
        return candidate


def stream(entries: Iterable[Entry]) -> tuple[Iterator[bytes], int | None]:
    """The archive of ``entries`` as an iterator of bytes, and its exact size — or None when an
    entry's content is made as it is written (``chunks``).

    Each file is looked at (its size) now and read when the iterator reaches it. A file that
    vanished in between ends the iterator with its ``OSError``: the download is then cut short,
    which a browser reports as failed rather than saving a wrong archive.
    """
    listed = list(entries)
    sized = all(entry.chunks is None for entry in listed)
    archive = ZipStream(compress_type=ZIP_STORED, sized=sized)
    for entry in listed:
        if entry.path is not None:
            archive.add_path(str(entry.path), entry.name, recurse=False)
        elif entry.chunks is not None:
            archive.add(entry.chunks, entry.name)
        else:
            archive.add(entry.data or b"", entry.name)
    return iter(archive), len(archive) if sized else None
