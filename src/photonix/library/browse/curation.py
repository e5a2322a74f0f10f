"""Curating a library: favourites, the archive and the trash.

A favourite is a heart on a photo. The archive (the ``hidden`` column) keeps a photo off the
timeline while search and albums still show it. The trash holds deleted photos for
``PHOTONIX_TRASH_DAYS`` days, out of every listing, until they are restored or the trash is
emptied (by hand, or by the daily task once their days are over).

Emptying the trash deletes the photo with everything Photonix made of it (thumbnails, developed
RAWs, tags, faces, its places in albums and share links). Its original files are deleted when
they came in through upload (:mod:`photonix.library.provenance`), or when the library's owner
allowed deleting originals; otherwise each file is kept on disk and marked ``excluded``, so no
scan or watcher event brings the photo back.

These are the only code paths that write ``favourite``, ``trashed_at`` and the archive in bulk.
Callers check the user's role first (``edits.editable_library_ids``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from photonix.library import provenance
from photonix.library.models import Photo, PhotoFile
from photonix.storage.derived import file_derived_delete, photo_derived_delete

logger = logging.getLogger(__name__)

#: Sidecar names that travel with an original: deleted with it, never left behind alone.
SIDECAR_SUFFIX = ".xmp"


def photos_favourite(photos: QuerySet[Photo], favourite: bool) -> int:
    """Put a heart on the photos (or take it off); returns how many photos it touched."""
    return photos.update(favourite=favourite)


def photos_archive(photos: QuerySet[Photo], archived: bool) -> int:
    """Archive the photos (off the timeline, still found and in albums), or bring them back."""
    return photos.update(hidden=archived)


def photos_trash(photos: QuerySet[Photo]) -> int:
    """Move the photos to the trash (those there already keep their date)."""
    return photos.filter(trashed_at__isnull=True).update(trashed_at=timezone.now())


@dataclass
class Missing:
    """A photo that could not be restored: its original is gone from disk."""

    id: int
    path: str


@dataclass
class RestoreOutcome:
    restored: list[int] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def _original_present(photo: Photo) -> tuple[bool, str]:
    file = photo.preferred_file
    if file is None:
        return False, ""
    return (file.state == PhotoFile.State.OK and Path(file.path).is_file()), file.path


def photos_restore(photos: QuerySet[Photo]) -> RestoreOutcome:
    """Take the photos out of the trash, back where they were (timeline or archive, albums).

    A photo whose original file is gone from disk stays in the trash and is reported: restoring
    it would show a photo with no image. It comes back once its file does.
    """
    outcome = RestoreOutcome()
    trashed = photos.filter(trashed_at__isnull=False).select_related("preferred_file")
    for photo in trashed.order_by("pk"):
        present, path = _original_present(photo)
        if present:
            outcome.restored.append(photo.pk)
        else:
            outcome.missing.append(Missing(photo.pk, path))
    Photo.objects.filter(pk__in=outcome.restored).update(trashed_at=None)
    return outcome


@dataclass
class EmptyOutcome:
    deleted: int = 0
    originals_deleted: int = 0
    excluded: int = 0
    errors: list[str] = field(default_factory=list)


def _unlink_original(path: Path, versions: set[str]) -> None:
    """Delete an original and the XMP sidecars that belong to it alone: ``photo.jpg.xmp``, and
    ``photo.xmp`` unless another file of that name (``photo.png``) that is not one of
    ``versions`` (the paths of the photo's files) still lies beside it."""
    path.unlink()
    sidecars = [Path(f"{path}{SIDECAR_SUFFIX}")]
    shared = path.with_suffix(SIDECAR_SUFFIX)
    others = [
        sibling
        for sibling in path.parent.glob(f"{glob.escape(path.stem)}.*")
        if sibling.suffix.lower() != SIDECAR_SUFFIX and str(sibling) not in versions
    ]
    if not others:
        sidecars.append(shared)
    for sidecar in sidecars:
        with contextlib.suppress(FileNotFoundError):
            sidecar.unlink()


def _photo_delete(photo_id: int, outcome: EmptyOutcome) -> None:
    """Delete one photo of the trash (see the module's docstring for what goes)."""
    with transaction.atomic():
        photo = (
            Photo.objects.select_for_update()
            .select_related("library")
            .filter(pk=photo_id, trashed_at__isnull=False)
            .first()
        )
        if photo is None:  # restored or deleted meanwhile
            return
        files = list(photo.files.all())
        roots = provenance.upload_roots(photo.library)
        delete_originals = photo.library.delete_originals
        file_ids = [file.pk for file in files]
        kept: list[int] = []
        gone: list[int] = []
        for file in files:
            uploaded = provenance.file_came_from_upload(file, roots)
            if not (uploaded or delete_originals):
                kept.append(file.pk)
                continue
            try:
                _unlink_original(Path(file.path), {f.path for f in files})
            except FileNotFoundError:
                gone.append(file.pk)
            except OSError as exc:
                # Not ours to delete after all (a read-only folder): the file stays, excluded.
                outcome.errors.append(f"{file.path}: could not delete it ({exc.strerror or exc})")
                kept.append(file.pk)
            else:
                gone.append(file.pk)
                outcome.originals_deleted += 1
        PhotoFile.objects.filter(pk__in=kept).update(
            state=PhotoFile.State.EXCLUDED, photo=None, missing_since=None, error=""
        )
        PhotoFile.objects.filter(pk__in=gone).delete()
        photo.delete()
        outcome.excluded += len(kept)
        outcome.deleted += 1
        transaction.on_commit(lambda: photo_derived_delete([photo_id]))
        transaction.on_commit(lambda: file_derived_delete(file_ids))
    logger.info("deleted photo %s from the trash", photo_id)


def trash_empty(photos: QuerySet[Photo]) -> EmptyOutcome:
    """Delete the photos of ``photos`` that are in the trash, one transaction each (a failure
    on one leaves the others done, and it in the trash)."""
    outcome = EmptyOutcome()
    ids = list(photos.filter(trashed_at__isnull=False).order_by("pk").values_list("pk", flat=True))
    for photo_id in ids:
        _photo_delete(photo_id, outcome)
    return outcome


def trash_expired(days: int) -> EmptyOutcome:
    """Empty what has been in the trash for more than ``days`` days (every library)."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    return trash_empty(Photo.objects.filter(trashed_at__lt=cutoff))
