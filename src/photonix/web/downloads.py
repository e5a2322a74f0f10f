"""Downloading many photos as one zip, streamed as it is written.

Two steps, so that a browser saves the archive itself (a link, not a script holding 10 GB): the
app asks ``POST /api/downloads`` for the photos (a selection, or an album) and gets back a
``url``; following it streams the zip. The ticket lasts an hour, belongs to the user who asked,
and holds only the request: who may see what is checked again when the archive is read, so a
photo taken out of reach in between is left out.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache
from django.http import Http404, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.albums import selectors as album_selectors
from photonix.core.http import FIELD_ERRORS, DetailSerializer, IdField, request_user
from photonix.core.models import User
from photonix.library import selectors
from photonix.library.browse import downloads
from photonix.storage.archive import stream

TICKET_SECONDS = 3600
# A selection's limit: the timeline's "select all" on a large library, in one archive.
MAX_PHOTOS = 50_000
ZIP = OpenApiResponse(response=OpenApiTypes.BINARY, description="The zip archive, streamed.")


class DownloadRequestSerializer(serializers.Serializer[Any]):
    photos = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=MAX_PHOTOS,
        required=False,
        help_text="the selected photos' ids (or give `album`)",
    )
    album = IdField(required=False, help_text="an album's id: all its photos, in its order")
    version = serializers.ChoiceField(
        choices=downloads.VERSIONS,
        default="original",
        help_text="`original`: the files as they are; `developed`: RAW files as developed JPEGs",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("photos" in attrs) == ("album" in attrs):
            raise ValidationError("Give either `photos` or `album`.")
        return attrs


class DownloadTicketSerializer(serializers.Serializer[Any]):
    url = serializers.CharField(help_text="follow it to download the zip (for an hour)")
    name = serializers.CharField(help_text="the archive's file name")
    photos = serializers.IntegerField(help_text="how many photos it holds")


def _album_ids(user: User, album_id: int) -> tuple[list[int], str]:
    album = album_selectors.albums_for(user).filter(pk=album_id).first()
    if album is None:
        raise NotFound("No such album.")
    ids = list(album_selectors.album_photos(album).values_list("pk", flat=True))
    return ids, downloads.archive_name(album.name)


def _visible_ids(user: User, wanted: list[int]) -> list[int]:
    """``wanted`` less what ``user`` may not see, in the timeline's order (newest first)."""
    found: list[tuple[Any, int]] = []
    unique = list(dict.fromkeys(wanted))
    for start in range(0, len(unique), downloads.BATCH):
        batch = unique[start : start + downloads.BATCH]
        found += selectors.photos_for(user).filter(pk__in=batch).values_list("taken_local", "pk")
    # Newest first, undated last, as the timeline shows them.
    found.sort(key=lambda row: (row[0] is None, row[0] and -row[0].timestamp(), -row[1]))
    return [pk for _, pk in found]


class DownloadListView(APIView):
    """Ask for a zip of several photos: answers the URL that streams it."""

    @extend_schema(
        operation_id="downloads_create",
        request=DownloadRequestSerializer,
        responses={201: DownloadTicketSerializer, 400: FIELD_ERRORS, 404: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        payload = DownloadRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "album" in data:
            ids, name = _album_ids(user, data["album"])
        else:
            ids, name = _visible_ids(user, data["photos"]), downloads.archive_name("Photonix")
            if len(ids) < len(set(data["photos"])):
                missing = len(set(data["photos"])) - len(ids)
                raise ValidationError(
                    {"photos": [f"{missing} of these photos do not exist or are not yours to see."]}
                )
        if not ids:
            raise ValidationError("There is no photo to download.")
        key = secrets.token_urlsafe(24)
        ticket = {"user": user.pk, "version": data["version"], "name": name}
        ticket |= {"album": data["album"]} if "album" in data else {"photos": ids}
        cache.set(f"download:{key}", ticket, TICKET_SECONDS)
        return Response(
            {"url": f"/api/downloads/{key}", "name": name, "photos": len(ids)}, status=201
        )


class DownloadView(APIView):
    """The zip of a download asked for with ``POST /api/downloads``, streamed."""

    @extend_schema(
        operation_id="downloads_zip",
        responses={(200, "application/zip"): ZIP, 404: DetailSerializer},
    )
    def get(self, request: Request, key: str) -> HttpResponseBase:
        user = request_user(request)
        ticket = cache.get(f"download:{key}")
        if not isinstance(ticket, dict) or ticket.get("user") != user.pk:
            raise Http404("This download has expired or is not yours: ask for it again.")
        if "album" in ticket:
            ids, _ = _album_ids(user, ticket["album"])
        else:
            ids = ticket["photos"]
        photos: Any = downloads.in_order(selectors.photos_for(user), ids)
        return zip_response(downloads.entries(photos, ticket["version"]), ticket["name"])


def zip_response(entries: Any, name: str) -> StreamingHttpResponse:
    """A streamed zip of ``entries`` saved as ``name``, with its exact ``Content-Length`` when
    it is known before the first byte."""
    chunks, size = stream(entries)
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    if size is not None:
        response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
