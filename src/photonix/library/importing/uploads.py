"""Uploads: files sent over HTTP, stored in the library's upload folder and recorded like any
file a scan finds.

One path in. The bytes are received into ``<upload folder>/.incoming/`` (the same file system
as their destination, and a dot-folder scans and the watcher skip), hashed while they arrive,
checked (size, the client's checksum, that the content is an image), and then either:

- **a duplicate** — a file with the same SHA-256 is already in the library, whatever its name or
  folder: the received bytes are deleted and the answer names that file and its photo; or
- **new** — hard-linked into ``<upload folder>/<user>/<YYYY>/<MM>/<name>`` (date taken from the
  EXIF header, else the file's time on the client, else today), never over another file (a clash
  becomes ``name (1).jpg``), then recorded by ``services.path_changed``, exactly as the watcher
  records a file copied into the folder.

The decision and the move happen under one lock per upload folder (a file lock, so every web
process and host sharing the folder takes turns) and one transaction, so two clients sending the
same file at once make one photo. Whatever fails leaves neither a partial file nor a row.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import logging
import os
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from photonix.core.errors import Category, PhotonixError
from photonix.core.models import User
from photonix.library import provenance, selectors
from photonix.library.importing import services
from photonix.library.importing.scanning import storable_path
from photonix.library.models import Library, LibraryMember, PhotoFile, Upload
from photonix.media.formats import (
    PHOTO_EXTENSIONS,
    RAW_EXTENSIONS,
    VIDEO_EXTENSIONS,
    check_content,
)
from photonix.media.taken import quick_taken_date

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
INCOMING = ".incoming"
DEFAULT_FOLDER = provenance.DEFAULT_UPLOAD_FOLDER
#: The checksums a client may send, by name.
ALGORITHMS: dict[str, Callable[[], hashlib._Hash]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
}
_HEX = re.compile(r"^[0-9a-f]+$")
# The longest name most file systems store, in bytes.
MAX_NAME_BYTES = 255
UPLOADER_ROLES = (LibraryMember.Role.OWNER, LibraryMember.Role.EDITOR)


class Readable(Protocol):
    """A request body, read in chunks."""

    def read(self, size: int = -1, /) -> bytes: ...


class UploadError(PhotonixError):
    """An upload that cannot be stored; the message says why."""


class UploadForbiddenError(PhotonixError):
    category = Category.FORBIDDEN
    default_message = "Only the library's owners and editors can upload to it."


class UploadTooLargeError(PhotonixError):
    category = Category.TOO_LARGE


class NotAnImageError(PhotonixError):
    category = Category.UNSUPPORTED


class ChecksumMismatchError(PhotonixError):
    code = "checksum_mismatch"


class DiskFullError(PhotonixError):
    category = Category.NO_SPACE
    default_message = "The server's disk is full: nothing was stored. Try again once there is room."


@dataclass(frozen=True)
class Stored:
    """What became of an upload: a new file, or the file that already had its content."""

    duplicate: bool
    file_id: int
    photo_id: int | None
    path: str
    sha256: str


# --- Who may upload where ------------------------------------------------------------------


def library_for_upload(user: User, library_id: int) -> Library:
    """The library, if ``user`` may upload to it: 404 to non-members (as for every library
    request), 403 to viewers."""
    library = selectors.library_visible_to(user, library_id)
    if selectors.library_role(user, library) not in UPLOADER_ROLES:
        raise UploadForbiddenError
    return library


def upload_root(library: Library) -> Path:
    """Where the library's uploads are stored: its upload folder, else ``uploads`` in its
    first folder (:func:`photonix.library.provenance.upload_root`)."""
    root = provenance.upload_root(library)
    if root is None:
        raise UploadError(
            "This library has no folder to store uploads in: an administrator adds one first."
        )
    return root


# --- Checking what the client says --------------------------------------------------------


def clean_filename(raw: str | None) -> str:
    """The name the file is stored under: the client's, refused rather than altered when it
    could name another place (a path, ``..``) or cannot be a file name."""
    name = (raw or "").strip()
    if not name:
        raise UploadError("give the file's name", field="filename")
    if "\x00" in name:
        raise UploadError("a file name cannot contain a NUL character", field="filename")
    if "/" in name or "\\" in name:
        raise UploadError("give the file's name only, without a folder", field="filename")
    if name in (".", "..") or name.startswith("."):
        raise UploadError("a file name cannot start with a dot", field="filename")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise UploadError("a file name cannot contain control characters", field="filename")
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise UploadError(
            f"a file name can be at most {MAX_NAME_BYTES} bytes long", field="filename"
        )
    if storable_path(name) != name:
        raise UploadError("a file name must be valid UTF-8", field="filename")
    suffix = Path(name).suffix.lower()
    if suffix in VIDEO_EXTENSIONS:
        raise NotAnImageError(f"{name}: videos are not supported yet")
    if suffix not in PHOTO_EXTENSIONS and suffix not in RAW_EXTENSIONS:
        raise NotAnImageError(
            f"{name}: not a photo or RAW file name ({suffix or 'no extension'}); "
            "see docs/import.md for the formats Photonix reads"
        )
    return name


def parse_checksum(raw: str | None, *, field: str = "checksum") -> tuple[str, str] | None:
    """``<algorithm> <digest>`` (also ``<algorithm>:<digest>``), the digest in hex or base64,
    as ``(algorithm, hex)``; None when absent."""
    if raw is None or not raw.strip():
        return None
    algorithm, _, digest = raw.strip().replace(":", " ", 1).partition(" ")
    algorithm = algorithm.lower()
    digest = digest.strip()
    if algorithm not in ALGORITHMS:
        raise UploadError(
            f"checksum algorithm {algorithm!r} is not supported (sha1 or sha256)", field=field
        )
    size = ALGORITHMS[algorithm]().digest_size
    if len(digest) == size * 2 and _HEX.match(digest.lower()):
        return algorithm, digest.lower()
    try:
        decoded = base64.b64decode(digest, validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != size:
        raise UploadError(
            f"the {algorithm} checksum must be {size * 2} hex digits or base64", field=field
        )
    return algorithm, decoded.hex()


def max_bytes() -> int:
    """The largest file one upload may send (``PHOTONIX_UPLOAD_MAX_MB``)."""
    return int(settings.PHOTONIX_UPLOAD_MAX_BYTES)


def size_check(user: User, length: int, *, quota: bool = True) -> None:
    """Refuse a file larger than the size limit, or (with ``quota``) one that would take
    ``user`` past their quota: what their uploads stored (duplicates store nothing), plus what
    they have under way."""
    if length <= 0:
        raise UploadError("empty file (0 bytes): nothing to store")
    limit = max_bytes()
    if length > limit:
        raise UploadTooLargeError(
            f"the file is {_mib(length)}; uploads are limited to {_mib(limit)}"
        )
    allowed = int(settings.PHOTONIX_UPLOAD_QUOTA_BYTES)
    if not allowed or not quota:
        return
    counted = Upload.objects.filter(user=user).filter(
        Q(state=Upload.State.RECEIVING)
        | Q(state=Upload.State.DONE, duplicate=False, file__isnull=False)
    )
    used = counted.aggregate(total=Sum("length"))["total"] or 0
    if used + length > allowed:
        raise UploadTooLargeError(
            f"this upload would exceed your quota: {_mib(used)} of {_mib(allowed)} used, "
            f"the file is {_mib(length)}"
        )


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def parse_modified(raw: str | None) -> dt.datetime | None:
    """The file's time on the client: seconds since 1970 or an ISO 8601 date."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    try:
        value = dt.datetime.fromtimestamp(float(text), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise UploadError(
                "give the file's time as seconds since 1970 or an ISO 8601 date", field="modified"
            ) from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
    if not 1800 <= value.year <= 2200:
        raise UploadError("the file's time is out of range", field="modified")
    return value


def known_checksums(library: Library, checksums: list[str]) -> dict[str, PhotoFile]:
    """The files of the library with these SHA-256 contents (any name, any folder)."""
    wanted = {c.lower() for c in checksums}
    found: dict[str, PhotoFile] = {}
    for file in (
        PhotoFile.objects.filter(library=library, content_hash__in=wanted)
        # A file gone from disk, or one whose photo a person deleted (kept on disk, excluded
        # from scans): sending it again brings it back.
        .exclude(state__in=[PhotoFile.State.MISSING, PhotoFile.State.EXCLUDED])
        .order_by("pk")
    ):
        found.setdefault(file.content_hash, file)
    return found


# --- Receiving bytes ------------------------------------------------------------------------


def new_upload(
    user: User,
    library: Library,
    *,
    filename: str,
    length: int,
    checksum: tuple[str, str] | None,
    modified: dt.datetime | None,
) -> Upload:
    """An upload about to receive its bytes, with its (empty) partial file.

    A file the client names by its SHA-256 that the library already has is not held to the
    quota: it will store nothing."""
    known = (
        checksum is not None
        and checksum[0] == "sha256"
        and bool(known_checksums(library, [checksum[1]]))
    )
    size_check(user, length, quota=not known)
    upload = Upload.objects.create(
        key=secrets.token_urlsafe(24),
        user=user,
        library=library,
        filename=filename,
        length=length,
        checksum=f"{checksum[0]} {checksum[1]}" if checksum else "",
        modified=modified,
        expires_at=timezone.now() + dt.timedelta(hours=int(settings.PHOTONIX_UPLOAD_EXPIRY_HOURS)),
    )
    part = part_path(upload)
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        part.touch(exist_ok=False)
    except OSError as exc:
        upload.delete()
        raise _disk_error(exc) from None
    return upload


def part_path(upload: Upload) -> Path:
    return upload_root(upload.library) / INCOMING / f"{upload.key}.part"


def _disk_error(exc: OSError) -> PhotonixError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DiskFullError()
    return UploadError(f"the server could not write the file: {exc.strerror or exc}")


def receive(
    stream: Readable, part: Path, *, offset: int, limit: int, hashers: list[hashlib._Hash]
) -> int:
    """Append up to ``limit`` bytes of ``stream`` to ``part`` at ``offset``; how many arrived.

    A stream that ends early (the client was cut off) is not an error here: what arrived is
    kept, and the caller decides (a tus upload resumes from it; a one-request upload is
    refused as truncated). A write that fails (a full disk) truncates back to ``offset``.
    """
    received = 0
    with part.open("r+b") as out:
        out.seek(offset)
        out.truncate()
        try:
            while received < limit:
                try:
                    chunk = stream.read(min(CHUNK, limit - received))
                except OSError:  # the connection broke mid-body
                    break
                if not chunk:
                    break
                out.write(chunk)
                for hasher in hashers:
                    hasher.update(chunk)
                received += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        except OSError as exc:
            out.truncate(offset)
            raise _disk_error(exc) from None
    return received


@contextlib.contextmanager
def part_locked(upload: Upload) -> Iterator[Path]:
    """The upload's partial file, locked against another request for the same upload."""
    part = part_path(upload)
    try:
        handle = part.open("r+b")
    except FileNotFoundError:
        raise UploadError("this upload's received bytes are gone; start it again") from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadConflictError(
                "another request is writing to this upload; wait for it to end"
            ) from None
        yield part


class UploadConflictError(PhotonixError):
    category = Category.CONFLICT


def upload_discard(upload: Upload) -> None:
    """Forget an upload that will not be finished, and its received bytes."""
    with contextlib.suppress(FileNotFoundError, UploadError):
        part_path(upload).unlink()
    Upload.objects.filter(pk=upload.pk).delete()


def uploads_expire() -> int:
    """Delete incomplete uploads past their expiry, with their partial files."""
    expired = list(
        Upload.objects.filter(state=Upload.State.RECEIVING, expires_at__lt=timezone.now())
        .select_related("library")
        .order_by("pk")
    )
    for upload in expired:
        upload_discard(upload)
    if expired:
        logger.info("expired %d incomplete uploads", len(expired))
    return len(expired)


# --- Finishing: checks, de-duplication, placing, recording ------------------------------


def file_digest(path: Path, algorithm: str) -> str:
    digest = ALGORITHMS[algorithm]()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def upload_finish(upload: Upload, part: Path, digests: dict[str, str] | None = None) -> Stored:
    """Check the received file and store it (or find its duplicate). On any refusal the
    upload and its bytes are deleted.

    ``digests`` are the hex digests computed while the bytes arrived (by algorithm); what is
    missing is computed from the file.
    """
    try:
        return _finish(upload, part, dict(digests or {}))
    except BaseException:
        upload_discard(upload)
        raise


def _finish(upload: Upload, part: Path, digests: dict[str, str]) -> Stored:
    size = part.stat().st_size
    if size != upload.length:
        raise UploadError(
            f"the upload is incomplete: {size} of {upload.length} bytes arrived; send it again"
        )
    if upload.checksum:
        algorithm, expected = upload.checksum.split(" ", 1)
        if algorithm not in digests:  # read once: the SHA-256 below may be this same digest
            digests[algorithm] = file_digest(part, algorithm)
        actual = digests[algorithm]
        if actual != expected:
            raise ChecksumMismatchError(
                f"{upload.filename}: the {algorithm} checksum does not match the bytes received "
                f"(expected {expected}, received {actual}); nothing was stored"
            )
    sha256 = digests.get("sha256") or file_digest(part, "sha256")
    with part.open("rb") as handle:
        head = handle.read(64)
    check = check_content(Path(upload.filename), head)
    if check.error is not None or check.format == "video":
        what = check.error or "a video (not supported yet)"
        raise NotAnImageError(f"{upload.filename}: {what}")
    root = upload_root(upload.library)
    with _folder_lock(root), transaction.atomic():
        existing = known_checksums(upload.library, [sha256]).get(sha256)
        if existing is not None:
            part.unlink()
            Upload.objects.filter(pk=upload.pk).update(
                state=Upload.State.DONE, duplicate=True, file=existing, offset=size
            )
            logger.info("upload %s: duplicate of %s", upload.filename, existing.path)
            return Stored(True, existing.pk, existing.photo_id, existing.path, sha256)
        taken = quick_taken_date(part) or _local(upload.modified) or _local(timezone.now())
        folder = root / _user_folder(upload.user) / f"{taken:%Y}" / f"{taken:%m}"
        dest = _place(part, folder, upload.filename, upload.modified)
        try:
            file = services.path_changed(str(dest))
            if file is None:
                raise UploadError(f"{dest} is not in one of the library's folders")
            PhotoFile.objects.filter(pk=file.pk).update(content_hash=sha256)
            Upload.objects.filter(pk=upload.pk).update(
                state=Upload.State.DONE, file=file, offset=size
            )
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
    logger.info("upload %s stored as %s", upload.filename, dest)
    return Stored(False, file.pk, None, str(dest), sha256)


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else timezone.localtime(value)


def _user_folder(user: User) -> str:
    # Usernames are letters, digits and @.+-_; one starting with a dot would be a hidden folder.
    name = re.sub(r"[^\w@.+-]", "_", user.get_username()) or f"user-{user.pk}"
    return "_" + name[1:] if name.startswith(".") else name


def _place(part: Path, folder: Path, name: str, modified: dt.datetime | None) -> Path:
    """Move ``part`` into ``folder`` under ``name``, or ``stem (n).ext`` when it is taken:
    never over another file, and all at once (a hard link, then the partial file goes)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if modified is not None:
            stamp = modified.timestamp()
            os.utime(part, (stamp, stamp))
    except OSError as exc:
        raise _disk_error(exc) from None
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(10_000):
        candidate = name if n == 0 else f"{stem} ({n}){suffix}"
        if len(candidate.encode("utf-8")) > MAX_NAME_BYTES:
            candidate = f"{stem[: MAX_NAME_BYTES - 20]} ({n}){suffix}"
        dest = folder / candidate
        try:
            os.link(part, dest)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _disk_error(exc) from None
        part.unlink()
        return dest
    raise UploadError(f"{folder} holds too many files named {name}")


@contextlib.contextmanager
def _folder_lock(root: Path) -> Iterator[None]:
    lock = root / INCOMING / ".lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def upload_whole(
    user: User,
    library: Library,
    stream: Readable,
    *,
    length: int | None,
    filename: str | None,
    checksum: str | None,
    modified: str | None,
) -> Stored:
    """A one-request upload: the whole file in ``stream`` (``length`` bytes)."""
    name = clean_filename(filename)
    expected = parse_checksum(checksum)
    when = parse_modified(modified)
    if length is None:
        raise UploadError("send the file's size (Content-Length); chunked bodies are not taken")
    upload = new_upload(
        user, library, filename=name, length=length, checksum=expected, modified=when
    )
    hashers = {"sha256": hashlib.sha256()}
    if expected is not None and expected[0] not in hashers:
        hashers[expected[0]] = ALGORITHMS[expected[0]]()
    try:
        received = receive(
            stream, part_path(upload), offset=0, limit=length, hashers=list(hashers.values())
        )
        if received != length:
            raise UploadError(
                f"{name}: the upload was cut off: {received} of {length} bytes arrived; "
                "nothing was stored"
            )
    except BaseException:
        upload_discard(upload)
        raise
    digests = {name: hasher.hexdigest() for name, hasher in hashers.items()}
    return upload_finish(upload, part_path(upload), digests)
