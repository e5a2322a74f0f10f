"""Thumbnails, previews and originals, served only to people who may see the photo.

Thumbnail URLs carry the thumbnailer version (``?v=``): with it the answer may be cached for a
year (the URL changes when the file does); without it, the browser revalidates with the ETag.
These views decide who may see what; how a file is served (never one outside its folder, ETag
and 304, streaming or handing it to a front proxy) is :mod:`photonix.storage.serving`.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from photonix.core.http import request_user
from photonix.library import selectors
from photonix.library.models import PhotoFile
from photonix.storage.derived import SIZE_BY_NAME
from photonix.storage.serving import file_response, thumbnail_response

YEAR = 365 * 24 * 3600
IMAGE = OpenApiResponse(response=OpenApiTypes.BINARY, description="The image.")
NOT_READY = OpenApiResponse(description="No such photo, or its thumbnails are not made yet.")


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
        versioned = request.query_params.get("v") == str(photo.thumbnail_version)
        return thumbnail_response(
            request,
            photo.pk,
            size,
            photo.thumbnail_version,
            etag=f'"t{photo.pk}-{size}-{photo.thumbnail_version}"',
            cache=f"private, max-age={YEAR}, immutable" if versioned else "private, no-cache",
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
