"""Serving a file from disk without ever serving one outside its root.

The caller has already decided who may see the file; this module decides whether the file may be
served at all, and how. A file is served only if it really is (after resolving every symlink) a
regular file inside its root: the thumbnails folder for a thumbnail or preview, the library
folder for an original. A symlink swapped in after import, or a path recorded outside its
folder, answers 404 and is logged. The file is opened with ``O_NOFOLLOW`` and checked again
through its descriptor, so a swap between the check and the open is caught too.

Responses carry an ``ETag`` (a matching ``If-None-Match`` answers 304 without touching the file),
``Last-Modified`` and the caller's ``Cache-Control``. Files stream in chunks, or are handed to a
front proxy (``X-Sendfile`` or ``X-Accel-Redirect``) when ``PHOTONIX_SENDFILE`` says so.
"""

from __future__ import annotations

import logging
import os
import stat as stat_module
from email.utils import formatdate
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase

from photonix.storage.derived import thumbnail_content_type, thumbnail_path, thumbnails_root

logger = logging.getLogger(__name__)

__all__ = [
    "contained_path",
    "file_response",
    "not_modified",
    "thumbnail_file",
    "thumbnail_response",
]


def not_modified(request: HttpRequest, etag: str) -> bool:
    """Whether the client's ``If-None-Match`` already names ``etag`` (or is ``*``)."""
    header = request.headers.get("If-None-Match", "")
    return etag in {tag.strip() for tag in header.split(",")} or header.strip() == "*"


def _refuse(path: Path, root: Path | None, why: str) -> Http404:
    logger.warning("refused to serve %s (root %s): %s", path, root, why)
    return Http404("the file is not available")


def contained_path(path: Path, root: Path | None) -> Path:
    """The real path of ``path`` if it is a regular file inside ``root`` (both resolved with
    every symlink followed); otherwise :class:`Http404`. A ``root`` of None refuses everything."""
    if root is None:
        raise _refuse(path, root, "not inside any library folder or the thumbnails")
    try:
        real = path.resolve(strict=True)
        real_root = root.resolve(strict=True)
    except (OSError, RuntimeError):
        raise Http404("the file is not available") from None
    if not path.is_absolute() or not real.is_relative_to(real_root) or real == real_root:
        raise _refuse(path, root, f"resolves to {real}, outside its folder")
    return real


def _open_contained(real: Path, root: Path) -> tuple[int, os.stat_result]:
    """Open ``real`` without following a symlink at its end; check what was opened."""
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        raise _refuse(real, root, "changed before it could be opened") from None
    try:
        st = os.fstat(fd)
        if not stat_module.S_ISREG(st.st_mode):
            raise _refuse(real, root, "not a regular file")
        try:
            opened: Path | None = Path(f"/proc/self/fd/{fd}").readlink()
        except OSError:  # no /proc here: the O_NOFOLLOW open is the guard
            opened = None
        if opened is not None and not opened.is_relative_to(root.resolve()):
            raise _refuse(real, root, "a folder on its path was swapped for a symlink")
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def file_response(
    request: HttpRequest,
    path: Path,
    *,
    root: Path | None,
    etag: str,
    cache: str,
    content_type: str,
    download_name: str | None = None,
) -> HttpResponseBase:
    """Serve ``path``, which must be a regular file inside ``root`` (otherwise 404)."""
    real = contained_path(path, root)
    assert root is not None  # noqa: S101 - contained_path refuses None
    if not_modified(request, etag):
        response: HttpResponseBase = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = cache
        return response
    fd, stat = _open_contained(real, root)
    sendfile = settings.PHOTONIX_SENDFILE
    if sendfile == "x-sendfile":
        os.close(fd)
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = str(real)
    elif sendfile == "x-accel-redirect":
        os.close(fd)
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(settings.PHOTONIX_ACCEL_PREFIX + str(real))
    else:
        response = FileResponse(os.fdopen(fd, "rb"), content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(stat.st_mtime, usegmt=True)
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    if download_name is not None:
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download_name)}"
    return response


def thumbnail_file(photo_id: int, size: str, version: int) -> Path:
    """The real path of a thumbnail, to read it in place; 404 when it is missing or not inside
    the thumbnails folder."""
    return contained_path(thumbnail_path(photo_id, size, version), thumbnails_root())


def thumbnail_response(
    request: HttpRequest, photo_id: int, size: str, version: int, *, etag: str, cache: str
) -> HttpResponseBase:
    """Serve thumbnail ``size`` of a photo (see :func:`file_response`)."""
    return file_response(
        request,
        thumbnail_path(photo_id, size, version),
        root=thumbnails_root(),
        etag=etag,
        cache=cache,
        content_type=thumbnail_content_type(size),
    )
