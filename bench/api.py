"""Timeline API latency on a library of 100,000 synthetic photos.

    .venv/bin/python bench/api.py [--photos 100000] [--runs 40]
    .venv/bin/python bench/api.py --database-url postgresql://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/api.py --data-dir /tmp/bench-100k   # filled once, then reused

Fills a fresh database (SQLite in a temporary data directory; with ``--database-url``, a
PostgreSQL database of that name which the script creates and drops) with synthetic photos:
30 cameras, 20 lenses, 200 tags in hierarchies (objects, places, colours, styles, events), dates
over 15 years in bursts of shots, 30 % with GPS. Then it asks the real views through Django's test
client, signed in, so routing, filtering, serialisation and JSON are all counted, and prints the
p50/p95 latency and the queries of each request kind. Targets (DESIGN.md §5): timeline page p95
≤ 50 ms, filtered page ≤ 100 ms.

The facets are kept while the database does not change, so asking the same ones again measures
that; the "after a change" kinds commit a change (to a photo of another library) before each
request, so they measure the counting itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

TAG_TYPES = (("object", 120), ("place", 40), ("colour", 12), ("style", 10), ("event", 18))


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """Create the database named in ``url`` (with a random suffix) and drop it afterwards."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'photonix'}_bench_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill(photos: int, rng: random.Random) -> dict[str, Any]:
    """Create the library; return what the requests pick their parameters from."""
    from django.db import transaction
    from django.db.models import OuterRef, Subquery

    from photonix.classifiers.models import PhotoTag, Tag
    from photonix.core.models import User
    from photonix.library.models import (
        Camera,
        Lens,
        Library,
        LibraryFolder,
        LibraryMember,
        Photo,
        PhotoFile,
    )

    start = time.perf_counter()
    user = User.objects.create_user("bench")  # signed in with force_login
    library = Library.objects.create(name="Bench")
    LibraryMember.objects.create(library=library, user=user, role="owner")
    other = Library.objects.create(name="Someone else's")  # rows the scoping must skip
    folder = LibraryFolder.objects.create(library=library, path="/bench/photos")
    cameras = Camera.objects.bulk_create(
        Camera(make=rng.choice(["Canon", "Nikon", "Sony", "Fujifilm", "Apple"]), model=f"M{i}")
        for i in range(30)
    )
    lenses = Lens.objects.bulk_create(Lens(name=f"Lens {i} mm") for i in range(20))

    tags: list[Tag] = []
    for tag_type, count in TAG_TYPES:
        made: list[Tag] = []
        for i in range(count):
            # A hierarchy: every fifth tag is a parent of the four after it.
            parent = made[i - i % 5] if i % 5 else None
            tag = Tag(library=library, type=tag_type, name=f"{tag_type} {i}", parent=parent)
            tag.save()
            made.append(tag)
        tags += made
    # Zipf-like popularity: a few tags are on many photos, most on few.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(tags))]
    camera_weights = [1 / (rank + 1) for rank in range(len(cameras))]

    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    span = 15 * 365 * 86400
    batch = 5000
    with transaction.atomic():
        made_photos = 0
        while made_photos < photos:
            rows: list[Photo] = []
            while len(rows) < min(batch, photos - made_photos):
                # A burst: several shots within minutes, some in the same second.
                taken = now - dt.timedelta(seconds=int(span * rng.random() ** 1.5))
                for _ in range(rng.randint(1, 12)):
                    taken += dt.timedelta(seconds=rng.choice([0, 0, 1, 5, 30, 120]))
                    gps = rng.random() < 0.3
                    rows.append(
                        Photo(
                            library=library if rng.random() < 0.97 else other,
                            taken_local=taken,
                            taken_offset=rng.choice([None, 60, 120, -300]),
                            camera=rng.choices(cameras, camera_weights)[0],
                            lens=rng.choice(lenses) if rng.random() < 0.7 else None,
                            aperture=rng.choice([1.8, 2.8, 4.0, 5.6, 8.0, 11.0]),
                            exposure_time=rng.choice([1 / 1000, 1 / 250, 1 / 60, 1 / 15, 1.0]),
                            iso=rng.choice([100, 200, 400, 800, 1600, 3200]),
                            focal_length=rng.choice([24.0, 35.0, 50.0, 85.0, 200.0]),
                            flash_fired=rng.random() < 0.2,
                            latitude=rng.uniform(-60, 70) if gps else None,
                            longitude=rng.uniform(-180, 180) if gps else None,
                            width=rng.choice([4000, 3000]),
                            height=rng.choice([3000, 4000]),
                            rating=rng.choice([None] * 14 + [1, 2, 3, 4, 5, 5]),
                            hidden=rng.random() < 0.01,
                            placeholder="3OcRJYB4d3h/iIeHeEh3eIhw+j2w",
                            thumbnail_version=3,
                        )
                    )
            rows = rows[: min(batch, photos - made_photos)]
            Photo.objects.bulk_create(rows, batch_size=batch)
            files = [
                PhotoFile(
                    library_id=p.library_id,
                    folder=folder,
                    photo=p,
                    path=f"/bench/photos/{p.pk}.jpg",
                    kind="photo",
                    state="ok",
                    size=3_000_000,
                    mtime_ns=1,
                    file_type="JPEG",
                )
                for p in rows
            ]
            PhotoFile.objects.bulk_create(files, batch_size=batch)
            photo_tags = []
            for p in rows:
                for tag in set(rng.choices(tags, weights, k=rng.randint(0, 6))):
                    photo_tags.append(
                        PhotoTag(
                            photo=p,
                            tag=tag,
                            source="bench",
                            verdict="rejected" if rng.random() < 0.02 else "auto",
                            confidence=rng.random(),
                        )
                    )
            PhotoTag.objects.bulk_create(photo_tags, batch_size=batch)
            made_photos += len(rows)
        Photo.objects.update(
            preferred_file_id=Subquery(
                PhotoFile.objects.filter(photo_id=OuterRef("pk")).values("pk")[:1]
            )
        )
    from django.db import connection

    from photonix.library.browse.terms import reindex_all

    reindex_all()  # the search index of what bulk_create wrote without its receivers
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"filled {photos} photos, {PhotoTag.objects.count()} photo tags, {len(tags)} tags "
        f"in {time.perf_counter() - start:.1f} s ({connection.vendor})"
    )
    return {"user": user, "tags": tags[:40], "cameras": cameras[:10]}


def measure(
    client: Any, name: str, urls: Callable[[], str], runs: int, rows: Callable[[Any], int]
) -> tuple[float, float]:
    from django.db import connection

    executed = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        # A counter, not CaptureQueriesContext: Django's query log stops at 9,000 entries, after
        # which it reported 0 queries per request for the rest of the run.
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    times: list[float] = []
    queries: list[int] = []
    sizes: list[int] = []
    for i in range(runs + 3):
        url = urls()
        before = executed
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.content[:300])
        if i >= 3:  # the first few warm the caches
            times.append(elapsed)
            queries.append(executed - before)
            sizes.append(rows(response.json()))
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"{name:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
        f"queries {max(queries)}   rows ~{int(statistics.median(sizes))}"
    )
    return p50, p95


def filled(photos: int) -> dict[str, Any] | None:
    """The picks of a library an earlier run filled with as many photos, or None."""
    from photonix.classifiers.models import Tag
    from photonix.core.models import User
    from photonix.library.models import Camera, Photo

    user = User.objects.filter(username="bench").first()
    if user is None:
        return None
    if Photo.objects.count() != photos:
        raise SystemExit(f"the data directory holds another library than {photos} photos")
    print(f"reusing the {photos} photos filled by an earlier run")
    return {
        "user": user,
        "tags": list(Tag.objects.order_by("pk")[:40]),
        "cameras": list(Camera.objects.order_by("pk")[:10]),
    }


def run(photos: int, runs: int, seed: int) -> None:
    from django.core.management import call_command
    from django.test import Client

    from photonix.library.browse.timeline import cursor_encode

    call_command("migrate", verbosity=0)
    picks = filled(photos) or fill(photos, random.Random(seed))
    rng = random.Random(seed + 1)  # the requests' own: the same whether filled now or before
    client = Client()
    client.force_login(picks["user"])

    from photonix.library.models import Photo

    keys = list(
        Photo.objects.filter(library__name="Bench")
        .order_by("?")
        .values_list("taken_local", "id")[:200]
    )

    def timeline() -> str:
        taken, pk = rng.choice(keys)
        assert taken is not None
        return "/api/timeline?" + urlencode({"cursor": cursor_encode(taken, pk)})

    def first_page() -> str:
        return "/api/timeline"

    def filtered() -> str:
        year = rng.randint(2011, 2022)
        return "/api/timeline?" + urlencode(
            {
                "tag": rng.choice(picks["tags"][:15]).pk,
                "camera": rng.choice(picks["cameras"]).pk,
                "date_from": f"{year}-01-01",
                "date_to": f"{year + 2}-12-31",
            }
        )

    def rare_filtered() -> str:
        return "/api/timeline?" + urlencode(
            {
                "tag": rng.choice(picks["tags"][15:40]).pk,
                "camera": rng.choice(picks["cameras"][5:]).pk,
                "date_from": "2012-01-01",
                "date_to": "2016-12-31",
            }
        )

    def facets() -> str:
        return "/api/timeline/facets"

    def facets_filtered() -> str:
        return "/api/timeline/facets?" + urlencode({"tag": rng.choice(picks["tags"][:15]).pk})

    other_photo = Photo.objects.exclude(library__name="Bench").values_list("pk", flat=True)[0]

    def changed(url: Callable[[], str]) -> Callable[[], str]:
        """``url``, asked right after a change is committed: the facets are counted afresh."""

        def after_a_change() -> str:
            # A photo of the other library: the counts stay the same, the cache is dropped.
            Photo.objects.filter(pk=other_photo).update(rating=rng.randint(0, 5))
            return url()

        return after_a_change

    def facets_camera() -> str:
        # One camera picked: the camera facet is counted again without it.
        return "/api/timeline/facets?" + urlencode({"camera": rng.choice(picks["cameras"]).pk})

    def months() -> str:
        return "/api/timeline/months"

    def query() -> str:
        return "/api/timeline?" + urlencode({"q": rng.choice(["object 3", "july 2019", "M2"])})

    def results(body: Any) -> int:
        return len(body["results"])

    def sized(body: Any) -> int:
        return len(body)

    def total(body: Any) -> int:
        return int(body["total"])

    def points(body: Any) -> int:
        return len(body["points"])

    print(f"runs per kind: {runs}; limit 200 photos per page")
    _, p95_timeline = measure(client, "timeline page (random cursor)", timeline, runs, results)
    measure(client, "timeline first page", first_page, runs, results)
    _, p95_filtered = measure(client, "filtered page (tag+camera+dates)", filtered, runs, results)
    measure(client, "filtered page, rare tag+camera", rare_filtered, runs, results)
    measure(client, "free text q", query, runs, results)
    measure(client, "facets (everything)", facets, runs, total)
    measure(client, "facets (one tag)", facets_filtered, runs, total)
    measure(client, "facets (everything), after a change", changed(facets), runs, total)
    measure(client, "facets (one tag), after a change", changed(facets_filtered), runs, total)
    measure(client, "facets (one camera), after a change", changed(facets_camera), runs, total)
    measure(client, "month index", months, runs, sized)
    measure(client, "map (all GPS photos)", lambda: "/api/map", max(5, runs // 4), points)
    print(
        f"targets: timeline p95 {p95_timeline:.1f} ms / 50 ms "
        f"({'ok' if p95_timeline <= 50 else 'MISSED'}), "
        f"filtered p95 {p95_filtered:.1f} ms / 100 ms "
        f"({'ok' if p95_filtered <= 100 else 'MISSED'})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--database-url", help="postgresql://…/NAME: a scratch database is created and dropped"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="SQLite only: keep the database in this directory and reuse it on the next run",
    )
    args = parser.parse_args()
    if args.data_dir and args.database_url:
        parser.error("--data-dir is for SQLite; PostgreSQL runs use a scratch database")

    work = Path(tempfile.mkdtemp(prefix="photonix-bench-api-"))
    os.environ["PHOTONIX_DATA_DIR"] = str(args.data_dir or work / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photonix.settings")
    try:
        if args.database_url:
            with postgres_database(args.database_url) as url:
                os.environ["DATABASE_URL"] = url
                import django

                django.setup()
                run(args.photos, args.runs, args.seed)
        else:
            os.environ.pop("DATABASE_URL", None)
            import django

            django.setup()
            run(args.photos, args.runs, args.seed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
