"""HTTP API of browsing and editing photos: photos, the timeline, facets, search, map."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
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
from photonix.library.browse import edits, filters, people, search, timeline, visibility
from photonix.library.browse.search import SHOWN_VERDICTS
from photonix.library.models import Photo, PhotoFile, SearchTerm
from photonix.library.serializers import FileSerializer, PhotoFailureSerializer

SEARCH_LIMIT = 500


class PhotoListSerializer(PhotoFailureSerializer):
    taken_at = serializers.SerializerMethodField()

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
        )
        read_only_fields = fields

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
            "tags",
            "people",
        )
        read_only_fields = fields

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
        photos = selectors.photos_for(request_user(self.request))
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


class PhotoPatchSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField(min_value=0, max_value=5, allow_null=True, required=False)
    hidden = serializers.BooleanField(required=False)
    rotation = serializers.ChoiceField(
        choices=edits.ROTATIONS,
        required=False,
        help_text="degrees clockwise, on top of the camera's orientation",
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
        """Rate, hide or rotate a photo (editors and owners of its library)."""
        user = request_user(request)
        photo = _photo_detail(user, photo_id)
        _editable(user, photo)
        payload = PhotoPatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        edits.photo_update(photo, payload.validated_data)
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


class BulkSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=edits.BULK_LIMIT,
    )
    action = serializers.ChoiceField(choices=("rate", "hide", "unhide", "tag", "untag"))
    rating = serializers.IntegerField(min_value=0, max_value=5, allow_null=True, required=False)
    tag = serializers.CharField(max_length=200, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
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
        targets = Photo.objects.filter(pk__in=list(photos.values_list("pk", flat=True)))
        updated = edits.photos_bulk(targets, data["action"], **options)
        return Response({"updated": updated})


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
    hidden = serializers.BooleanField()
    failed = serializers.BooleanField(
        help_text="its image could not be made: shown as failed, never an album's cover"
    )
    failure = serializers.CharField(allow_null=True, help_text="why, in words (null unless failed)")
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
