"""Read queries behind the timeline: pages by keyset, the month index, facets and map points.

Each takes the filtered queryset from :mod:`photonix.library.filters` and runs one query per list.
Pages are ordered newest first by ``(taken_local, id)``; the cursor is the last row's key, so a
page never scans what came before it (no OFFSET) and no photo is repeated or skipped when many
share a timestamp.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth

from photonix.classifiers.models import PhotoTag
from photonix.library import people
from photonix.library.models import Photo
from photonix.library.search import SHOWN_VERDICTS

DEFAULT_LIMIT = 200
MAX_LIMIT = 500
MAP_LIMIT = 50_000
TIMELINE_FIELDS = (
    "id",
    "taken_local",
    "taken_offset",
    "width",
    "height",
    "placeholder",
    "thumbnail_version",
    "rating",
    "hidden",
)


class CursorError(ValueError):
    pass


def taken_at_iso(taken_local: dt.datetime | None, offset: int | None) -> str | None:
    """ISO 8601 of the time taken: with its offset when the file recorded one, else naive."""
    if taken_local is None:
        return None
    naive = taken_local.replace(tzinfo=None)
    if offset is None:
        return naive.isoformat()
    return naive.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset))).isoformat()


def cursor_encode(taken_local: dt.datetime, photo_id: int) -> str:
    key = f"{taken_local.replace(tzinfo=None).isoformat()}|{photo_id}"
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        taken, _, photo_id = base64.urlsafe_b64decode(padded.encode()).decode().partition("|")
        return dt.datetime.fromisoformat(taken).replace(tzinfo=dt.UTC), int(photo_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise CursorError("not a cursor this server gave out") from exc


def timeline_page(
    photos: QuerySet[Photo], cursor: str | None, limit: int = DEFAULT_LIMIT
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of the timeline after ``cursor``, and the cursor of the next page (or None)."""
    if cursor:
        taken, photo_id = cursor_decode(cursor)
        # The redundant ``<=`` gives the database a range to start the index scan at.
        photos = photos.filter(taken_local__lte=taken).filter(
            Q(taken_local__lt=taken) | Q(taken_local=taken, id__lt=photo_id)
        )
    rows = list(photos.order_by("-taken_local", "-id").values_list(*TIMELINE_FIELDS)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    results = [
        {
            "id": pk,
            "taken_at": taken_at_iso(taken_local, offset),
            "width": width,
            "height": height,
            "placeholder": placeholder,
            "thumbnail_version": version,
            "rating": rating,
            "hidden": hidden,
        }
        for pk, taken_local, offset, width, height, placeholder, version, rating, hidden in rows
    ]
    next_cursor = cursor_encode(rows[-1][1], rows[-1][0]) if more and rows else None
    return results, next_cursor


def month_index(photos: QuerySet[Photo]) -> list[dict[str, Any]]:
    """``[{"month": "2024-05", "count": 123}, …]``, newest first: the scrubber's index."""
    if connection.vendor == "sqlite":
        # SQLite keeps datetimes as ISO text: its first seven characters are the month, with no
        # per-row Python function call (which TruncMonth is on SQLite).
        month = Substr(F("taken_local"), 1, 7)
        texts = photos.order_by().values(month=month).annotate(count=Count("id")).order_by("-month")
        return [{"month": r["month"], "count": r["count"]} for r in texts]
    rows = (
        photos.order_by()
        .values(month=TruncMonth("taken_local", tzinfo=dt.UTC))
        .annotate(count=Count("id"))
        .order_by("-month")
    )
    return [{"month": r["month"].strftime("%Y-%m"), "count": r["count"]} for r in rows]


def _span(low: Any, high: Any) -> list[Any] | None:
    return None if low is None else [low, high]


def facets(photos: QuerySet[Photo]) -> dict[str, Any]:
    """What the current results contain, with counts: every option narrows to them."""
    stats = photos.order_by().aggregate(
        total=Count("id"),
        aperture_min=Min("aperture"),
        aperture_max=Max("aperture"),
        exposure_min=Min("exposure_time"),
        exposure_max=Max("exposure_time"),
        iso_min=Min("iso"),
        iso_max=Max("iso"),
        focal_min=Min("focal_length"),
        focal_max=Max("focal_length"),
        fired=Count("id", filter=Q(flash_fired=True)),
        not_fired=Count("id", filter=Q(flash_fired=False)),
        first=Min("taken_local"),
        last=Max("taken_local"),
        rated_0=Count("id", filter=Q(rating__isnull=True) | Q(rating__lte=0)),
        rated_1=Count("id", filter=Q(rating=1)),
        rated_2=Count("id", filter=Q(rating=2)),
        rated_3=Count("id", filter=Q(rating=3)),
        rated_4=Count("id", filter=Q(rating=4)),
        rated_5=Count("id", filter=Q(rating__gte=5)),
    )
    ids = photos.order_by().values("pk")
    tags: dict[str, list[dict[str, Any]]] = {}
    tag_rows = (
        PhotoTag.objects.filter(photo_id__in=ids, verdict__in=SHOWN_VERDICTS)
        .values("tag_id", "tag__type", "tag__name", "tag__parent_id")
        .annotate(count=Count("photo_id", distinct=True))
        .order_by("-count", "tag__name")
    )
    for row in tag_rows:
        tags.setdefault(row["tag__type"], []).append(
            {
                "id": row["tag_id"],
                "name": row["tag__name"],
                "parent": row["tag__parent_id"],
                "count": row["count"],
            }
        )
    cameras = (
        photos.order_by()
        .filter(camera__isnull=False)
        .values("camera_id", "camera__make", "camera__model")
        .annotate(count=Count("id"))
        .order_by("-count", "camera__make", "camera__model")
    )
    lenses = (
        photos.order_by()
        .filter(lens__isnull=False)
        .values("lens_id", "lens__name")
        .annotate(count=Count("id"))
        .order_by("-count", "lens__name")
    )
    first, last = stats["first"], stats["last"]
    return {
        "tags": tags,
        "people": people.facet(photos),
        "cameras": [
            {
                "id": r["camera_id"],
                "name": f"{r['camera__make']} {r['camera__model']}".strip(),
                "count": r["count"],
            }
            for r in cameras
        ],
        "lenses": [
            {"id": r["lens_id"], "name": r["lens__name"], "count": r["count"]} for r in lenses
        ],
        "ranges": {
            "aperture": _span(stats["aperture_min"], stats["aperture_max"]),
            "exposure_time": _span(stats["exposure_min"], stats["exposure_max"]),
            "iso": _span(stats["iso_min"], stats["iso_max"]),
            "focal_length": _span(stats["focal_min"], stats["focal_max"]),
        },
        "flash": {"fired": stats["fired"], "not_fired": stats["not_fired"]},
        "ratings": {str(n): stats[f"rated_{n}"] for n in range(6)},
        "dates": None if first is None else [first.date().isoformat(), last.date().isoformat()],
        "total": stats["total"],
    }


def map_points(photos: QuerySet[Photo], limit: int = MAP_LIMIT) -> dict[str, Any]:
    """Photos with a location (the newest ``limit`` of them) for the map."""
    rows = list(
        photos.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-taken_local", "-id")
        .values_list("id", "latitude", "longitude", "thumbnail_version")[: limit + 1]
    )
    return {
        "points": [
            {"id": pk, "lat": lat, "lon": lon, "thumbnail_version": version}
            for pk, lat, lon, version in rows[:limit]
        ],
        "truncated": len(rows) > limit,
    }
