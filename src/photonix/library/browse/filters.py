"""The photo filters shared by the timeline, its month index, its facets and the map.

``?tag=3&tag=9&camera=1&camera=2&date_from=2019-07-01`` means: tagged 3 (or a descendant of 3)
AND tagged 9, taken with camera 1 OR 2, on or after 1 July 2019 (local date); ``bbox=w,s,e,n``
adds: taken inside that area of the map. Every filter is one
SQL condition, so a list stays one query whatever is asked. Ids of things the user cannot see
match nothing: the photos are scoped to the user's libraries before any filter applies.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.http import QueryDict
from rest_framework import serializers

from photonix.core.http import MAX_ID, IdField
from photonix.core.models import User
from photonix.library.browse import people, search
from photonix.library.browse.search import LIST_PARAMS
from photonix.library.browse.visibility import NOTHING, visible_q
from photonix.library.models import Photo
from photonix.media.metadata import UNDATED_SOURCES

RANGES = (
    ("aperture", "aperture_min", "aperture_max"),
    ("exposure_time", "exposure_min", "exposure_max"),
    ("iso", "iso_min", "iso_max"),
    ("focal_length", "focal_min", "focal_max"),
)
# Filters whose facet is counted as if they were not set (see ``timeline.facets``): the options
# of an OR list, and of a single choice that picking another option replaces.
OWN_FACET_PARAMS: dict[str, tuple[str, ...]] = {
    "camera": ("camera",),
    "lens": ("lens",),
    "place": ("place",),
    "colour": ("colour",),
    "rating": ("rating_min",),
    "flash": ("flash",),
    **{name: (low, high) for name, low, high in RANGES},
    "dates": ("date_from", "date_to"),
}


# The latest ``date_to``: the day after it must still be a date (``dt.date.max`` has none).
LAST_DATE = dt.date.max - dt.timedelta(days=1)


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=IdField(),
        required=False,
        max_length=50,
        help_text=help_text,
    )


class PhotoFilterSerializer(serializers.Serializer[Any]):
    """Query parameters every photo list understands. Repeat a list parameter for several ids."""

    library = IdField(required=False, help_text="only this library")
    tag = _ids("tag id, or a tag under it; repeated: every one of them (AND)")
    person = _ids("person id; repeated: every one of them (AND)")
    camera = _ids("camera id; repeated: any of them (OR)")
    lens = _ids("lens id; repeated: any of them (OR)")
    place = IdField(required=False, help_text="place tag id, or a place inside it")
    colour = IdField(required=False, help_text="colour tag id")
    rating_min = serializers.IntegerField(min_value=0, max_value=5, required=False)
    flash = serializers.BooleanField(required=False, help_text="the flash fired (or not)")
    aperture_min = serializers.FloatField(min_value=0, required=False)
    aperture_max = serializers.FloatField(min_value=0, required=False)
    exposure_min = serializers.FloatField(min_value=0, required=False, help_text="seconds")
    exposure_max = serializers.FloatField(min_value=0, required=False, help_text="seconds")
    iso_min = serializers.IntegerField(min_value=0, max_value=MAX_ID, required=False)
    iso_max = serializers.IntegerField(min_value=0, max_value=MAX_ID, required=False)
    focal_min = serializers.FloatField(min_value=0, required=False, help_text="millimetres")
    focal_max = serializers.FloatField(min_value=0, required=False, help_text="millimetres")
    date_from = serializers.DateField(
        input_formats=["%Y-%m-%d"], required=False, help_text="local date taken, inclusive"
    )
    date_to = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        required=False,
        help_text=f"local date taken, inclusive (up to {LAST_DATE.isoformat()})",
    )
    has_gps = serializers.BooleanField(required=False, help_text="with (or without) a location")
    undated = serializers.BooleanField(
        required=False,
        help_text="true: only photos whose date is only their file's time; false: none of them",
    )
    bbox = serializers.CharField(
        required=False,
        max_length=200,
        help_text="taken inside this area: west,south,east,north in degrees (WGS 84); a west "
        "greater than east crosses the antimeridian (170,-50,-170,-30)",
    )
    archived = serializers.BooleanField(
        required=False,
        help_text="true: only archived photos; false: none of them; not given: none of them on "
        "the plain timeline, but a search (q), the favourites and the trash include them",
    )
    hidden = serializers.BooleanField(
        required=False, help_text="the old name of archived (the same filter)"
    )
    favourite = serializers.BooleanField(required=False, help_text="only favourites (or not)")
    trashed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: the photos in the trash (and only them); false: the others",
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="free text: tag, place, person, camera, lens, month and year names",
    )

    def validate_date_to(self, value: dt.date) -> dt.date:
        if value > LAST_DATE:
            raise serializers.ValidationError(f"must be {LAST_DATE.isoformat()} or earlier")
        return value

    def validate_bbox(self, value: str) -> BBox:
        return parse_bbox(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        if "hidden" in attrs:
            if attrs.setdefault("archived", attrs["hidden"]) != attrs["hidden"]:
                errors["hidden"] = ["hidden is the old name of archived: give one, or the same"]
            del attrs["hidden"]
        pairs = [(low, high) for _, low, high in RANGES] + [("date_from", "date_to")]
        for low, high in pairs:
            if low in attrs and high in attrs and attrs[low] > attrs[high]:
                errors[high] = [f"must not be less than {low}"]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class BBox(NamedTuple):
    """An area on the map, in degrees; ``west > east`` when it crosses the antimeridian."""

    west: float
    south: float
    east: float
    north: float


def parse_bbox(value: str) -> BBox:
    """``west,south,east,north`` as a :class:`BBox`; anything else is a validation error."""
    parts = value.split(",")
    if len(parts) != 4:
        raise serializers.ValidationError("four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise serializers.ValidationError("four numbers: west,south,east,north") from None
    if not all(math.isfinite(n) for n in (west, south, east, north)):
        raise serializers.ValidationError("four numbers: west,south,east,north")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise serializers.ValidationError("west and east must be from -180 to 180")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise serializers.ValidationError("south and north must be from -90 to 90")
    if south > north:
        raise serializers.ValidationError("south must not be greater than north")
    return BBox(west, south, east, north)


def bbox_q(box: BBox) -> Q:
    """Photos taken inside ``box`` (edges included). Across the antimeridian (``west > east``)
    the area is the two sides of it: east of ``west`` or west of ``east``."""
    q = Q(latitude__gte=box.south, latitude__lte=box.north)
    if box.west <= box.east:
        return q & Q(longitude__gte=box.west, longitude__lte=box.east)
    return q & (Q(longitude__gte=box.west) | Q(longitude__lte=box.east))


def parse_filters(params: QueryDict) -> dict[str, Any]:
    """Validated filters from query parameters; a bad value raises a 400 with field errors."""
    data: dict[str, Any] = {}
    for key in params:
        data[key] = params.getlist(key) if key in LIST_PARAMS else params.get(key)
    payload = PhotoFilterSerializer(data=data)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


def _day_start(day: dt.date) -> dt.datetime:
    # ``taken_local`` is the wall-clock time stored as if it were UTC.
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def filter_q(
    filters: dict[str, Any],
    *,
    whole: bool = False,
    trees: dict[int, list[int]] | None = None,
    words: Q | None = None,
) -> Q:
    """The condition the validated ``filters`` stand for.

    ``whole``: for a query that reads the whole selection. Tags and people are then ``id IN``
    the photos that carry them, which lets the database start from those few photos; a page
    keeps EXISTS, so that walking the timeline index stops as soon as the page is full.
    ``trees``: the ids under each tag filter, read beforehand (``search.tag_trees``).
    ``words``: ``search.query_q`` of the free text ``q``, worked out beforehand.
    """
    # ``hidden IN (x)`` rather than ``NOT hidden``: the form an index on ``hidden`` can serve.
    # Archived photos stay out of the plain timeline; searching, the favourites and the trash
    # reach them too unless the filter says otherwise.
    if "archived" in filters:
        q = Q(hidden__in=[filters["archived"]])
    elif filters.get("q", "").strip() or filters.get("favourite") or filters.get("trashed"):
        q = Q()
    else:
        q = Q(hidden__in=[False])
    # A stack shows as its cover alone (``stacks``).
    q &= Q(stacked_under__isnull=True)
    if "favourite" in filters:
        q &= Q(favourite=filters["favourite"])
    if "library" in filters:
        q &= Q(library_id=filters["library"])
    tags = list(filters.get("tag", []))
    if "place" in filters:
        tags.append(filters["place"])
    for tag_id in tags:
        if whole and trees is not None and tag_id in trees:
            tree = trees[tag_id]
            q &= Q(pk__in=search.photos_with_tags(tree)) if tree else NOTHING
        elif whole:
            q &= Q(pk__in=search.photos_with_tag_tree(tag_id))
        else:
            q &= Q(search.has_tag_tree(tag_id))
    if "colour" in filters:
        colour = filters["colour"]
        q &= Q(pk__in=search.photos_with_tag(colour)) if whole else Q(search.has_tag(colour))
    for person_id in filters.get("person", []):
        if whole:
            shown = people.photos_with_person(person_id)
            q &= NOTHING if shown is None else Q(pk__in=shown)
        else:
            has = people.has_person(person_id)
            q &= NOTHING if has is None else Q(has)
    if filters.get("camera"):
        q &= Q(camera_id__in=filters["camera"])
    if filters.get("lens"):
        q &= Q(lens_id__in=filters["lens"])
    if filters.get("rating_min"):
        q &= Q(rating__gte=filters["rating_min"])
    if "flash" in filters:
        q &= Q(flash_fired=filters["flash"])
    for field_name, low, high in RANGES:
        if low in filters:
            q &= Q(**{f"{field_name}__gte": filters[low]})
        if high in filters:
            q &= Q(**{f"{field_name}__lte": filters[high]})
    if "date_from" in filters:
        q &= Q(taken_local__gte=_day_start(filters["date_from"]))
    if "date_to" in filters:
        q &= Q(taken_local__lt=_day_start(filters["date_to"] + dt.timedelta(days=1)))
    if "has_gps" in filters:
        with_gps = Q(latitude__isnull=False, longitude__isnull=False)
        q &= with_gps if filters["has_gps"] else ~with_gps
    if "undated" in filters:
        undated = Q(taken_source__in=UNDATED_SOURCES)
        q &= undated if filters["undated"] else ~undated
    if "bbox" in filters:
        q &= bbox_q(filters["bbox"])
    if filters.get("q", "").strip():
        q &= words if words is not None else search.query_q(filters["q"])
    return q


def selection_q(
    user: User,
    filters: dict[str, Any],
    *,
    whole: bool = False,
    trees: dict[int, list[int]] | None = None,
    words: Q | None = None,
) -> Q:
    """The user's photos that pass ``filters`` (``whole``, ``trees``, ``words``: ``filter_q``)."""
    trashed = bool(filters.get("trashed"))
    return visible_q(user, whole=whole, trashed=trashed) & filter_q(
        filters, whole=whole, trees=trees, words=words
    )


def filtered_photos(
    user: User,
    filters: dict[str, Any],
    *,
    whole: bool = False,
    trees: dict[int, list[int]] | None = None,
    words: Q | None = None,
) -> QuerySet[Photo]:
    """The photos of ``selection_q``, unordered."""
    return Photo.objects.filter(selection_q(user, filters, whole=whole, trees=trees, words=words))
