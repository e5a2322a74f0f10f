"""HTTP API of faces and people: lists, a person's faces and photos, corrections, face crops.

Everything is scoped to the libraries the signed-in user belongs to: a face or person of another
library answers 404, and nothing moves or merges across libraries. Corrections need the owner or
editor role in the library (403 otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.core.http import (
    DetailSerializer,
    IdField,
    Pages,
    forbid_unless,
    query_id,
    request_user,
)
from photonix.faces import selectors, services
from photonix.faces.models import Face, Person
from photonix.library import selectors as library_selectors
from photonix.media.thumbnails import PREVIEW
from photonix.storage.serving import not_modified, thumbnail_file

CROP = OpenApiResponse(response=OpenApiTypes.BINARY, description="A square JPEG of the face.")


def _editable(request: Request, library_id: int) -> None:
    forbid_unless(
        selectors.can_edit(request_user(request), library_id),
        "Only the library's owners and editors can correct faces.",
    )


def _crop_url(face_id: int | None) -> str | None:
    return None if face_id is None else reverse("face-crop", args=[face_id])


class BoxSerializer(serializers.Serializer[Any]):
    """Fractions of the displayed (upright) photo."""

    x = serializers.FloatField()
    y = serializers.FloatField()
    width = serializers.FloatField()
    height = serializers.FloatField()


class FaceSuggestionSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField()
    name = serializers.CharField(help_text="Empty for an unnamed group.")
    distance = serializers.FloatField(help_text="Euclidean, between face embeddings.")
    cover_url = serializers.CharField(allow_null=True)


class FaceSerializer(serializers.ModelSerializer[Face]):
    box = serializers.SerializerMethodField()
    person_name = serializers.SerializerMethodField()
    crop_url = serializers.SerializerMethodField()
    suggestions = serializers.SerializerMethodField()

    class Meta:
        model = Face
        fields = (
            "id",
            "photo",
            "library",
            "person",
            "person_name",
            "verdict",
            "box",
            "confidence",
            "size",
            "clusterable",
            "crop_url",
            "suggestions",
        )
        read_only_fields = fields

    @extend_schema_field(BoxSerializer)
    def get_box(self, obj: Face) -> dict[str, float]:
        return {"x": obj.x, "y": obj.y, "width": obj.width, "height": obj.height}

    def get_person_name(self, obj: Face) -> str | None:
        return None if obj.person is None else obj.person.name

    def get_crop_url(self, obj: Face) -> str:
        return reverse("face-crop", args=[obj.pk])

    @extend_schema_field(FaceSuggestionSerializer(many=True, allow_null=True))
    def get_suggestions(self, obj: Face) -> list[dict[str, Any]] | None:
        """The people it looks most like, in the unnamed faces' list only (null elsewhere)."""
        suggestions: dict[int, list[dict[str, Any]]] | None = self.context.get("suggestions")
        return None if suggestions is None else suggestions.get(obj.pk, [])


class PersonSerializer(serializers.ModelSerializer[Person]):
    face_count = serializers.IntegerField(read_only=True)
    photo_count = serializers.IntegerField(read_only=True)
    cover_face = serializers.SerializerMethodField()
    cover_url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = (
            "id",
            "library",
            "name",
            "confirmed",
            "face_count",
            "photo_count",
            "cover_face",
            "cover_url",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_cover_face(self, obj: Person) -> int | None:
        cover: int | None = getattr(obj, "cover", None)
        return cover

    def get_cover_url(self, obj: Person) -> str | None:
        return _crop_url(getattr(obj, "cover", None))


class PersonUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, allow_blank=True)
    cover_face = IdField(required=False)


class MergeSerializer(serializers.Serializer[Any]):
    person = IdField(help_text="The person merged into this one (deleted).")


class MoveSerializer(serializers.Serializer[Any]):
    person = IdField(allow_null=True, help_text="Target person; null makes a new person (split).")
    name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True, help_text="For a new person."
    )


class AssignSerializer(serializers.Serializer[Any]):
    person = IdField(required=False, help_text="A person of the face's library.")
    name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Without ``person``: the library's person of this name, or a new one.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "person" in attrs and attrs.get("name", "").strip():
            raise serializers.ValidationError("give a person or a name, not both")
        if "person" not in attrs and not attrs.get("name", "").strip():
            raise serializers.ValidationError({"name": ["choose a person or type a name"]})
        return attrs


class PhotoIdsSerializer(serializers.Serializer[Any]):
    photos = serializers.ListField(child=IdField())


def _person(request: Request, person_id: int) -> Person:
    return get_object_or_404(selectors.people_for(request_user(request)), pk=person_id)


def _face(request: Request, face_id: int) -> Face:
    return get_object_or_404(selectors.faces_for(request_user(request)), pk=face_id)


class LibraryPeopleView(APIView):
    """The people of a library: named first, then unnamed groups to review (largest first)."""

    @extend_schema(operation_id="people_list", responses=PersonSerializer(many=True))
    def get(self, request: Request, library_id: int) -> Response:
        user = request_user(request)
        get_object_or_404(library_selectors.libraries_for(user), pk=library_id)
        people = selectors.people_for(user).filter(library_id=library_id)
        named = request.query_params.get("named")
        if named == "true":
            people = people.exclude(name="")
        elif named == "false":
            people = people.filter(name="")
        return Response(PersonSerializer(people, many=True).data)


class PersonView(APIView):
    @extend_schema(operation_id="people_retrieve", responses=PersonSerializer)
    def get(self, request: Request, person_id: int) -> Response:
        return Response(PersonSerializer(_person(request, person_id)).data)

    @extend_schema(
        operation_id="people_update",
        request=PersonUpdateSerializer,
        responses={200: PersonSerializer, 400: DetailSerializer, 403: DetailSerializer},
    )
    def patch(self, request: Request, person_id: int) -> Response:
        """Name or rename this person (nobody else changes), or choose their cover face."""
        person = _person(request, person_id)
        _editable(request, person.library_id)
        payload = PersonUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        # Looked up among the faces the caller may see: a face of another library answers 404
        # like an id that does not exist, so the answer tells nothing about it. Before any
        # change, so a refused cover leaves the name as it was too.
        face = _face(request, data["cover_face"]) if "cover_face" in data else None
        with transaction.atomic():
            if "name" in data:
                services.person_rename(person, data["name"])
            if face is not None:
                services.person_set_cover(person, face)
        return Response(PersonSerializer(_person(request, person_id)).data)


class PersonMergeView(APIView):
    @extend_schema(
        operation_id="people_merge",
        request=MergeSerializer,
        responses={200: PersonSerializer, 400: DetailSerializer, 403: DetailSerializer},
    )
    def post(self, request: Request, person_id: int) -> Response:
        """Merge another person of the same library into this one."""
        target = _person(request, person_id)
        _editable(request, target.library_id)
        payload = MergeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        source = _person(request, payload.validated_data["person"])
        services.people_merge(target, source)
        return Response(PersonSerializer(_person(request, person_id)).data)


class PersonFacesView(APIView):
    @extend_schema(operation_id="people_faces", responses=FaceSerializer(many=True))
    def get(self, request: Request, person_id: int) -> Response:
        faces = selectors.person_faces(_person(request, person_id)).select_related("person")
        return Response(FaceSerializer(faces, many=True).data)


class PersonPhotosView(APIView):
    @extend_schema(operation_id="people_photos", responses=PhotoIdsSerializer)
    def get(self, request: Request, person_id: int) -> Response:
        """The ids of the photos this person is on, newest first."""
        person = _person(request, person_id)
        photos = (
            library_selectors.photos_for(request_user(request))
            .filter(pk__in=selectors.person_faces(person).values("photo_id"))
            .values_list("pk", flat=True)
        )
        return Response({"photos": list(photos)})


class PhotoFacesView(APIView):
    @extend_schema(operation_id="photos_faces", responses=FaceSerializer(many=True))
    def get(self, request: Request, photo_id: int) -> Response:
        """The faces on a photo (rejected ones left out), with whose they are."""
        photo = get_object_or_404(library_selectors.photos_for(request_user(request)), pk=photo_id)
        faces = (
            Face.objects.filter(photo=photo)
            .exclude(verdict=Face.Verdict.REJECTED)
            .select_related("person")
            .order_by("x", "pk")
        )
        return Response(FaceSerializer(faces, many=True).data)


class _FaceAction(APIView):
    def _act(self, request: Request, face: Face) -> Face:
        raise NotImplementedError

    def post(self, request: Request, face_id: int) -> Response:
        face = _face(request, face_id)
        _editable(request, face.library_id)
        face = self._act(request, face)
        return Response(FaceSerializer(_face(request, face.pk)).data)


ACTION_RESPONSES = {200: FaceSerializer, 400: DetailSerializer, 403: DetailSerializer}


class FaceMoveView(_FaceAction):
    @extend_schema(operation_id="faces_move", request=MoveSerializer, responses=ACTION_RESPONSES)
    def post(self, request: Request, face_id: int) -> Response:
        """Move a face to another person of its library, or to a new person (split)."""
        return super().post(request, face_id)

    def _act(self, request: Request, face: Face) -> Face:
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target_id = payload.validated_data["person"]
        target = None if target_id is None else _person(request, target_id)
        return services.face_move(face, target, name=payload.validated_data["name"])


class FaceRemoveView(_FaceAction):
    @extend_schema(operation_id="faces_remove", request=None, responses=ACTION_RESPONSES)
    def post(self, request: Request, face_id: int) -> Response:
        """Take a face off its person ("not them"); it is not grouped automatically again."""
        return super().post(request, face_id)

    def _act(self, request: Request, face: Face) -> Face:
        return services.face_remove(face)


class FaceRejectView(_FaceAction):
    @extend_schema(operation_id="faces_reject", request=None, responses=ACTION_RESPONSES)
    def post(self, request: Request, face_id: int) -> Response:
        """Mark "not a face"."""
        return super().post(request, face_id)

    def _act(self, request: Request, face: Face) -> Face:
        return services.face_reject(face)


class FaceConfirmView(_FaceAction):
    @extend_schema(operation_id="faces_confirm", request=None, responses=ACTION_RESPONSES)
    def post(self, request: Request, face_id: int) -> Response:
        """Confirm that the face shows its person."""
        return super().post(request, face_id)

    def _act(self, request: Request, face: Face) -> Face:
        return services.face_confirm(face)


class FaceListView(generics.ListAPIView[Face]):
    """Faces of the user's libraries (``?library=ID`` for one); ``?unassigned=1``: only the ones
    on nobody that wait to be named (removed ones too; not ignored, not rejected), the clearest
    first."""

    serializer_class = FaceSerializer
    pagination_class = Pages

    def _unassigned(self) -> bool:
        return self.request.query_params.get("unassigned") in ("1", "true")

    def get_queryset(self) -> QuerySet[Face]:
        user = request_user(self.request)
        library = query_id(self.request, "library", "must be a library id")
        if self._unassigned():
            return selectors.unassigned_faces(user, library).select_related("person")
        faces = selectors.faces_for(user).exclude(verdict=Face.Verdict.REJECTED)
        if library is not None:
            faces = faces.filter(library_id=library)
        return faces.order_by("photo_id", "x", "pk")

    @extend_schema(
        operation_id="faces_list",
        parameters=[
            OpenApiParameter("library", OpenApiTypes.INT, description="only this library"),
            OpenApiParameter(
                "unassigned", OpenApiTypes.BOOL, description="only faces on nobody to name"
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # noqa: S101 - always paginated
        context = dict(self.get_serializer_context())
        if self._unassigned():
            # The faces to name come with their suggestions: one read of each library's people
            # for the page, not one request (and one read) per face.
            ranked = services.faces_suggestions(page)
            people = _people(request, (pk for rows in ranked.values() for pk, _ in rows))
            context["suggestions"] = {
                face_id: _suggestions(people, rows) for face_id, rows in ranked.items()
            }
        serializer = FaceSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)


def _people(request: Request, ids: Iterable[int]) -> dict[int, Person]:
    """The people of ``ids`` the caller may see, by id, in one query."""
    return selectors.people_for(request_user(request)).in_bulk(set(ids))


def _suggestions(
    people: dict[int, Person], ranked: list[tuple[int, float]]
) -> list[dict[str, Any]]:
    """Suggested people as answered (those in ``people``: the caller's), nearest first."""
    return [
        {
            "person": pk,
            "name": people[pk].name,
            "distance": round(distance, 4),
            "cover_url": _crop_url(getattr(people[pk], "cover", None)),
        }
        for pk, distance in ranked
        if pk in people
    ]


class FaceAssignView(_FaceAction):
    @extend_schema(
        operation_id="faces_assign", request=AssignSerializer, responses=ACTION_RESPONSES
    )
    def post(self, request: Request, face_id: int) -> Response:
        """Name a face: put it on a person of its library, or on the person called ``name``
        (made when the library has nobody of that name)."""
        return super().post(request, face_id)

    def _act(self, request: Request, face: Face) -> Face:
        payload = AssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        person = _person(request, data["person"]) if "person" in data else None
        return services.face_name(face, person=person, name=data.get("name", ""))


class FaceIgnoreView(_FaceAction):
    @extend_schema(operation_id="faces_ignore", request=None, responses=ACTION_RESPONSES)
    def post(self, request: Request, face_id: int) -> Response:
        """A face nobody will name: off its person and out of the unnamed faces to review."""
        return super().post(request, face_id)

    def _act(self, request: Request, face: Face) -> Face:
        return services.face_ignore(face)


class FaceSuggestionsView(APIView):
    @extend_schema(
        operation_id="faces_suggestions",
        parameters=[OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 20 (5)")],
        responses=FaceSuggestionSerializer(many=True),
    )
    def get(self, request: Request, face_id: int) -> Response:
        """The people this face looks most like, nearest first (its own person left out)."""
        face = _face(request, face_id)
        limit = request.query_params.get("limit", "5")
        if not (limit.isascii() and limit.isdigit()) or not 1 <= int(limit) <= 20:
            raise ValidationError({"limit": ["a number from 1 to 20"]})
        ranked = services.face_suggestions(face, int(limit))
        people = _people(request, (pk for pk, _ in ranked))
        return Response(FaceSuggestionSerializer(_suggestions(people, ranked), many=True).data)


def _crop_response(request: Request, face: Face) -> HttpResponse:
    photo = face.photo
    if not photo.thumbnail_version:
        raise Http404("the preview of this photo is not made yet")
    etag = f'"f{face.pk}-{photo.thumbnail_version}-{face.x:.4f}-{face.y:.4f}"'
    if not_modified(request, etag):
        response = HttpResponse(status=304)
    else:
        preview = thumbnail_file(photo.pk, PREVIEW.name, photo.thumbnail_version)
        try:
            data = services.face_crop(face, preview)
        except (OSError, ValueError):  # gone, or not an image (Pillow's errors)
            raise Http404("the preview of this photo is missing or damaged") from None
        response = HttpResponse(data, content_type="image/jpeg")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=86400"
    return response


class PersonCropView(APIView):
    """The crop of a person's cover face (for lists that carry only the person's id)."""

    @extend_schema(operation_id="people_crop", responses={(200, "image/jpeg"): CROP, 404: None})
    def get(self, request: Request, person_id: int) -> HttpResponse:
        cover: int | None = getattr(_person(request, person_id), "cover", None)
        if cover is None:
            raise Http404("this person has no face to show")
        return _crop_response(request, _face(request, cover))


class FaceCropView(APIView):
    """A square JPEG of the face cut from the photo's preview (the UI rounds it with CSS)."""

    @extend_schema(operation_id="faces_crop", responses={(200, "image/jpeg"): CROP, 404: None})
    def get(self, request: Request, face_id: int) -> HttpResponse:
        return _crop_response(request, _face(request, face_id))
