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
import operator
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth

from photonix.classifiers.models import PhotoTag, Tag
from photonix.library import people
from photonix.library.models import Camera, Lens, Photo
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


# The photo columns the facets summarise, and the statistics: (key, SQL over the columns, how
# the rows of several (camera, lens) groups combine).
_PHOTO_COLUMNS = (
    "camera_id",
    "lens_id",
    "aperture",
    "exposure_time",
    "iso",
    "focal_length",
    "flash_fired",
    "rating",
    "taken_local",
)
_STATS: tuple[tuple[str, str, Any], ...] = (
    ("total", "COUNT(*)", operator.add),
    ("aperture_min", "MIN({aperture})", min),
    ("aperture_max", "MAX({aperture})", max),
    ("exposure_min", "MIN({exposure_time})", min),
    ("exposure_max", "MAX({exposure_time})", max),
    ("iso_min", "MIN({iso})", min),
    ("iso_max", "MAX({iso})", max),
    ("focal_min", "MIN({focal_length})", min),
    ("focal_max", "MAX({focal_length})", max),
    ("fired", "COUNT(CASE WHEN {flash_fired} THEN 1 END)", operator.add),
    ("not_fired", "COUNT(CASE WHEN NOT {flash_fired} THEN 1 END)", operator.add),
    ("first", "MIN({taken_local})", min),
    ("last", "MAX({taken_local})", max),
    ("rated_0", "COUNT(CASE WHEN {rating} IS NULL OR {rating} <= 0 THEN 1 END)", operator.add),
    ("rated_1", "COUNT(CASE WHEN {rating} = 1 THEN 1 END)", operator.add),
    ("rated_2", "COUNT(CASE WHEN {rating} = 2 THEN 1 END)", operator.add),
    ("rated_3", "COUNT(CASE WHEN {rating} = 3 THEN 1 END)", operator.add),
    ("rated_4", "COUNT(CASE WHEN {rating} = 4 THEN 1 END)", operator.add),
    ("rated_5", "COUNT(CASE WHEN {rating} >= 5 THEN 1 END)", operator.add),
)
# SQLite counts tags from the (tag, photo, verdict) index, not from the selected photos, when
# they are at least this share of all photos (see ``_facet_rows_sqlite``). Measured on 100,000
# photos: reading by tag is 25 % faster for all of them, as fast for half, slower below that.
TAG_DRIVEN_SHARE = 0.5

# Photos per tag (shown verdicts only, each photo once even when two classifiers put the tag on
# it), counted by tag id alone and only then joined to the few tags: ``{rows}`` are the phototag
# rows (aliased pt) to count, ``{where}`` any further condition on them.
_TAG_COUNTS = (
    "SELECT t.id, t.parent_id, t.type, t.name, c.n FROM ("  # noqa: S608 - values are bound
    "SELECT pt.tag_id, COUNT(DISTINCT pt.photo_id) AS n FROM {rows} "
    "WHERE pt.verdict IN ({verdicts}){where} GROUP BY pt.tag_id"
    f") c JOIN {Tag._meta.db_table} t ON t.id = c.tag_id"
)


def _stats_sql(source: str) -> str:
    """The statistics' aggregates over the photo columns of ``source`` (a FROM alias)."""
    column = {name: f"{source}.{connection.ops.quote_name(name)}" for name in _PHOTO_COLUMNS}
    return ", ".join(template.format(**column) for _, template, _ in _STATS)


def _tag_counts_sql(rows: str, where: str = "") -> str:
    verdicts = ", ".join(["%s"] * len(SHOWN_VERDICTS))
    return _TAG_COUNTS.format(rows=rows, verdicts=verdicts, where=where)


def _fetch(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


_FacetRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _facet_rows_postgresql(photos: QuerySet[Photo]) -> _FacetRows:
    """One statement: the selection is a CTE used twice, so PostgreSQL computes it once."""
    sql, params = photos.order_by().values("pk", *_PHOTO_COLUMNS).query.sql_with_params()
    q = connection.ops.quote_name
    camera, lens, pk = (f"sel.{q(name)}" for name in ("camera_id", "lens_id", "pk"))
    padding = ", ".join(["NULL"] * (len(_STATS) - 1))
    rows = _fetch(
        f"WITH sel AS ({sql}) "  # noqa: S608 - SQL of our own querysets; values are bound
        f"SELECT 0, {camera}, {lens}, NULL, NULL, {_stats_sql('sel')} FROM sel GROUP BY 2, 3 "
        f"UNION ALL SELECT 1, tags.*, {padding} FROM ("
        # A join, not IN: ``pk`` is unique in the selection, and PostgreSQL misjudges how many
        # distinct values a CTE has, which made it probe the index once per photo.
        + _tag_counts_sql(f"sel JOIN {PhotoTag._meta.db_table} pt ON pt.photo_id = {pk}")
        + ") tags ORDER BY 1, 6 DESC, 5",
        (*params, *SHOWN_VERDICTS),
    )
    return [r[1:3] + r[5:] for r in rows if r[0] == 0], [r[1:6] for r in rows if r[0] == 1]


def _facet_rows_sqlite(photos: QuerySet[Photo]) -> _FacetRows:
    """Two statements: SQLite spends as long writing the selection down as computing it again.

    The selection is asked for in id order, so that SQLite reads the photos table front to back
    instead of walking the timeline index and looking each row up, which takes twice as long
    when the selection is most of a library.
    """
    ordered = photos.order_by("pk")
    sql, params = ordered.values(*_PHOTO_COLUMNS).query.sql_with_params()
    q = connection.ops.quote_name
    camera, lens = (f"s.{q(name)}" for name in ("camera_id", "lens_id"))
    # Each row also carries the highest photo id, a free estimate of how many photos there are
    # (the end of the primary key), to compare the selection with.
    top = f"(SELECT MAX({q('id')}) FROM {q(Photo._meta.db_table)})"  # noqa: S608
    rows = _fetch(
        f"SELECT {camera}, {lens}, {_stats_sql('s')}, {top} "  # noqa: S608 - values are bound
        f"FROM ({sql}) s GROUP BY 1, 2",
        tuple(params),
    )
    selected = sum(row[2] for row in rows)
    # A large selection: read the (tag, photo, verdict) index in order, testing each row's photo
    # against the selection (the unary plus keeps SQLite from using an index on photo_id for
    # that), which needs no sort, not even for the distinct photos. A small one: start from its
    # photos, as SQLite would, and sort their few rows by tag.
    by_tag = bool(rows) and selected >= TAG_DRIVEN_SHARE * rows[0][-1]
    ids_sql, ids_params = ordered.values("pk").query.sql_with_params()
    photo = "+pt.photo_id" if by_tag else "pt.photo_id"
    tags = _fetch(
        _tag_counts_sql(f"{PhotoTag._meta.db_table} pt", f" AND {photo} IN ({ids_sql})")
        + " ORDER BY c.n DESC, t.name",
        (*SHOWN_VERDICTS, *ids_params),
    )
    return [row[:-1] for row in rows], tags


def _day(value: Any) -> str:
    if isinstance(value, str):  # SQLite keeps datetimes as ISO text
        value = dt.datetime.fromisoformat(value)
    return str(value.date().isoformat())


def _most_first(counts: dict[int, int], named: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """``named`` rows (id first, in the database's name order) by count, most first."""
    rows = list(named) if counts else []
    rows.sort(key=lambda row: -counts[row[0]])  # stable: ties stay in name order
    return rows


def facets(photos: QuerySet[Photo]) -> dict[str, Any]:
    """What the current results contain, with counts: every option narrows to them.

    The statistics, cameras and lenses come from one pass over the selection, grouped by
    (camera, lens): a few hundred rows that are added up here. On PostgreSQL the tag counts are
    part of the same statement.
    """
    if connection.vendor == "postgresql":
        stat_rows, tag_rows = _facet_rows_postgresql(photos)
    else:
        stat_rows, tag_rows = _facet_rows_sqlite(photos)
    stats: dict[str, Any] = {
        key: 0 if combine is operator.add else None for key, _, combine in _STATS
    }
    camera_counts: dict[int, int] = {}
    lens_counts: dict[int, int] = {}
    for camera_id, lens_id, *values in stat_rows:
        for (key, _, combine), value in zip(_STATS, values, strict=True):
            if value is not None:
                stats[key] = value if stats[key] is None else combine(stats[key], value)
        if camera_id is not None:
            camera_counts[camera_id] = camera_counts.get(camera_id, 0) + values[0]
        if lens_id is not None:
            lens_counts[lens_id] = lens_counts.get(lens_id, 0) + values[0]
    tags: dict[str, list[dict[str, Any]]] = {}
    for tag_id, parent_id, tag_type, name, count in tag_rows:
        tags.setdefault(tag_type, []).append(
            {"id": tag_id, "name": name, "parent": parent_id, "count": count}
        )
    cameras = _most_first(
        camera_counts,
        Camera.objects.filter(pk__in=camera_counts)
        .order_by("make", "model")
        .values_list("pk", "make", "model"),
    )
    lenses = _most_first(
        lens_counts,
        Lens.objects.filter(pk__in=lens_counts).order_by("name").values_list("pk", "name"),
    )
    first, last = stats["first"], stats["last"]
    return {
        "tags": tags,
        "people": people.facet(photos),
        "cameras": [
            {"id": pk, "name": f"{make} {model}".strip(), "count": camera_counts[pk]}
            for pk, make, model in cameras
        ],
        "lenses": [{"id": pk, "name": name, "count": lens_counts[pk]} for pk, name in lenses],
        "ranges": {
            "aperture": _span(stats["aperture_min"], stats["aperture_max"]),
            "exposure_time": _span(stats["exposure_min"], stats["exposure_max"]),
            "iso": _span(stats["iso_min"], stats["iso_max"]),
            "focal_length": _span(stats["focal_min"], stats["focal_max"]),
        },
        "flash": {"fired": stats["fired"], "not_fired": stats["not_fired"]},
        "ratings": {str(n): stats[f"rated_{n}"] for n in range(6)},
        "dates": None if first is None else [_day(first), _day(last)],
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
