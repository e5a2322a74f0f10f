"""HTTP API of smart search: photos by meaning, similar photos, and turning it on.

``GET /api/search/semantic?q=`` and ``GET /api/photos/{id}/similar`` answer timeline items (with
their ``score``) of the photos the caller can see; 503 with the reason when smart search is off
or the database has no vector index. ``GET /api/smart-search`` says which; an administrator's
``POST /api/smart-search`` downloads the model in the background and then embeds the photos.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.classifiers import semantic
from photonix.core import work
from photonix.core.errors import PhotonixError
from photonix.core.http import DetailSerializer, IsAdmin, request_user
from photonix.library import selectors as library_selectors
from photonix.library.browse.api import TimelineItemSerializer
from photonix.library.browse.timeline import TIMELINE_FIELDS, taken_at_iso
from photonix.library.models import Photo


class SemanticItemSerializer(TimelineItemSerializer):
    score = serializers.FloatField(help_text="cosine similarity to the query, 1 at most")


class SemanticResultsSerializer(serializers.Serializer[Any]):
    model = serializers.CharField()
    results = SemanticItemSerializer(many=True)


class SmartSearchStatusSerializer(serializers.Serializer[Any]):
    model = serializers.CharField()
    model_present = serializers.BooleanField()
    index_available = serializers.BooleanField()
    available = serializers.BooleanField()
    reason = serializers.CharField(help_text="why it is not available ('' when it is)")
    embedded_photos = serializers.IntegerField()


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= semantic.MAX_LIMIT:
        raise PhotonixError(f"must be a whole number from 1 to {semantic.MAX_LIMIT}", field="limit")
    return int(raw)


def _items(model: str, matches: list[semantic.Match]) -> dict[str, Any]:
    rows = {
        row[0]: row
        for row in Photo.objects.filter(pk__in=[m.photo_id for m in matches]).values_list(
            *TIMELINE_FIELDS
        )
    }
    results = []
    for match in matches:
        row = rows.get(match.photo_id)
        if row is None:
            continue
        field = dict(zip(TIMELINE_FIELDS, row, strict=True))
        results.append(
            {
                "id": field["id"],
                "taken_at": taken_at_iso(field["taken_local"], field["taken_offset"]),
                "width": field["width"],
                "height": field["height"],
                "placeholder": field["placeholder"],
                "thumbnail_version": field["thumbnail_version"],
                "rating": field["rating"],
                "hidden": field["hidden"],
                "failed": bool(field["failure"]),
                "failure": field["failure"] or None,
                "score": match.score,
            }
        )
    return {"model": model, "results": results}


LIMIT = OpenApiParameter("limit", int, description="how many photos at most (1–200, default 50)")
UNAVAILABLE = {503: DetailSerializer, 400: DetailSerializer}


class SemanticSearchView(APIView):
    """Photos that look like what the words say, best first (only those above the model's
    similarity threshold)."""

    @extend_schema(
        operation_id="search_semantic",
        parameters=[OpenApiParameter("q", str, required=True), LIMIT],
        responses={200: SemanticResultsSerializer, **UNAVAILABLE},
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        if len(query) > 500:
            raise PhotonixError("at most 500 characters", field="q")
        model, matches = semantic.search_text(request_user(request), query, _limit(request))
        return Response(_items(model, matches))


class SimilarPhotosView(APIView):
    """The photos that look most like this one, best first (the photo itself left out)."""

    @extend_schema(
        operation_id="photos_similar",
        parameters=[LIMIT],
        responses={200: SemanticResultsSerializer, 404: DetailSerializer, **UNAVAILABLE},
    )
    def get(self, request: Request, photo_id: int) -> Response:
        user = request_user(request)
        photo = get_object_or_404(library_selectors.photos_for(user), pk=photo_id)
        model, matches = semantic.similar_photos(user, photo, _limit(request))
        return Response(_items(model, matches))


class SmartSearchView(APIView):
    """Whether smart search is usable; an administrator turns it on (downloads its model)."""

    def get_permissions(self) -> list[Any]:
        return [IsAdmin()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(operation_id="smart_search_status", responses=SmartSearchStatusSerializer)
    def get(self, request: Request) -> Response:
        return Response(semantic.status())

    @extend_schema(
        operation_id="smart_search_enable",
        request=None,
        responses={202: SmartSearchStatusSerializer, 403: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        """Download the model (resuming, verified) in the background; once it is there, every
        library's photos get their embeddings."""
        work.download_models(["clip"])
        return Response(semantic.status(), status=status.HTTP_202_ACCEPTED)
