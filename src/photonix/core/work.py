"""What the domain asks to be done: the seam between the apps and the Celery pipeline.

The domain (``library``, ``albums``, ``faces``, ``classifiers``) sends no Celery work and imports
nothing of ``photonix.pipeline`` or ``photonix.celery``. When a service changes something that
needs work — files to record, folders to scan, a photo whose stages must be redone, a library
that misses a classifier's tags, faces to group into people — it says so here, inside its
transaction, and :mod:`photonix.pipeline.dispatch` (connected when the pipeline app is ready)
turns the request into tasks, sent only once the transaction commits. Each request is a plain
Django signal carrying ids, so it can be read, tested and traced like any function call, and a
process with no pipeline installed simply does nothing with it.

See ``docs/adr/`` (layer rules) for why the dependency points this way.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

files_to_record = Signal()  # file_ids: list[int]
folders_to_scan = Signal()  # folder_ids: list[int]
photo_to_process = Signal()  # photo_id: int, force_stages: list[str]
photos_to_process = Signal()  # photo_ids: list[int], force_stages: list[str]
library_to_process = Signal()  # library_id: int
library_to_recluster = Signal()  # library_id: int
models_to_download = Signal()  # names: list[str]
edits_to_write = Signal()  # photo_ids: list[int]


def record_files(file_ids: Iterable[int]) -> None:
    """Record these files (pending rows) once the current transaction commits."""
    ids = list(file_ids)
    if ids:
        files_to_record.send(sender=None, file_ids=ids)


def scan_folders(folder_ids: Iterable[int]) -> None:
    """Scan these library folders once the current transaction commits."""
    ids = list(folder_ids)
    if ids:
        folders_to_scan.send(sender=None, folder_ids=ids)


def process_photo(photo_id: int, force_stages: Iterable[str] = ()) -> None:
    """Send what ``photo_id`` misses, plus ``force_stages`` redone anyway (``*`` for all).

    The stages' bookkeeping is written in the current transaction; the canvas is sent after it
    commits.
    """
    photo_to_process.send(sender=None, photo_id=photo_id, force_stages=list(force_stages))


def process_photos(photo_ids: Iterable[int], force_stages: Iterable[str] = ()) -> None:
    """Like :func:`process_photo` for many photos, each in its own transaction after commit."""
    ids = list(photo_ids)
    if ids:
        photos_to_process.send(sender=None, photo_ids=ids, force_stages=list(force_stages))


def process_library(library_id: int) -> None:
    """After commit, send what every photo of a library misses (a classifier switched on)."""
    library_to_process.send(sender=None, library_id=library_id)


def recluster_library(library_id: int) -> None:
    """Group the library's faces into people again once they settle (after commit).

    Many requests in a row (every photo of an import stores its faces) make one re-clustering,
    run once the library's faces have stopped changing for a moment; see
    :mod:`photonix.pipeline.debounce`.
    """
    library_to_recluster.send(sender=None, library_id=library_id)


def download_models(names: Iterable[str]) -> None:
    """After commit, download and verify these models in the background, then process what
    every library's photos miss (smart search turned on)."""
    wanted = list(names)
    if wanted:
        models_to_download.send(sender=None, names=wanted)


def write_edits(photo_ids: Iterable[int]) -> None:
    """After commit, write the person's edits of these photos to their sidecars (or files)."""
    ids = list(photo_ids)
    if ids:
        edits_to_write.send(sender=None, photo_ids=ids)
