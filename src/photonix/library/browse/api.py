"""HTTP API of browsing and editing photos: photos, the timeline, facets, search, map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.classifiers.models import PhotoTag
from photonix.core.http import (
    FIELD_ERRORS,
    ID_SCHEMA,
    DetailSerializer,
    IdField,
    Pages,
    forbid_unless,
    query_id,
    request_user,
)
from photonix.core.models import User
from photonix.library import selectors
from photonix.library.browse import (
    curation,
    edits,
    filters,
    people,
    search,
    timeline,
    visibility,
)
from photonix.library.browse.search import SHOWN_VERDICTS
from photonix.library.models import Photo, PhotoFile, SearchTerm
from photonix.library.serializers import FileSerializer, PhotoFailureSerializer
from photonix.media.metadata import UNDATED_SOURCES

SEARCH_LIMIT = 500


class PhotoListSerializer(PhotoFailureSerializer):
    taken_at = serializers.SerializerMethodField()
    undated = serializers.SerializerMethodField(
        help_text="its date is only its file's time (taken_source mtime): offer a date edit"
    )

    class Meta:
        model = Photo
        fields = (
            "id",
            "library",
            "taken_at",
            "width",
            "height",
            "rating",
            "preferred_file",
            "placeholder",
            "thumbnail_version",
            "failed",
            "failure",
            "undated",
        )
        read_only_fields = fields

    def get_undated(self, obj: Photo) -> bool:
        return obj.taken_source in UNDATED_SOURCES

    def get_taken_at(self, obj: Photo) -> str | None:
        taken = obj.taken_at
        return None if taken is None else taken.isoformat()


class PhotoTagBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="the tag's id (filter with ?tag=ID)")
    type = serializers.CharField()
    name = serializers.CharField()
    confidence = serializers.FloatField()
    verdict = serializers.ChoiceField(choices=PhotoTag.Verdict.choices)
    source = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.source


class PersonBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PhotoSerializer(PhotoListSerializer):
    camera = serializers.SerializerMethodField()
    lens = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    camera_id = serializers.IntegerField(read_only=True, allow_null=True)
    lens_id = serializers.IntegerField(read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    people = serializers.SerializerMethodField()
    archived = serializers.BooleanField(
        source="hidden", read_only=True, help_text="off the timeline (hidden is its old name)"
    )

    class Meta:
        model = Photo
        fields = (
            "id",
            "library",
            "taken_at",
            "taken_source",
            "camera",
            "lens",
            "aperture",
            "exposure_time",
            "iso",
            "focal_length",
            "focal_length_35mm",
            "flash_fired",
            "metering_mode",
            "drive_mode",
            "exposure_program",
            "latitude",
            "longitude",
            "altitude",
            "width",
            "height",
            "orientation",
            "rating",
            "title",
            "description",
            "artist",
            "keywords",
            "preferred_file",
            "placeholder",
            "thumbnail_version",
            "failed",
            "failure",
            "files",
            "camera_id",
            "lens_id",
            "user_rotation",
            "hidden",
            "archived",
            "favourite",
            "trashed_at",
            "tags",
            "people",
            "undated",
            "edited",
            "sidecar_error",
        )
        read_only_fields = fields
        extra_kwargs = {
            "edited": {"help_text": "the facts a person set: reading the files again keeps them"},
            "sidecar_error": {
                "help_text": "why the last edit could not be written to the sidecar (kept here)"
            },
        }

    def get_camera(self, obj: Photo) -> str | None:
        return None if obj.camera is None else str(obj.camera)

    def get_lens(self, obj: Photo) -> str | None:
        return None if obj.lens is None else obj.lens.name

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, obj: Photo) -> list[dict[str, Any]]:
        files = obj.files.exclude(state=PhotoFile.State.MISSING).select_related("photo")
        return list(FileSerializer(files.order_by("pk"), many=True).data)

    @extend_schema_field(PhotoTagBriefSerializer(many=True))
    def get_tags(self, obj: Photo) -> list[dict[str, Any]]:
        """The photo's tags (not the rejected ones), by type, most confident first."""
        rows = (
            PhotoTag.objects.filter(photo=obj, verdict__in=SHOWN_VERDICTS)
            .order_by("tag__type", "-confidence", "tag__name", "pk")
            .values_list("tag_id", "tag__type", "tag__name", "confidence", "verdict", "source")
        )
        tags: dict[int, dict[str, Any]] = {}
        for tag_id, tag_type, name, confidence, verdict, source in rows:
            tags.setdefault(  # one row per tag: several classifiers may have found it
                tag_id,
                {
                    "id": tag_id,
                    "type": tag_type,
                    "name": name,
                    "confidence": confidence,
                    "verdict": verdict,
                    "source": source,
                },
            )
        return list(tags.values())

    @extend_schema_field(PersonBriefSerializer(many=True))
    def get_people(self, obj: Photo) -> list[dict[str, Any]]:
        return people.on_photo(obj.pk)


class FileMetadataSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    path = serializers.CharField()
    metadata = serializers.DictField()


class PhotoListView(generics.ListAPIView[Photo]):
    """Photos of the user's libraries, newest first (``?library=ID`` for one library)."""

    serializer_class = PhotoListSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Photo]:
        # Photos in the trash are listed by the trash alone (``/api/timeline?trashed=true``).
        photos = selectors.photos_for(request_user(self.request)).filter(trashed_at__isnull=True)
        library = query_id(self.request, "library", "must be a library id")
        if library is not None:
            photos = photos.filter(library_id=library)
        return photos

    @extend_schema(
        operation_id="photos_list",
        parameters=[OpenApiParameter("library", ID_SCHEMA, description="only this library")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class TakenAtField(serializers.Field):  # type: ignore[type-arg]
    """A date and time as ISO 8601, with its zone (``2021-06-05T14:30:00+02:00``) or without
    (``2021-06-05T14:30:00``: the zone is unknown). Kept as given, never converted."""

    default_error_messages = {
        "invalid": "an ISO 8601 date and time, e.g. 2021-06-05T14:30:00+02:00"
    }

    def to_internal_value(self, data: Any) -> dt.datetime:
        if not isinstance(data, str) or len(data) > 40:
            self.fail("invalid")
        try:
            return dt.datetime.fromisoformat(data)
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value: dt.datetime) -> str:
        return value.isoformat()


class LocationSerializer(serializers.Serializer[Any]):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    altitude = serializers.FloatField(
        min_value=-500, max_value=10_000, required=False, allow_null=True, help_text="metres"
    )


class FactsSerializer(serializers.Serializer[Any]):
    """The facts a person corrects; every one is optional, and kept when files are read again."""

    taken_at = extend_schema_field({"type": "string", "format": "date-time"})(TakenAtField)(
        required=False,
        help_text="when the photo was taken, ISO 8601; with an offset the zone is set too",
    )
    taken_shift = serializers.IntegerField(
        min_value=-edits.MAX_SHIFT_MINUTES,
        max_value=edits.MAX_SHIFT_MINUTES,
        required=False,
        help_text="minutes added to the date taken (after taken_at), the zone unchanged",
    )
    taken_offset = serializers.IntegerField(
        min_value=-14 * 60,
        max_value=14 * 60,
        required=False,
        allow_null=True,
        help_text="the zone, in minutes east of UTC (null: unknown); the clock time stays",
    )
    location = LocationSerializer(
        required=False, allow_null=True, help_text="where it was taken (null: nowhere known)"
    )
    location_from = IdField(
        required=False, help_text="copy the place of this photo (one the user can see)"
    )
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "location" in attrs and "location_from" in attrs:
            raise ValidationError({"location_from": ["give location or location_from, not both"]})
        return attrs


def _fact_changes(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """The service's changes from a validated :class:`FactsSerializer`'s data."""
    changes = {k: v for k, v in data.items() if k != "location_from"}
    if "location" in data:
        place = data["location"]
        changes["location"] = (
            None
            if place is None
            else (place["latitude"], place["longitude"], place.get("altitude"))
        )
    if "location_from" in data:
        source = selectors.photos_for(user).filter(pk=data["location_from"]).first()
        if source is None:
            raise ValidationError({"location_from": ["no such photo"]})
        if source.latitude is None or source.longitude is None:
            raise ValidationError({"location_from": ["that photo has no place"]})
        changes["location"] = (source.latitude, source.longitude, source.altitude)
    return changes


class PhotoPatchSerializer(FactsSerializer):
    rating = serializers.IntegerField(min_value=0, max_value=5, allow_null=True, required=False)
    archived = serializers.BooleanField(
        required=False, help_text="off the timeline, still found by search and in albums"
    )
    hidden = serializers.BooleanField(required=False, help_text="the old name of archived")
    favourite = serializers.BooleanField(required=False)
    rotation = serializers.ChoiceField(
        choices=edits.ROTATIONS,
        required=False,
        help_text="degrees clockwise, on top of the camera's orientation",
    )
    turn = serializers.ChoiceField(
        choices=edits.TURNS,
        required=False,
        help_text="degrees clockwise added to the rotation the photo has when this arrives: "
        "quick turns in a row all count (rotation, if given too, is overridden)",
    )


def _editable(user: User, photo: Photo) -> None:
    """403 unless the user may edit ``photo``: editors and owners of its library. An
    administrator's role in it counts like anyone's (docs/accounts.md)."""
    forbid_unless(
        photo.library_id in edits.editable_library_ids(user),
        "Your role in this library does not allow changing its photos.",
    )


def _photo_detail(user: User, photo_id: int) -> Photo:
    return get_object_or_404(selectors.photos_for(user), pk=photo_id)


class PhotoDetailView(APIView):
    @extend_schema(operation_id="photos_retrieve", responses=PhotoSerializer)
    def get(self, request: Request, photo_id: int) -> Response:
        photo = _photo_detail(request_user(request), photo_id)
        return Response(PhotoSerializer(photo).data)

    @extend_schema(
        operation_id="photos_update",
        request=PhotoPatchSerializer,
        responses={200: PhotoSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def patch(self, request: Request, photo_id: int) -> Response:
        """Rate, archive, favourite or rotate a photo, or correct its date, time zone, place,
        title or description (editors and owners of its library)."""
        user = request_user(request)
        photo = _photo_detail(user, photo_id)
        _editable(user, photo)
        payload = PhotoPatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        changes = _fact_changes(user, payload.validated_data)
        if "archived" in changes:
            changes["hidden"] = changes.pop("archived")
        one = Photo.objects.filter(pk=photo.pk)
        if "favourite" in changes:
            curation.photos_favourite(one, changes.pop("favourite"))
        edits.photo_update(photo, changes)
        return Response(PhotoSerializer(_photo_detail(user, photo_id)).data)


class PreferredSerializer(serializers.Serializer[Any]):
    file_id = IdField()


class PhotoPreferredView(APIView):
    """Choose the version (file) of a photo its facts and thumbnails come from."""

    @extend_schema(
        operation_id="photos_preferred",
        request=PreferredSerializer,
        responses={200: PhotoSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def post(self, request: Request, photo_id: int) -> Response:
        user = request_user(request)
        photo = _photo_detail(user, photo_id)
        _editable(user, photo)
        payload = PreferredSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        file = PhotoFile.objects.filter(
            photo=photo, pk=payload.validated_data["file_id"], state=PhotoFile.State.OK
        ).first()
        if file is None:
            raise ValidationError({"file_id": ["not a recorded version of this photo"]})
        edits.photo_prefer_file(photo, file)
        return Response(PhotoSerializer(_photo_detail(user, photo_id)).data)


class BulkSerializer(FactsSerializer):
    ids = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=edits.BULK_LIMIT,
    )
    action = serializers.ChoiceField(
        choices=(
            "rate",
            "favourite",
            "unfavourite",
            "archive",
            "unarchive",
            "hide",
            "unhide",
            "trash",
            "tag",
            "untag",
            "edit",
        ),
        help_text="hide and unhide are the old names of archive and unarchive; trash moves the "
        "photos to the trash (restore them with /api/trash/restore); edit: set the facts given "
        "(taken_at, taken_shift, taken_offset, location, location_from, title, description) on "
        "every photo",
    )
    rating = serializers.IntegerField(min_value=0, max_value=5, allow_null=True, required=False)
    tag = serializers.CharField(max_length=200, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        facts = set(FactsSerializer().fields) & set(attrs)
        if attrs["action"] == "edit" and not facts:
            raise ValidationError({"action": ["edit needs at least one fact to set"]})
        if attrs["action"] == "rate" and "rating" not in attrs:
            raise ValidationError({"rating": ["required to rate"]})
        if attrs["action"] in ("tag", "untag") and not attrs.get("tag", "").strip():
            raise ValidationError({"tag": ["required to tag or untag"]})
        return attrs


class BulkResultSerializer(serializers.Serializer[Any]):
    updated = serializers.IntegerField()


class PhotoBulkView(APIView):
    """One action on many photos (up to 1,000). Ids the user cannot see are skipped."""

    @extend_schema(
        operation_id="photos_bulk",
        request=BulkSerializer,
        responses={200: BulkResultSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        payload = BulkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        photos = visibility.visible_photos(user).filter(pk__in=data["ids"])
        libraries = set(photos.values_list("library_id", flat=True).distinct())
        if not libraries <= edits.editable_library_ids(user):
            return Response(
                {"detail": "Your role in this library does not allow changing its photos."},
                status=status.HTTP_403_FORBIDDEN,
            )
        options = {k: data[k] for k in ("rating", "tag") if k in data}
        if data["action"] == "edit":
            facts = {k: v for k, v in data.items() if k in FactsSerializer().fields}
            options = _fact_changes(user, facts)
        targets = Photo.objects.filter(pk__in=list(photos.values_list("pk", flat=True)))
        action = data["action"]
        if action in CURATE_ACTIONS:
            updated = CURATE_ACTIONS[action](targets)
        else:
            updated = edits.photos_bulk(targets, action, **options)
        return Response({"updated": updated})


CURATE_ACTIONS: dict[str, Callable[[QuerySet[Photo]], int]] = {
    "favourite": lambda photos: curation.photos_favourite(photos, True),
    "unfavourite": lambda photos: curation.photos_favourite(photos, False),
    "archive": lambda photos: curation.photos_archive(photos, True),
    "unarchive": lambda photos: curation.photos_archive(photos, False),
    "hide": lambda photos: curation.photos_archive(photos, True),
    "unhide": lambda photos: curation.photos_archive(photos, False),
    "trash": curation.photos_trash,
}


class TrashIdsSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=edits.BULK_LIMIT)


class TrashEmptySerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=edits.BULK_LIMIT,
        required=False,
        help_text="only these photos of the trash; not given: all of it (in the libraries "
        "where the caller may change photos)",
    )


class TrashStatusSerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(
        help_text="a photo stays this many days in the trash, then is deleted for good"
    )
    count = serializers.IntegerField(help_text="photos in the caller's trash")


class RestoreMissingSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    path = serializers.CharField()


class RestoreResultSerializer(serializers.Serializer[Any]):
    restored = serializers.ListField(child=serializers.IntegerField())
    missing = RestoreMissingSerializer(
        many=True,
        help_text="photos left in the trash: their original file is gone from disk",
    )


class EmptyResultSerializer(serializers.Serializer[Any]):
    deleted = serializers.IntegerField(help_text="photos deleted for good")
    originals_deleted = serializers.IntegerField(help_text="original files deleted from disk")
    excluded = serializers.IntegerField(
        help_text="original files kept on disk, left out of future scans"
    )
    errors = serializers.ListField(  # type: ignore[assignment]  # a field, not .errors
        child=serializers.CharField(), help_text="originals that could not be deleted, and why"
    )


def _trash_targets(user: User, ids: list[int] | None) -> QuerySet[Photo]:
    """The photos of the user's trash named by ``ids`` (all of it when None) that they may
    change. 403 when ``ids`` names a photo they see but may not change; ids they cannot see
    are skipped."""
    editable = edits.editable_library_ids(user)
    if ids is None:
        return visibility.visible_photos(user, trashed=True).filter(library_id__in=editable)
    seen = Photo.objects.filter(
        Q(pk__in=ids) & (visibility.visible_q(user) | visibility.visible_q(user, trashed=True))
    )
    forbid_unless(
        set(seen.values_list("library_id", flat=True).distinct()) <= editable,
        "Your role in this library does not allow changing its photos.",
    )
    return visibility.visible_photos(user, trashed=True).filter(pk__in=ids)


class TrashView(APIView):
    """The trash: how long photos stay in it, and how many are in it."""

    @extend_schema(operation_id="trash_status", responses=TrashStatusSerializer)
    def get(self, request: Request) -> Response:
        count = visibility.visible_photos(request_user(request), trashed=True).count()
        return Response({"days": settings.PHOTONIX_TRASH_DAYS, "count": count})


class TrashRestoreView(APIView):
    """Take photos out of the trash, back where they were. A photo whose original is gone
    from disk stays in the trash and is listed in ``missing``."""

    @extend_schema(
        operation_id="trash_restore",
        request=TrashIdsSerializer,
        responses={200: RestoreResultSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        payload = TrashIdsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        photos = _trash_targets(request_user(request), payload.validated_data["ids"])
        outcome = curation.photos_restore(photos)
        return Response(asdict(outcome))


class TrashEmptyView(APIView):
    """Delete photos of the trash for good: every photo in it, or those named. Their
    originals go too when they came in through upload, or when the library's owner allowed
    deleting originals; otherwise they stay on disk and future scans leave them out."""

    @extend_schema(
        operation_id="trash_empty",
        request=TrashEmptySerializer,
        responses={200: EmptyResultSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        payload = TrashEmptySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        photos = _trash_targets(request_user(request), payload.validated_data.get("ids"))
        return Response(asdict(curation.trash_empty(photos)))


class TimelineItemSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    taken_at = serializers.CharField(
        allow_null=True, help_text="ISO 8601, with the offset when the camera recorded one"
    )
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    placeholder = serializers.CharField()
    thumbnail_version = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True)
    hidden = serializers.BooleanField(help_text="the old name of archived")
    archived = serializers.BooleanField(help_text="off the timeline, still found and in albums")
    favourite = serializers.BooleanField()
    trashed_at = serializers.DateTimeField(
        allow_null=True, help_text="in the trash since then (null: not in the trash)"
    )
    failed = serializers.BooleanField(
        help_text="its image could not be made: shown as failed, never an album's cover"
    )
    failure = serializers.CharField(allow_null=True, help_text="why, in words (null unless failed)")
    undated = serializers.BooleanField(help_text="its date is only its file's time")
    caption = serializers.CharField(
        help_text="what it shows, for its alt text: top tags, named people, place "
        '("Beach and sunset with Anna in Lisbon, Portugal"); "" when nothing is known'
    )
    stack_count = serializers.IntegerField(
        help_text="a stack's cover: how many photos the stack holds (GET /api/stacks/{id}); "
        "0 for a photo that is no stack's cover"
    )


class TimelinePageSerializer(serializers.Serializer[Any]):
    results = TimelineItemSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class MonthSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text="YYYY-MM")
    count = serializers.IntegerField()


class FacetTagSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    count = serializers.IntegerField()


class FacetItemSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    count = serializers.IntegerField()


def _span_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, allow_null=True
    )


class FacetRangesSerializer(serializers.Serializer[Any]):
    aperture = _span_field()
    exposure_time = _span_field()
    iso = _span_field()
    focal_length = _span_field()


class FacetFlashSerializer(serializers.Serializer[Any]):
    fired = serializers.IntegerField()
    not_fired = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer[Any]):
    tags = serializers.DictField(
        child=FacetTagSerializer(many=True), help_text="by tag type (object, place, colour, …)"
    )
    people = FacetItemSerializer(many=True)
    cameras = FacetItemSerializer(many=True)
    lenses = FacetItemSerializer(many=True)
    ranges = FacetRangesSerializer()
    flash = FacetFlashSerializer()
    ratings = serializers.DictField(
        child=serializers.IntegerField(), help_text='"0" (unrated) to "5"'
    )
    dates = serializers.ListField(
        child=serializers.DateField(), min_length=2, max_length=2, allow_null=True
    )
    total = serializers.IntegerField()


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}}]}
)
class IdsField(serializers.JSONField):
    """One id, or (in a "words" suggestion) a list of them."""


class SuggestionParamsSerializer(serializers.Serializer[Any]):
    tag = IdsField(required=False)
    place = serializers.IntegerField(required=False)
    person = IdsField(required=False)
    camera = IdsField(required=False)
    lens = IdsField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class SuggestionSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=("tag", "place", "person", "camera", "lens", "month", "year", "words"),
        help_text='"words": every word of the text as its own filter, together',
    )
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    params = SuggestionParamsSerializer(help_text="the filters to add to the URL")


class SearchMatchSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="the word (or whole name) of the name that matched")
    field = serializers.ChoiceField(
        choices=[c.value for c in SearchTerm.Field],
        help_text="what kind of name: tag, place, person, camera, lens, album or file",
    )
    relation = serializers.ChoiceField(
        choices=list(search.LEVELS),
        help_text="how it matched the word: the word itself, a prefix of it, a WordNet synonym, "
        "narrower, broader or related word, or a typo",
    )


class SearchWordSerializer(serializers.Serializer[Any]):
    word = serializers.CharField(help_text="a word of the query, folded (lower case, no accents)")
    matches = SearchMatchSerializer(many=True, help_text="strongest first (at most 20)")


class SearchResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    match = serializers.ChoiceField(
        choices=list(search.TIERS),
        help_text="the rank: the weakest of its words' best matches ('related' also stands "
        "for broader and narrower words)",
    )


class SearchSerializer(serializers.Serializer[Any]):
    words = SearchWordSerializer(many=True)
    results = SearchResultSerializer(many=True)


class MapPointSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    thumbnail_version = serializers.IntegerField()
    taken_at = serializers.CharField(
        allow_null=True,
        required=False,
        help_text="ISO 8601, with the offset when the camera recorded one (for the marker's title)",
    )


class MapSerializer(serializers.Serializer[Any]):
    points = MapPointSerializer(many=True)
    truncated = serializers.BooleanField(help_text="more photos have a location than are sent")


def _filtered(request: Request, *, whole: bool = False) -> QuerySet[Photo]:
    """The filtered photos (``whole``: for a query that reads all of them, see ``filter_q``)."""
    chosen = filters.parse_filters(request.query_params)
    return filters.filtered_photos(request_user(request), chosen, whole=whole)


class TimelineView(APIView):
    """A page of the user's photos, newest first, filtered; follow ``next_cursor`` for more."""

    @extend_schema(
        operation_id="timeline",
        parameters=[
            filters.PhotoFilterSerializer,
            OpenApiParameter("cursor", str, description="next_cursor of the previous page"),
            OpenApiParameter("limit", int, description=f"1 to {timeline.MAX_LIMIT} (default 200)"),
        ],
        responses={200: TimelinePageSerializer, 400: FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        limit_text = request.query_params.get("limit", str(timeline.DEFAULT_LIMIT))
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= timeline.MAX_LIMIT:
            raise ValidationError({"limit": [f"a number from 1 to {timeline.MAX_LIMIT}"]})
        photos = _filtered(request)
        results, next_cursor = timeline.timeline_page(
            photos, request.query_params.get("cursor"), int(limit_text)
        )
        return Response({"results": results, "next_cursor": next_cursor})


class TimelineMonthsView(APIView):
    """How many photos each month has, newest first: the date scrubber's index."""

    @extend_schema(
        operation_id="timeline_months",
        parameters=[filters.PhotoFilterSerializer],
        responses={200: MonthSerializer(many=True), 400: FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(timeline.month_index(_filtered(request, whole=True)))


class TimelineFacetsView(APIView):
    """The filter panel's options with counts.

    Tags and people count the current results. Cameras, lenses, places, colours, ratings,
    flash, the ranges and the dates count the results of all the other filters, so that
    another camera or lens can be added and another place, colour or rating picked instead.
    """

    @extend_schema(
        operation_id="timeline_facets",
        parameters=[filters.PhotoFilterSerializer],
        responses={200: FacetsSerializer, 400: FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        chosen = filters.parse_filters(request.query_params)
        return Response(timeline.facets(request_user(request), chosen))


class SearchSuggestView(APIView):
    """What the typed text could mean (tags, places, people, cameras, lenses, months, years).

    When the whole text names nothing, its words each become a filter, all together (one
    suggestion of kind "words": "cat paris july 2019").
    """

    @extend_schema(
        operation_id="search_suggest",
        parameters=[OpenApiParameter("q", str, description="the text typed so far")],
        responses=SuggestionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(search.suggest(request_user(request), request.query_params.get("q", "")))


class SearchView(APIView):
    """What free text matched, word by word, and the photos it finds, best matches first.

    Photos are ranked by how each word matched them — the word itself, a prefix, a synonym,
    a broader, narrower or related word, a typo — and newest first within a rank.
    """

    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter("q", str, description="free text, as the timeline's q"),
            OpenApiParameter("limit", int, description="1 to 500 (default 100)"),
        ],
        responses={200: SearchSerializer, 400: FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        limit_text = request.query_params.get("limit", "100")
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= SEARCH_LIMIT:
            raise ValidationError({"limit": [f"a number from 1 to {SEARCH_LIMIT}"]})
        text = request.query_params.get("q", "")
        return Response(search.explain(request_user(request), text, int(limit_text)))


class MapView(APIView):
    """Where the filtered photos were taken (up to 50,000, newest first)."""

    @extend_schema(
        operation_id="map_points",
        parameters=[filters.PhotoFilterSerializer],
        responses={200: MapSerializer, 400: FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(timeline.map_points(_filtered(request, whole=True), timeline.MAP_LIMIT))


class FileMetadataView(APIView):
    """Every metadata field exiftool read from one file."""

    @extend_schema(operation_id="files_metadata", responses=FileMetadataSerializer)
    def get(self, request: Request, file_id: int) -> Response:
        libraries = selectors.libraries_for(request_user(request)).values("pk")
        file = get_object_or_404(PhotoFile.objects.filter(library__in=libraries), pk=file_id)
        return Response({"id": file.pk, "path": file.path, "metadata": file.metadata})
