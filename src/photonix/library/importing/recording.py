"""Recording: turn one discovered file into a photo (or a version of one), or a clear failure.

``file_record`` is what the ``record_file`` task calls. It is idempotent: recording the same file
twice leaves the same rows. Steps: hash the content; if a *missing* file had the same content, this
is that file moved — it keeps its photo (and so its tags, albums and people); otherwise read the
metadata, find the photo the file belongs to, or create one; then copy the preferred file's facts
onto the photo. A file belongs to a photo when it is

- another version of the same shot: same folder, same name stem, a RAW and its JPEG; or
- an exact copy of one of the photo's files: the same content (SHA-256 and size) anywhere in the
  library, whatever its name or folder. The photo lists every copy among its files; a copy whose
  content later changes leaves the photo for one of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from photonix.core import work
from photonix.library import services
from photonix.library.facts import photo_apply_metadata
from photonix.library.models import Photo, PhotoFile
from photonix.media.exiftool import ExifTool
from photonix.media.metadata import Metadata, MetadataError, find_sidecar, read_metadata

logger = logging.getLogger(__name__)

HASH_CHUNK = 1 << 20
# Preferred version of a shot, best first: what the camera or phone rendered, then the RAW.
PREFERENCE = {PhotoFile.Kind.PHOTO: 0, PhotoFile.Kind.RAW: 1}


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fail(file: PhotoFile, reason: str, state: str = PhotoFile.State.FAILED) -> PhotoFile:
    file.state = state
    file.error = reason
    file.recorded_at = timezone.now()
    file.save(update_fields=["state", "error", "recorded_at", "content_hash", "size", "mtime_ns"])
    logger.warning("not imported: %s: %s", file.path, reason)
    return file


def _adopt_moved(file: PhotoFile) -> PhotoFile | None:
    """If a missing file had this content, it moved here: move its row, keep its photo."""
    moved = (
        PhotoFile.objects.select_for_update()
        .filter(
            state=PhotoFile.State.MISSING,
            content_hash=file.content_hash,
            size=file.size,
            library_id=file.library_id,
        )
        .exclude(pk=file.pk)
        .order_by("-missing_since")
        .first()
    )
    if moved is None:
        return None
    old_path = moved.path
    new_path, folder_id, mtime_ns = file.path, file.folder_id, file.mtime_ns
    file.delete()
    moved.path, moved.folder_id, moved.mtime_ns = new_path, folder_id, mtime_ns
    moved.state = PhotoFile.State.OK
    moved.missing_since = None
    moved.save(update_fields=["path", "folder", "mtime_ns", "state", "missing_since"])
    logger.info("moved: %s -> %s (photo %s kept)", old_path, new_path, moved.photo_id)
    return moved


#: The kinds of file that are versions of one shot when they share a folder and a name stem.
PAIRED = {PhotoFile.Kind.RAW: PhotoFile.Kind.PHOTO, PhotoFile.Kind.PHOTO: PhotoFile.Kind.RAW}


def _same_shot(file: PhotoFile) -> Photo | None:
    """The photo of another version of the same shot: a RAW and the JPEG/HEIC the camera made
    of it, in the same folder with the same name stem. Two files of the same kind (``a.jpg`` and
    ``a.png``) are two photos."""
    other_kind = PAIRED.get(PhotoFile.Kind(file.kind))
    if other_kind is None:
        return None
    path = Path(file.path)
    stem = path.stem.lower()
    prefix = str(path.parent / path.stem) + "."
    for other in (
        PhotoFile.objects.filter(
            library_id=file.library_id,
            path__istartswith=prefix,
            photo__isnull=False,
            kind=other_kind,
        )
        .exclude(pk=file.pk)
        .exclude(state=PhotoFile.State.MISSING)
        .select_related("photo")
    ):
        other_path = Path(other.path)
        if other_path.parent == path.parent and other_path.stem.lower() == stem:
            return other.photo
    return None


def _same_content(file: PhotoFile) -> Photo | None:
    """The photo that already has a file with exactly this content (an exact duplicate)."""
    if not file.content_hash:
        return None
    other = (
        PhotoFile.objects.filter(
            library_id=file.library_id,
            content_hash=file.content_hash,
            size=file.size,
            kind=file.kind,
            state=PhotoFile.State.OK,
            photo__isnull=False,
        )
        .exclude(pk=file.pk)
        .order_by("photo_id")
        .select_related("photo")
        .first()
    )
    return other.photo if other is not None else None


def _was_a_copy(file: PhotoFile, previous_hash: str) -> bool:
    """Whether ``file`` joined its photo as an exact copy of another of its files, and its
    content is no longer that: the photo's other copies still hold ``previous_hash``."""
    return bool(
        file.photo_id
        and previous_hash
        and previous_hash != file.content_hash
        and PhotoFile.objects.filter(
            photo_id=file.photo_id,
            content_hash=previous_hash,
            kind=file.kind,
            state=PhotoFile.State.OK,
        )
        .exclude(pk=file.pk)
        .exists()
    )


def _lock_content(digest: str) -> None:
    """Serialise the recording of files with one content, so two copies recorded at once by two
    workers make one photo. SQLite's IMMEDIATE transactions are serial already; PostgreSQL takes a
    transaction-level advisory lock keyed on the hash."""
    if digest and connection.vendor == "postgresql":
        key = int(digest[:15], 16)  # 60 bits: fits PostgreSQL's signed bigint
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def photo_choose_preferred(photo: Photo) -> PhotoFile | None:
    files = [f for f in photo.files.all() if f.state == PhotoFile.State.OK]
    if not files:
        return None
    if photo.preferred_by_user:  # a person chose this version: keep it while it is there
        chosen = [f for f in files if f.pk == photo.preferred_file_id]
        if chosen:
            return chosen[0]
    return min(files, key=lambda f: (PREFERENCE.get(PhotoFile.Kind(f.kind), 9), f.pk))


def file_record(file_id: int, exiftool: ExifTool) -> PhotoFile | None:
    """Record one file. Returns the file row, or None when it no longer exists."""
    file = PhotoFile.objects.filter(pk=file_id).first()
    if file is None or file.state in (PhotoFile.State.MISSING, PhotoFile.State.EXCLUDED):
        return None
    previous_hash = file.content_hash
    path = Path(file.path)
    try:
        st = path.stat()
        digest = content_hash(path) if st.st_size else ""
    except FileNotFoundError:
        PhotoFile.objects.filter(pk=file.pk).update(
            state=PhotoFile.State.MISSING, missing_since=timezone.now()
        )
        return None
    file.size, file.mtime_ns, file.content_hash = st.st_size, st.st_mtime_ns, digest

    if file.kind == PhotoFile.Kind.VIDEO:
        return _fail(file, "videos are not supported yet", PhotoFile.State.UNSUPPORTED)
    if st.st_size == 0:
        return _fail(file, "empty file (0 bytes)")

    with transaction.atomic():
        moved = _adopt_moved(file)
    if moved is not None:
        return moved

    sidecar = find_sidecar(path)
    result = read_metadata([path], exiftool)[0]
    if isinstance(result, MetadataError):
        return _fail(file, result.reason)
    meta: Metadata = result

    with transaction.atomic():
        _lock_content(digest)
        file = PhotoFile.objects.select_for_update().get(pk=file.pk)
        if file.state == PhotoFile.State.EXCLUDED:  # its photo was deleted from the trash meanwhile
            return None
        file.size, file.mtime_ns, file.content_hash = st.st_size, st.st_mtime_ns, digest
        file.state = PhotoFile.State.OK
        file.error = ""
        file.file_type = (meta.file_type or "")[:20]
        file.mime_type = (meta.mime_type or "")[:100]
        if not (file.kind == PhotoFile.Kind.RAW and file.raw_method and previous_hash == digest):
            # A RAW developed from this very content keeps its developed size (the develop
            # stage, done already, does not run again); other files take the metadata's.
            file.width, file.height = meta.width, meta.height
            file.raw_method = ""
        file.warnings = list(meta.warnings)
        file.metadata = meta.raw  # made JSON-safe by media.metadata.parse
        previous_sidecar_ns = file.sidecar_mtime_ns
        file.sidecar_mtime_ns = sidecar.stat().st_mtime_ns if sidecar else None
        # The sidecar changed since it was last read or written by Photonix: another program
        # (darktable, digiKam, Lightroom) edited it, and what it says now wins over the
        # person's earlier edits here (which it holds too, unless writing them failed).
        sidecar_edited = sidecar is not None and previous_sidecar_ns not in (
            None,
            file.sidecar_mtime_ns,
        )
        file.recorded_at = timezone.now()
        left: Photo | None = None
        if _was_a_copy(file, previous_hash):
            logger.info("%s is no longer a copy of photo %s", file.path, file.photo_id)
            left, file.photo = file.photo, None
        photo = file.photo or _same_shot(file) or _same_content(file)
        if photo is None:
            photo = Photo.objects.create(library_id=file.library_id)
        file.photo = photo
        file.save()
        if left is not None and left.preferred_file_id == file.pk:
            # The copies left behind hold the very content the photo was made from.
            left.preferred_file = photo_choose_preferred(left)
            left.preferred_by_user = False
            left.save(update_fields=["preferred_file", "preferred_by_user", "updated_at"])
        preferred = photo_choose_preferred(photo)
        redo: list[str] = []
        if preferred is not None and preferred.pk == file.pk:
            # The photo's facts are those of its preferred version; another version recorded
            # later (the RAW beside a JPEG) leaves them alone.
            if photo.preferred_file_id != file.pk or (previous_hash and previous_hash != digest):
                redo = ["*"]  # new pixels: every derived thing is stale
            photo.preferred_file = file
            if sidecar_edited and not photo.sidecar_error:
                photo.edited = []
            photo_apply_metadata(photo, meta, file)
            photo.save()
        work.process_photo(photo.pk, force_stages=redo)
    logger.info("recorded %s as photo %s", file.path, photo.pk)
    return file


def files_purge_missing(older_than_seconds: int) -> int:
    """Forget files missing for longer than the grace period, and photos left with no file."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    with transaction.atomic():
        gone = PhotoFile.objects.filter(state=PhotoFile.State.MISSING, missing_since__lt=cutoff)
        photo_ids = set(gone.exclude(photo=None).values_list("photo_id", flat=True))
        count, _ = gone.delete()
        services.photos_orphaned_delete(photo_ids)
    return count
