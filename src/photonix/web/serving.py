"""Thumbnails, previews and originals, served only to people who may see the photo.

Thumbnail URLs carry the thumbnailer version (``?v=``): with it the answer may be cached for a
year (the URL changes when the file does); without it, the browser revalidates with the ETag.
Originals stream in chunks, or are handed to a front proxy (``X-Sendfile`` or
``X-Accel-Redirect``) when ``PHOTONIX_SENDFILE`` says so.

No file outside its root is ever served: an original must really be (after resolving every
symlink) a regular file inside its library folder, a thumbnail inside the thumbnails folder. A
symlink swapped in after import, or a path recorded outside its folder, answers 404 and is logged.
The file is opened with ``O_NOFOLLOW`` and checked again through its descriptor, so a swap
between the check and the open is caught too.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import stat as stat_module
from email.utils import formatdate
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from photonix.core.http import request_user
from photonix.library import selectors
from photonix.library.models import PhotoFile
from photonix.pipeline.stages import SIZE_BY_NAME, thumbnail_path

logger = logging.getLogger(__name__)
YEAR = 365 * 24 * 3600
IMAGE = OpenApiResponse(response=OpenApiTypes.BINARY, description="The image.")
NOT_READY = OpenApiResponse(description="No such photo, or its thumbnails are not made yet.")


def _not_modified(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return etag in {tag.strip() for tag in header.split(",")} or header.strip() == "*"


def thumbnails_root() -> Path:
    return Path(settings.DATA_DIR) / "thumbnails"


def _refuse(path: Path, root: Path | None, why: str) -> Http404:
    logger.warning("refused to serve %s (root %s): %s", path, root, why)
    return Http404("the file is not available")


def _root_for(path: Path) -> Path | None:
    """Where ``path`` may live: the thumbnails folder, or the library folder of the file
    recorded at that path. None when it is neither (then it is never served)."""
    if path.is_relative_to(thumbnails_root()):
        return thumbnails_root()
    file = PhotoFile.objects.filter(path=str(path)).select_related("folder").first()
    return None if file is None else Path(file.folder.path)


def contained_path(path: Path, root: Path | None) -> Path:
    """The real path of ``path`` if it is a regular file inside ``root`` (both resolved with
    every symlink followed); otherwise :class:`Http404`."""
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
    etag: str,
    cache: str,
    content_type: str,
    download_name: str | None = None,
    root: Path | None = None,
) -> HttpResponseBase:
    """Serve ``path``, which must be a regular file inside ``root`` (by default: the thumbnails
    folder, or the library folder of the file recorded at ``path``)."""
    root = root if root is not None else _root_for(path)
    real = contained_path(path, root)
    assert root is not None  # noqa: S101 - contained_path refuses None
    if _not_modified(request, etag):
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


class ThumbnailView(APIView):
    """A photo's grid thumbnail (``grid``) or large preview (``preview``)."""

    @extend_schema(
        operation_id="photos_thumbnail",
        parameters=[OpenApiParameter("v", int, description="thumbnail version, for caching")],
        responses={(200, "image/*"): IMAGE, 404: NOT_READY},
    )
    def get(self, request: Request, photo_id: int, size: str) -> HttpResponseBase:
        if size not in SIZE_BY_NAME:
            raise Http404("no such size")
        photo = get_object_or_404(selectors.photos_for(request_user(request)), pk=photo_id)
        if not photo.thumbnail_version:
            raise Http404("the thumbnails of this photo are not made yet")
        path = thumbnail_path(photo.pk, size, photo.thumbnail_version)
        versioned = request.query_params.get("v") == str(photo.thumbnail_version)
        return file_response(
            request,
            path,
            root=thumbnails_root(),
            etag=f'"t{photo.pk}-{size}-{photo.thumbnail_version}"',
            cache=f"private, max-age={YEAR}, immutable" if versioned else "private, no-cache",
            content_type="image/jpeg" if path.suffix == ".jpg" else "image/webp",
        )


class OriginalView(APIView):
    """A file exactly as it is on disk, for download."""

    @extend_schema(
        operation_id="files_original",
        responses={(200, "application/octet-stream"): IMAGE, 404: NOT_READY},
    )
    def get(self, request: Request, file_id: int) -> HttpResponseBase:
        libraries = selectors.libraries_for(request_user(request)).values("pk")
        file = get_object_or_404(
            PhotoFile.objects.filter(
                library__in=libraries, state=PhotoFile.State.OK
            ).select_related("folder"),
            pk=file_id,
        )
        path = Path(file.path)
        content_type = file.mime_type or mimetypes.guess_type(path.name)[0]
        return file_response(
            request,
            path,
            root=Path(file.folder.path),
            etag=f'"o{file.content_hash[:32] or file.pk}"',
            cache="private, no-cache",
            content_type=content_type or "application/octet-stream",
            download_name=path.name,
        )
