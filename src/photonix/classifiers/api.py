"""HTTP API of tags: a photo's tags by type, a library's tags with counts, a person's verdicts,
per-library classifier switches, and the library's own dates (birthdays) for the event tags.

Every query goes through the user's libraries. Reading needs membership; changing tags needs the
editor or owner role (administrators too); switching classifiers and naming dates needs the owner
role, or an administrator who is a member.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.classifiers import registry, selectors, services
from photonix.classifiers.models import CalendarEvent, ClassifierSwitch, PhotoTag, Tag
from photonix.core.http import DetailSerializer, forbid_unless, request_user
from photonix.library import selectors as library_selectors
from photonix.library.models import Library, LibraryMember, Photo

EDITORS = (LibraryMember.Role.OWNER, LibraryMember.Role.EDITOR)


def _library(request: Request, library_id: int) -> Library:
    return get_object_or_404(library_selectors.libraries_for(request_user(request)), pk=library_id)


def _photo(request: Request, photo_id: int) -> Photo:
    libraries = library_selectors.libraries_for(request_user(request)).values("pk")
    return get_object_or_404(Photo.objects.filter(library__in=libraries), pk=photo_id)


def _require_editor(request: Request, library: Library) -> None:
    """403 unless the user is an editor or owner of ``library``: tags of its photos go by the
    role alone, administrators included (docs/accounts.md)."""
    forbid_unless(
        library_selectors.library_role(request_user(request), library) in EDITORS,
        "Your role in this library does not allow this.",
    )


def _require_manager(request: Request, library: Library) -> None:
    """403 unless the user manages ``library`` (its owners, administrators who are members)."""
    forbid_unless(
        library_selectors.library_manageable(request_user(request), library),
        "Your role in this library does not allow this.",
    )


class PhotoTagSerializer(serializers.ModelSerializer[PhotoTag]):
    tag = serializers.IntegerField(source="tag_id", read_only=True)
    type = serializers.CharField(source="tag.type", read_only=True)
    name = serializers.CharField(source="tag.name", read_only=True)
    parent_name = serializers.CharField(source="tag.parent.name", default=None, read_only=True)
    box = serializers.ListField(child=serializers.FloatField(), allow_null=True, read_only=True)

    class Meta:
        model = PhotoTag
        fields = (
            "id",
            "tag",
            "type",
            "name",
            "parent_name",
            "confidence",
            "significance",
            "box",
            "source",
            "verdict",
            "version",
        )
        read_only_fields = fields


class PhotoTagsSerializer(serializers.Serializer[Any]):
    photo = serializers.IntegerField()
    tags = serializers.DictField(child=PhotoTagSerializer(many=True))


class TagAddSerializer(serializers.Serializer[Any]):
    type = serializers.RegexField(r"^[a-z_]{1,20}$")
    name = serializers.CharField(max_length=200, trim_whitespace=True)


class LibraryTagSerializer(serializers.ModelSerializer[Tag]):
    photo_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tag
        fields = ("id", "type", "name", "parent_id", "photo_count")
        read_only_fields = fields


class ClassifierStateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    version = serializers.IntegerField(read_only=True)
    enabled = serializers.BooleanField()


class ClassifierSwitchesSerializer(serializers.Serializer[Any]):
    classifiers = ClassifierStateSerializer(many=True)


class CalendarEventSerializer(serializers.ModelSerializer[CalendarEvent]):
    class Meta:
        model = CalendarEvent
        fields = ("id", "name", "date", "yearly")
        read_only_fields = ("id",)


def _photo_tags(request: Request, photo: Photo) -> dict[str, Any]:
    rejected = request.query_params.get("rejected") in ("1", "true")
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in selectors.photo_tags_for(request_user(request), photo.pk, rejected=rejected):
        grouped.setdefault(row.tag.type, []).append(PhotoTagSerializer(row).data)
    return {"photo": photo.pk, "tags": grouped}


class PhotoTagsView(APIView):
    """A photo's tags grouped by type (object, colour, place, style, event, …)."""

    @extend_schema(
        operation_id="photos_tags_list",
        parameters=[OpenApiParameter("rejected", bool, description="include rejected tags")],
        responses=PhotoTagsSerializer,
    )
    def get(self, request: Request, photo_id: int) -> Response:
        return Response(_photo_tags(request, _photo(request, photo_id)))

    @extend_schema(
        operation_id="photos_tags_add",
        request=TagAddSerializer,
        responses={201: PhotoTagSerializer, 403: DetailSerializer},
    )
    def post(self, request: Request, photo_id: int) -> Response:
        photo = _photo(request, photo_id)
        _require_editor(request, photo.library)
        payload = TagAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        row = services.photo_tag_add(
            photo, payload.validated_data["type"], payload.validated_data["name"]
        )
        row = PhotoTag.objects.select_related("tag", "tag__parent").get(pk=row.pk)
        return Response(PhotoTagSerializer(row).data, status=status.HTTP_201_CREATED)


class _VerdictView(APIView):
    action = ""

    def _decide(self, request: Request, photo_id: int, tag_id: int) -> Response:
        photo = _photo(request, photo_id)
        _require_editor(request, photo.library)
        tag = get_object_or_404(Tag.objects.filter(library_id=photo.library_id), pk=tag_id)
        if self.action == "confirm":
            row = services.photo_tag_confirm(photo, tag)
        else:
            row = services.photo_tag_reject(photo, tag)
        row = PhotoTag.objects.select_related("tag", "tag__parent").get(pk=row.pk)
        return Response(PhotoTagSerializer(row).data)


class PhotoTagConfirmView(_VerdictView):
    """A person confirms a tag: reprocessing keeps it."""

    action = "confirm"

    @extend_schema(
        operation_id="photos_tags_confirm",
        request=None,
        responses={200: PhotoTagSerializer, 403: DetailSerializer},
    )
    def post(self, request: Request, photo_id: int, tag_id: int) -> Response:
        return self._decide(request, photo_id, tag_id)


class PhotoTagRejectView(_VerdictView):
    """A person rejects a tag: it is hidden and no classifier puts it back."""

    action = "reject"

    @extend_schema(
        operation_id="photos_tags_reject",
        request=None,
        responses={200: PhotoTagSerializer, 403: DetailSerializer},
    )
    def post(self, request: Request, photo_id: int, tag_id: int) -> Response:
        return self._decide(request, photo_id, tag_id)


class LibraryTagsView(APIView):
    """A library's tags with their photo counts, most used first (``?type=object``)."""

    @extend_schema(
        operation_id="libraries_tags_list",
        parameters=[OpenApiParameter("type", str, description="only tags of this type")],
        responses=LibraryTagSerializer(many=True),
    )
    def get(self, request: Request, library_id: int) -> Response:
        library = _library(request, library_id)
        tags = selectors.library_tags_for(
            request_user(request), library.pk, request.query_params.get("type") or None
        )
        return Response(LibraryTagSerializer(tags, many=True).data)


def _switches(library: Library) -> dict[str, Any]:
    disabled = set(
        ClassifierSwitch.objects.filter(library=library, enabled=False).values_list(
            "name", flat=True
        )
    )
    return {
        "classifiers": [
            {"name": c.name, "version": c.version, "enabled": c.name not in disabled}
            for c in registry.all_classifiers()
        ]
    }


class ClassifierInfoSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    version = serializers.IntegerField()
    queue = serializers.CharField()


class ClassifierListView(APIView):
    """The classifiers installed on this server (built in and plug-ins); all run by default."""

    @extend_schema(operation_id="classifiers_list", responses=ClassifierInfoSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = [
            {"name": c.name, "version": c.version, "queue": registry.queue_of(c.name)}
            for c in registry.all_classifiers()
        ]
        return Response(ClassifierInfoSerializer(rows, many=True).data)


class LibraryClassifiersView(APIView):
    """Which classifiers run on a library's photos. Switching one on runs it where missing."""

    @extend_schema(operation_id="libraries_classifiers_get", responses=ClassifierSwitchesSerializer)
    def get(self, request: Request, library_id: int) -> Response:
        return Response(_switches(_library(request, library_id)))

    @extend_schema(
        operation_id="libraries_classifiers_set",
        request=ClassifierSwitchesSerializer,
        responses={200: ClassifierSwitchesSerializer, 400: DetailSerializer, 403: DetailSerializer},
    )
    def put(self, request: Request, library_id: int) -> Response:
        library = _library(request, library_id)
        _require_manager(request, library)
        payload = ClassifierSwitchesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        known = {c.name for c in registry.all_classifiers()}
        wanted = payload.validated_data["classifiers"]
        unknown = sorted({item["name"] for item in wanted} - known)
        if unknown:
            return Response(
                {"detail": f"unknown classifier(s): {', '.join(unknown)}"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        for item in wanted:
            services.classifier_switch_set(library.pk, item["name"], item["enabled"])
        return Response(_switches(library))


class LibraryEventsView(APIView):
    """A library's own dates (birthdays, anniversaries) that become event tags."""

    @extend_schema(
        operation_id="libraries_events_list", responses=CalendarEventSerializer(many=True)
    )
    def get(self, request: Request, library_id: int) -> Response:
        library = _library(request, library_id)
        events = selectors.calendar_events_for(request_user(request), library.pk)
        return Response(CalendarEventSerializer(events, many=True).data)

    @extend_schema(
        operation_id="libraries_events_create",
        request=CalendarEventSerializer,
        responses={201: CalendarEventSerializer, 403: DetailSerializer},
    )
    def post(self, request: Request, library_id: int) -> Response:
        library = _library(request, library_id)
        _require_manager(request, library)
        payload = CalendarEventSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        event = services.calendar_event_add(
            library.pk,
            payload.validated_data["name"],
            payload.validated_data["date"],
            yearly=payload.validated_data.get("yearly", True),
        )
        return Response(CalendarEventSerializer(event).data, status=status.HTTP_201_CREATED)


class LibraryEventDetailView(APIView):
    @extend_schema(
        operation_id="libraries_events_delete", responses={204: None, 403: DetailSerializer}
    )
    def delete(self, request: Request, library_id: int, event_id: int) -> Response:
        library = _library(request, library_id)
        _require_manager(request, library)
        event = get_object_or_404(CalendarEvent.objects.filter(library=library), pk=event_id)
        services.calendar_event_remove(event)
        return Response(status=status.HTTP_204_NO_CONTENT)
