"""HTTP API of near-duplicates and stacks: the review page's groups, stacking and unstacking."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.core.http import (
    FIELD_ERRORS,
    ID_SCHEMA,
    DetailSerializer,
    IdField,
    query_id,
    request_user,
)
from photonix.library.browse import duplicates, stacks
from photonix.library.browse.api import PhotoListSerializer
from photonix.library.models import LibraryMember


class DuplicatePhotoSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    taken_at = serializers.CharField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    placeholder = serializers.CharField()
    thumbnail_version = serializers.IntegerField()
    file_name = serializers.CharField()
    sharpness = serializers.FloatField(help_text="variance of the Laplacian at 1024 px")
    exposure = serializers.FloatField(help_text="share of pixels neither crushed nor blown")
    score = serializers.FloatField(help_text="the rank, 0 to 1 (docs/duplicates.md)")


class DuplicateGroupSerializer(serializers.Serializer[Any]):
    library = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=("duplicate", "burst"))
    best = serializers.IntegerField(help_text="the photo to keep: the first of ``photos``")
    photos = DuplicatePhotoSerializer(many=True)


class DuplicateGroupsSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text="how many groups there are")
    groups = DuplicateGroupSerializer(many=True)


class DuplicatesView(APIView):
    """Groups of near-duplicates and bursts in the user's libraries, newest first, each ranked
    best first. Stacked and archived photos are left out."""

    @extend_schema(
        operation_id="duplicates_list",
        parameters=[
            OpenApiParameter("library", ID_SCHEMA, description="only this library's groups"),
            OpenApiParameter(
                "limit", int, description=f"1 to {duplicates.MAX_LIMIT} groups (default 50)"
            ),
        ],
        responses={200: DuplicateGroupsSerializer, 400: FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        user = request_user(request)
        limit_text = request.query_params.get("limit", str(duplicates.DEFAULT_LIMIT))
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= duplicates.MAX_LIMIT:
            raise ValidationError({"limit": [f"a number from 1 to {duplicates.MAX_LIMIT}"]})
        libraries = set(
            LibraryMember.objects.filter(user=user).values_list("library_id", flat=True)
        )
        chosen = query_id(request, "library")
        if chosen is not None:
            libraries &= {chosen}
        return Response(duplicates.duplicate_groups(user, libraries, int(limit_text)))


class StackCreateSerializer(serializers.Serializer[Any]):
    photos = serializers.ListField(child=IdField(), min_length=2, max_length=stacks.MAX_STACK)
    cover = IdField(
        required=False,
        allow_null=True,
        help_text="the photo to show (one of ``photos``); by default the best of them",
    )


class StackCreatedSerializer(serializers.Serializer[Any]):
    cover = serializers.IntegerField()
    stack_count = serializers.IntegerField()


class StackSerializer(serializers.Serializer[Any]):
    cover = serializers.IntegerField()
    photos = PhotoListSerializer(many=True, help_text="the cover first")


class UnstackedSerializer(serializers.Serializer[Any]):
    unstacked = serializers.IntegerField(help_text="how many photos are on the timeline again")


class StackListView(APIView):
    @extend_schema(
        operation_id="stacks_create",
        request=StackCreateSerializer,
        responses={
            201: StackCreatedSerializer,
            400: FIELD_ERRORS,
            403: DetailSerializer,
            404: DetailSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        """Stack photos of one library under one cover ("keep the best, stack the rest"):
        the others leave the timeline, the cover shows their count. Editors and owners."""
        payload = StackCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = request_user(request)
        cover = stacks.stack_create(user, data["photos"], data.get("cover"))
        count = len(stacks.stack_photos(user, cover))
        return Response({"cover": cover, "stack_count": count}, status=status.HTTP_201_CREATED)


class StackDetailView(APIView):
    @extend_schema(
        operation_id="stacks_retrieve",
        responses={200: StackSerializer, 404: DetailSerializer},
    )
    def get(self, request: Request, cover_id: int) -> Response:
        """The photos of a stack, named by its cover."""
        photos = stacks.stack_photos(request_user(request), cover_id)
        return Response({"cover": cover_id, "photos": PhotoListSerializer(photos, many=True).data})

    @extend_schema(
        operation_id="stacks_delete",
        responses={200: UnstackedSerializer, 403: DetailSerializer, 404: DetailSerializer},
    )
    def delete(self, request: Request, cover_id: int) -> Response:
        """Undo a stack: every photo of it is on the timeline again. Editors and owners."""
        return Response({"unstacked": stacks.stack_undo(request_user(request), cover_id)})
