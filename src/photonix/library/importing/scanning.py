"""Discovery: find what changed in a library folder and hand each changed file to the recorder.

A scan reads the folder's known files in one query, walks the folder with ``os.scandir`` and
compares path, size and modification time: an unchanged file costs a ``stat`` and a dictionary
lookup, never a read. New and changed files become ``pending`` rows whose ``record_file`` task is
enqueued after the transaction commits. Files gone from disk become ``missing`` — only when the
folder root is present, so an unmounted share never empties a library.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from photonix.core import work
from photonix.core.errors import Category, PhotonixError
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.media.formats import FileKind, kind_for_path

logger = logging.getLogger(__name__)

KIND_FOR_FILE_KIND = {
    FileKind.PHOTO: PhotoFile.Kind.PHOTO,
    FileKind.RAW: PhotoFile.Kind.RAW,
    FileKind.VIDEO: PhotoFile.Kind.VIDEO,
}
BATCH = 500
UPDATED_FIELDS = ["size", "mtime_ns", "state", "pending_since", "missing_since"]
#: Why a file whose path is not valid UTF-8 is not imported (its row keeps a storable path).
UNREADABLE_NAME = (
    "the file's name (or a folder's above it) is not valid UTF-8; rename it to import it"
)


def storable_path(path: str) -> str:
    """``path`` as text every database stores.

    A name that is not valid UTF-8 comes from the file system with its bytes as lone surrogates
    (``surrogateescape``), which neither SQLite nor PostgreSQL accepts: each such byte is written
    as ``\\xNN`` instead. A valid path is returned unchanged.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def max_folder_depth() -> int:
    """How many folders deep below a library folder a scan and the watcher go."""
    return int(settings.PHOTONIX_MAX_FOLDER_DEPTH)


class FolderUnavailableError(PhotonixError):
    """The folder root is missing or unreadable (an unmounted share, a typo)."""

    category = Category.UNAVAILABLE


@dataclass
class ScanStats:
    seen: int = 0
    unchanged: int = 0
    new: int = 0
    changed: int = 0
    missing: int = 0
    skipped: int = 0
    too_deep: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "seen": self.seen,
            "unchanged": self.unchanged,
            "new": self.new,
            "changed": self.changed,
            "missing": self.missing,
            "skipped": self.skipped,
            "too_deep": self.too_deep,
            "errors": self.errors[:50],
        }


def walk_files(root: Path, stats: ScanStats, max_depth: int) -> Iterator[os.DirEntry[str]]:
    """Every regular file below ``root`` (symlinks not followed, hidden folders skipped).

    The walk keeps its own stack (no recursion, however deep the tree). A folder more than
    ``max_depth`` levels below ``root`` is not entered: it is counted in ``stats.too_deep`` and
    reported in ``stats.errors``. An unreadable subfolder is reported and skipped; the walk goes on.
    """
    stack = [(str(root), 0)]
    while stack:
        current, depth = stack.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            if depth >= max_depth:
                                stats.too_deep += 1
                                stats.errors.append(
                                    f"{storable_path(entry.path)}: more than {max_depth} "
                                    "folders deep, not scanned (PHOTONIX_MAX_FOLDER_DEPTH)"
                                )
                            else:
                                stack.append((entry.path, depth + 1))
                        elif entry.is_file(follow_symlinks=False):
                            yield entry
                    except OSError as exc:
                        stats.errors.append(f"{storable_path(entry.path)}: {exc.strerror or exc}")
        except OSError as exc:
            stats.errors.append(f"{storable_path(current)}: {exc.strerror or exc}")


def sidecar_candidates(path: str) -> tuple[str, ...]:
    """Where the XMP sidecar of ``path`` may be, in the order ``metadata.find_sidecar`` tries."""
    base = os.path.splitext(path)[0]  # noqa: PTH122 - str in, str out
    return (path + ".xmp", path + ".XMP", base + ".xmp", base + ".XMP")


def sidecar_mtime_ns(path: str, sidecars: dict[str, int]) -> int | None:
    """The mtime of the sidecar that ``path`` is read with, from ``sidecars`` (path: mtime)."""
    for candidate in sidecar_candidates(path):
        if candidate != path and candidate in sidecars:
            return sidecars[candidate]
    return None


def folder_is_available(folder: LibraryFolder) -> bool:
    path = Path(folder.path)
    return path.is_dir() and os.access(path, os.R_OK | os.X_OK)


def folder_scan(folder: LibraryFolder) -> ScanStats:
    """Compare the folder on disk with what is recorded, and enqueue recording of what changed."""
    if not folder_is_available(folder):
        raise FolderUnavailableError(
            f"folder {folder.path} is not available (missing, unmounted or unreadable); "
            "its photos are kept until it is back"
        )
    stats = ScanStats()
    known: dict[str, tuple[int, int, str, int, int | None]] = {
        path: (size, mtime_ns, state, pk, sidecar)
        for path, size, mtime_ns, state, pk, sidecar in PhotoFile.objects.filter(
            folder=folder
        ).values_list("path", "size", "mtime_ns", "state", "pk", "sidecar_mtime_ns")
    }
    # XMP sidecars seen (path: mtime), and recorded files whose sidecar may have changed since.
    sidecars: dict[str, int] = {}
    recorded: list[tuple[str, int, int | None]] = []
    seen: set[str] = set()
    to_create: list[PhotoFile] = []
    to_update: list[PhotoFile] = []  # changed on disk, or their sidecar did
    # Names that are not valid UTF-8: their rows are failed, never recorded.
    unreadable: list[tuple[str, str, os.stat_result]] = []

    def flush() -> None:
        if to_create:
            # The watcher may have created a row for one of these paths since ``known`` was read
            # (a new folder is scanned while its files' events arrive): keep that row, and record
            # it too, instead of failing the whole batch on the unique path.
            created = PhotoFile.objects.bulk_create(to_create, ignore_conflicts=True)
            ids = [f.pk for f in created if f.pk is not None]
            if not all(f.pk for f in created):  # no pks with ignore_conflicts: look them up
                paths = [f.path for f in to_create]
                ids = list(PhotoFile.objects.filter(path__in=paths).values_list("pk", flat=True))
            work.record_files(ids)
            to_create.clear()
        if to_update:
            # One UPDATE for the batch, not one per file.
            PhotoFile.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=BATCH)
            ids = [f.pk for f in to_update]
            work.record_files(ids)
            to_update.clear()

    root = Path(folder.path)
    for entry in walk_files(root, stats, max_folder_depth()):
        kind = kind_for_path(Path(entry.path), root)
        # A name that is not valid UTF-8 is kept under its escaped form, recorded as failed.
        path = storable_path(entry.path)
        readable = path == entry.path
        if kind not in KIND_FOR_FILE_KIND:
            stats.skipped += 1
            if kind is FileKind.SIDECAR and readable:
                try:
                    sidecars[path] = entry.stat(follow_symlinks=False).st_mtime_ns
                except OSError as exc:
                    stats.errors.append(f"{path}: {exc.strerror or exc}")
            continue
        stats.seen += 1
        seen.add(path)
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            stats.errors.append(f"{path}: {exc.strerror or exc}")
            continue
        record = known.get(path)
        if not readable:
            if record is not None and record[:3] == (
                st.st_size,
                st.st_mtime_ns,
                PhotoFile.State.FAILED,
            ):
                stats.unchanged += 1
                continue
            if record is None:
                stats.new += 1
            else:
                stats.changed += 1
            stats.errors.append(f"{path}: {UNREADABLE_NAME}")
            unreadable.append((entry.path, KIND_FOR_FILE_KIND[kind], st))
            continue
        if record is not None:
            size, mtime_ns, state, pk, sidecar = record
            if state == PhotoFile.State.EXCLUDED:  # its photo was deleted from the trash
                stats.unchanged += 1
                continue
            if (
                size == st.st_size
                and mtime_ns == st.st_mtime_ns
                and state != PhotoFile.State.MISSING
            ):
                stats.unchanged += 1
                if state == PhotoFile.State.OK:
                    recorded.append((path, pk, sidecar))
                continue
            stats.changed += 1
            to_update.append(
                PhotoFile(
                    pk=pk,
                    size=st.st_size,
                    mtime_ns=st.st_mtime_ns,
                    state=PhotoFile.State.PENDING,
                    pending_since=timezone.now(),
                    missing_since=None,
                )
            )
        else:
            stats.new += 1
            to_create.append(
                PhotoFile(
                    library_id=folder.library_id,
                    folder=folder,
                    path=path,
                    kind=KIND_FOR_FILE_KIND[kind],
                    size=st.st_size,
                    mtime_ns=st.st_mtime_ns,
                )
            )
        if len(to_create) + len(to_update) >= BATCH:
            with transaction.atomic():
                flush()
    # A sidecar written, changed or removed since its photo was recorded: record the photo again
    # (the file itself is unchanged; its rating, keywords and description come from the sidecar).
    for path, pk, sidecar in recorded:
        if sidecar_mtime_ns(path, sidecars) != sidecar:
            stats.unchanged -= 1
            stats.changed += 1
            size, mtime_ns, *_ = known[path]
            to_update.append(
                PhotoFile(
                    pk=pk,
                    size=size,
                    mtime_ns=mtime_ns,
                    state=PhotoFile.State.PENDING,
                    pending_since=timezone.now(),
                    missing_since=None,
                )
            )
            if len(to_update) >= BATCH:
                with transaction.atomic():
                    flush()
    with transaction.atomic():
        flush()
        for raw_path, file_kind, st in unreadable:
            unreadable_record(folder, raw_path, file_kind, st)
        gone = [
            pk
            for path, (_, _, state, pk, _) in known.items()
            if path not in seen and state != PhotoFile.State.MISSING
        ]
        stats.missing = files_mark_missing(gone)
    return stats


def unreadable_record(folder: LibraryFolder, path: str, kind: str, st: os.stat_result) -> PhotoFile:
    """The row of a file whose path is not valid UTF-8: under its escaped path, failed, with the
    reason. Scans and the watcher both write it here (such files are few: one query each)."""
    stored = storable_path(path)
    file, created = PhotoFile.objects.update_or_create(
        path=stored,
        defaults={
            "library_id": folder.library_id,
            "folder": folder,
            "kind": kind,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "state": PhotoFile.State.FAILED,
            "error": UNREADABLE_NAME,
            "missing_since": None,
            "recorded_at": timezone.now(),
        },
    )
    if created:
        logger.warning("not imported: %s: %s", stored, UNREADABLE_NAME)
    return file


def files_mark_missing(file_ids: list[int]) -> int:
    """Mark files as gone from disk. Their photos stay for a grace period (a move may follow).

    A photo whose preferred file went while an exact copy of it remains is shown from the copy
    from now on: same content, so nothing derived from it changes."""
    if not file_ids:
        return 0
    now = timezone.now()
    count = 0
    for start in range(0, len(file_ids), BATCH):
        batch = file_ids[start : start + BATCH]
        count += PhotoFile.objects.filter(pk__in=batch).update(
            state=PhotoFile.State.MISSING, missing_since=now
        )
        _prefer_remaining_copies(batch)
    return count


def _prefer_remaining_copies(gone_ids: list[int]) -> None:
    gone = PhotoFile.objects.filter(pk__in=gone_ids, photo__preferred_file_id=F("pk")).exclude(
        content_hash=""
    )
    for pk, photo_id, digest, size, kind in gone.values_list(
        "pk", "photo_id", "content_hash", "size", "kind"
    ):
        copy = (
            PhotoFile.objects.filter(
                photo_id=photo_id,
                content_hash=digest,
                size=size,
                kind=kind,
                state=PhotoFile.State.OK,
            )
            .order_by("pk")
            .first()
        )
        if copy is not None:
            Photo.objects.filter(pk=photo_id, preferred_file_id=pk).update(
                preferred_file=copy, preferred_by_user=False
            )
