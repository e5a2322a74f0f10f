"""Read queries behind the timeline: pages by keyset, the month index, facets and map points.

Each takes the filtered queryset from :mod:`photonix.library.browse.filters` and runs one query
per list.
Pages are ordered newest first by ``(taken_local, id)``; the cursor is the last row's key, so a
page never scans what came before it (no OFFSET) and no photo is repeated or skipped when many
share a timestamp.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import operator
import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr, TruncMonth

from photonix.classifiers.models import PhotoTag, Tag
from photonix.core.errors import PhotonixError
from photonix.core.models import User
from photonix.library.browse import captions, people, search
from photonix.library.browse.filters import OWN_FACET_PARAMS, filtered_photos, selection_q
from photonix.library.browse.search import SHOWN_VERDICTS
from photonix.library.models import Camera, Lens, Photo
from photonix.media.metadata import UNDATED_SOURCES

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
    "failure",
    "favourite",
    "trashed_at",
    "taken_source",
)


# How many photos are stacked under each photo of a page (``stacks``): one index probe a row,
# in the page's own query.
_STACKED = Subquery(
    Photo.objects.filter(stacked_under_id=OuterRef("pk"))
    .order_by()
    .values("stacked_under_id")
    .annotate(n=Count("id"))
    .values("n")[:1]
)


class CursorError(PhotonixError, ValueError):
    """A ``cursor`` that is not one of the timeline's."""

    field = "cursor"


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
    rows = list(
        photos.annotate(stacked_count=_STACKED)
        .order_by("-taken_local", "-id")
        .values_list(*TIMELINE_FIELDS, "stacked_count")[: limit + 1]
    )
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
            "archived": hidden,
            "favourite": favourite,
            "trashed_at": None if trashed_at is None else trashed_at.isoformat(),
            "failed": bool(failure),
            "failure": failure or None,
            "undated": taken_source in UNDATED_SOURCES,
        }
        for (
            pk,
            taken_local,
            offset,
            width,
            height,
            placeholder,
            version,
            rating,
            hidden,
            failure,
            favourite,
            trashed_at,
            taken_source,
            _,
        ) in rows
    ]
    texts = captions.captions([item["id"] for item in results])
    for item, row in zip(results, rows, strict=True):
        item["caption"] = texts[item["id"]]
        # A stack's cover counts itself too; a photo that is no cover shows 0.
        item["stack_count"] = row[-1] + 1 if row[-1] else 0
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
# At least this share, the tags are counted over all photos less those outside the selection.
COMPLEMENT_SHARE = 0.8

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


def _facet_rows_sqlite(photos: QuerySet[Photo], complement: QuerySet[Photo]) -> _FacetRows:
    """Two statements: SQLite spends as long writing the selection down as computing it again.

    The statistics read the (camera, lens, …) covering index of the photos, in the order they
    are grouped by, so neither the table nor a sort is needed. ``complement`` is every photo
    that is not in the selection (of any library).
    """
    sql, params = photos.order_by().values(*_PHOTO_COLUMNS).query.sql_with_params()
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
    share = selected / rows[0][-1] if rows and rows[0][-1] else 0.0
    phototags = f"{PhotoTag._meta.db_table} pt"
    if share >= COMPLEMENT_SHARE:
        # Nearly every photo: count every tag from the (tag, photo, verdict) index alone, with
        # no photo to test, and take off what the few photos outside the selection carry,
        # read from their own (photo, verdict, tag) index entries.
        out_sql, out_params = complement.order_by().values("pk").query.sql_with_params()
        verdicts = ", ".join(["%s"] * len(SHOWN_VERDICTS))
        counts = (
            f"SELECT pt.tag_id, COUNT(DISTINCT pt.photo_id) AS n FROM {phototags} "  # noqa: S608
            f"WHERE pt.verdict IN ({verdicts}){{where}} GROUP BY pt.tag_id"
        )
        tags = _fetch(
            "SELECT t.id, t.parent_id, t.type, t.name, c.n FROM ("  # noqa: S608
            "SELECT tag_id, SUM(n) AS n FROM ("
            + counts.format(where="")
            + " UNION ALL SELECT tag_id, -n FROM ("
            + counts.format(where=f" AND pt.photo_id IN ({out_sql})")
            + ")) GROUP BY tag_id HAVING SUM(n) > 0"
            f") c JOIN {Tag._meta.db_table} t ON t.id = c.tag_id ORDER BY c.n DESC, t.name",
            (*SHOWN_VERDICTS, *SHOWN_VERDICTS, *out_params),
        )
        return [row[:-1] for row in rows], tags
    # A large selection: read the (tag, photo, verdict) index in order, testing each row's photo
    # against the selection (the unary plus keeps SQLite from using an index on photo_id for
    # that), which needs no sort, not even for the distinct photos. A small one: start from its
    # photos, as SQLite would, and sort their few rows by tag.
    by_tag = share >= TAG_DRIVEN_SHARE
    ids_sql, ids_params = photos.order_by("pk").values("pk").query.sql_with_params()
    photo = "+pt.photo_id" if by_tag else "pt.photo_id"
    tags = _fetch(
        _tag_counts_sql(phototags, f" AND {photo} IN ({ids_sql})") + " ORDER BY c.n DESC, t.name",
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


def _cameras(counts: dict[int, int]) -> list[dict[str, Any]]:
    rows = _most_first(
        counts,
        Camera.objects.filter(pk__in=counts)
        .order_by("make", "model")
        .values_list("pk", "make", "model"),
    )
    return [
        {"id": pk, "name": f"{make} {model}".strip(), "count": counts[pk]}
        for pk, make, model in rows
    ]


def _lenses(counts: dict[int, int]) -> list[dict[str, Any]]:
    rows = _most_first(
        counts, Lens.objects.filter(pk__in=counts).order_by("name").values_list("pk", "name")
    )
    return [{"id": pk, "name": name, "count": counts[pk]} for pk, name in rows]


def _tag_options(tag_rows: list[tuple[Any, ...]]) -> dict[str, list[dict[str, Any]]]:
    tags: dict[str, list[dict[str, Any]]] = {}
    for tag_id, parent_id, tag_type, name, count in tag_rows:
        tags.setdefault(tag_type, []).append(
            {"id": tag_id, "name": name, "parent": parent_id, "count": count}
        )
    return tags


def _facets_of(photos: QuerySet[Photo], complement: QuerySet[Photo]) -> dict[str, Any]:
    """Every facet of one selection.

    The statistics, cameras and lenses come from one pass over the selection, grouped by
    (camera, lens): a few hundred rows that are added up here. On PostgreSQL the tag counts are
    part of the same statement.
    """
    if connection.vendor == "postgresql":
        stat_rows, tag_rows = _facet_rows_postgresql(photos)
    else:
        stat_rows, tag_rows = _facet_rows_sqlite(photos, complement)
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
    first, last = stats["first"], stats["last"]
    return {
        "tags": _tag_options(tag_rows),
        "people": people.facet(photos),
        "cameras": _cameras(camera_counts),
        "lenses": _lenses(lens_counts),
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


def _counts(photos: QuerySet[Photo], column: str) -> dict[Any, int]:
    rows = photos.order_by().values_list(column).annotate(n=Count("pk")).values_list(column, "n")
    return dict(rows)


def _typed_tags(photos: QuerySet[Photo], tag_type: str) -> list[dict[str, Any]]:
    """The tag options of one type (places, colours) among ``photos``, most first."""
    ids_sql, ids_params = photos.order_by().values("pk").query.sql_with_params()
    of_type = f" AND pt.tag_id IN (SELECT id FROM {Tag._meta.db_table} WHERE type = %s)"  # noqa: S608
    rows = _fetch(
        _tag_counts_sql(
            f"{PhotoTag._meta.db_table} pt", f"{of_type} AND pt.photo_id IN ({ids_sql})"
        )
        + " ORDER BY c.n DESC, t.name",
        (*SHOWN_VERDICTS, tag_type, *ids_params),
    )
    return _tag_options(rows).get(tag_type, [])


def _recount(facet: str, photos: QuerySet[Photo], into: dict[str, Any]) -> None:
    """Count one facet again, over ``photos`` (the selection without that facet's filter)."""
    if facet == "camera":
        into["cameras"] = _cameras({k: n for k, n in _counts(photos, "camera_id").items() if k})
    elif facet == "lens":
        into["lenses"] = _lenses({k: n for k, n in _counts(photos, "lens_id").items() if k})
    elif facet in ("place", "colour"):
        options = _typed_tags(photos, facet)
        into["tags"].pop(facet, None)
        if options:
            into["tags"][facet] = options
    elif facet == "rating":
        ratings = dict.fromkeys(map(str, range(6)), 0)
        for rating, n in _counts(photos, "rating").items():
            ratings[str(min(5, max(0, rating or 0)))] += n
        into["ratings"] = ratings
    elif facet == "flash":
        fired = _counts(photos, "flash_fired")
        into["flash"] = {"fired": fired.get(True, 0), "not_fired": fired.get(False, 0)}
    elif facet == "dates":
        span = photos.aggregate(first=Min("taken_local"), last=Max("taken_local"))
        first, last = span["first"], span["last"]
        into["dates"] = None if first is None else [_day(first), _day(last)]
    else:  # a range
        span = photos.aggregate(low=Min(facet), high=Max(facet))
        into["ranges"][facet] = _span(span["low"], span["high"])


def facets(user: User, chosen: dict[str, Any]) -> dict[str, Any]:
    """What the results of the ``chosen`` filters contain, with counts.

    Tags (other than places and colours) and people narrow to the results: another one picked
    is ANDed. The other facets are counted over the results of all the *other* filters, as if
    their own were not set ("disjunctive" facets): cameras and lenses, whose ids are ORed, and
    the single choices (a place, a colour, a rating, flash, the ranges, the dates), which
    picking another option replaces. So a second camera can be added after the first, and a
    range can be widened again. That is one more query for each such filter that is set.

    Results are kept while the database does not change (see ``_change_marker``).
    """
    marker = _change_marker()
    key = (connection.alias, connection.settings_dict["NAME"], user.pk, _frozen(chosen))
    if marker is not None:
        with _CACHE_LOCK:
            hit = _CACHE.get(key)
            if hit is not None and hit[0] == marker:
                _CACHE.move_to_end(key)
                return copy.deepcopy(hit[1])
    # The tag trees once, as ids: one query, and PostgreSQL can then estimate the selection.
    trees = search.tag_trees([*chosen.get("tag", []), *filter(None, [chosen.get("place")])])
    # The free text's words once too: each recount below filters by them again.
    words = search.query_q(chosen["q"]) if chosen.get("q", "").strip() else None
    selection = selection_q(user, chosen, whole=True, trees=trees, words=words)
    result = _facets_of(Photo.objects.filter(selection), Photo.objects.exclude(selection))
    for facet, params in OWN_FACET_PARAMS.items():
        if any(param in chosen for param in params):
            others = {k: v for k, v in chosen.items() if k not in params}
            recount = filtered_photos(user, others, whole=True, trees=trees, words=words)
            _recount(facet, recount, result)
    if marker is not None:
        with _CACHE_LOCK:
            for stale in [k for k, (seen, _) in _CACHE.items() if seen != marker]:
                del _CACHE[stale]  # counted before the last commit: never served again
            _CACHE[key] = (marker, copy.deepcopy(result))
            _CACHE.move_to_end(key)
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return result


# Facets kept in this process, each with the database's change marker when it was counted. A
# result holds every tag of the selection (a few hundred KB in a library of thousands of tags),
# hence few entries; a commit makes them all stale, and they go at the next store.
CACHE_SIZE = 32
_CACHE: OrderedDict[tuple[Any, ...], tuple[Any, dict[str, Any]]] = OrderedDict()
_CACHE_LOCK = threading.Lock()
# SQLite: one connection per database file that only ever reads ``PRAGMA data_version``.
_PROBES: dict[tuple[str, int, int, int], sqlite3.Connection] = {}


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _change_marker() -> Any:
    """A value that changes whenever anything is committed to the database; None: don't cache.

    SQLite: ``PRAGMA data_version`` on a connection of our own, which changes when any other
    connection (in any process) commits. PostgreSQL: the current snapshot (the transactions in
    progress and the next one to come), which every commit or rollback of a writing transaction
    changes, on a standby too. (The WAL position could already hold a commit that becomes
    visible only after the facets are counted, and vacuum or checkpoints move it on.) The
    marker is read before the facets are counted, so a commit that lands while they are
    counted changes it, and what was counted is never served after a change. Inside a
    transaction (which may hold changes not committed yet) nothing is cached.
    """
    if connection.in_atomic_block:
        return None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_snapshot()::text")
            return cursor.fetchone()[0]
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    try:
        stat = Path(name).stat()  # a file made again at the same path is another database
    except OSError:
        return None
    # A connection is not carried over into a forked process: each process opens its own.
    probe_key = (name, stat.st_dev, stat.st_ino, os.getpid())
    with _CACHE_LOCK:
        probe = _PROBES.get(probe_key)
        if probe is None:
            probe = sqlite3.connect(name, timeout=5, check_same_thread=False)
            _PROBES[probe_key] = probe
        # Read to the end, so that no read transaction stays open (it would hold the WAL back).
        (version,) = probe.execute("PRAGMA data_version").fetchall()[0]
    return (stat.st_dev, stat.st_ino, version)


def map_points(photos: QuerySet[Photo], limit: int = MAP_LIMIT) -> dict[str, Any]:
    """Photos with a location (the newest ``limit`` of them) for the map."""
    rows = list(
        photos.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-taken_local", "-id")
        .values_list(
            "id", "latitude", "longitude", "thumbnail_version", "taken_local", "taken_offset"
        )[: limit + 1]
    )
    return {
        "points": [
            {
                "id": pk,
                "lat": lat,
                "lon": lon,
                "thumbnail_version": version,
                "taken_at": taken_at_iso(taken, offset),
            }
            for pk, lat, lon, version, taken, offset in rows[:limit]
        ],
        "truncated": len(rows) > limit,
    }
