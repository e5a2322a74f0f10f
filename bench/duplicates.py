"""Near-duplicates: what measuring a photo costs, and how long grouping takes at 100,000 photos.

    .venv/bin/python bench/duplicates.py measure [--runs 20]
    .venv/bin/python bench/duplicates.py group [--photos 100000] [--database-url postgresql://…]

``measure`` does what the ``similar`` stage does to each sample photo's 2048 px preview (made
here from the sample photos, as the thumbnailer would): open and decode it into RGB (the classify
stage's decode, shared by nothing else), then hash and measure it
(``photonix.media.similarity.measure``), and prints the median of each, in ms.

``group`` fills a database (SQLite in a temporary data directory, or a scratch PostgreSQL
database created and dropped) with photos and their likeness in bulk: random hashes, plus
planted near-duplicates (copies with 0 to 3 of the 64 bits flipped, at any time) and bursts
(a second frame one second later, same camera, 4 to 12 bits flipped). It then times reading the
library's likeness, the grouping itself, and the whole review list (``duplicate_groups``), and
prints how many planted groups were found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
SAMPLES = ROOT / "tests" / "fixtures" / "photos"
PREVIEW_EDGE = 2048


def _previews() -> list[bytes]:
    from PIL import Image

    out = []
    for path in sorted((SAMPLES / "faces-objects").glob("*.jpg")) + sorted(
        (SAMPLES / "jpeg-exif").glob("*.jp*g")
    ):
        with Image.open(path) as image:
            rgb = image.convert("RGB")
        scale = PREVIEW_EDGE / max(rgb.size)
        rgb = rgb.resize((round(rgb.width * scale), round(rgb.height * scale)))
        buffer = io.BytesIO()
        rgb.save(buffer, "JPEG", quality=82)
        out.append(buffer.getvalue())
    return out


def measure_cost(runs: int) -> None:
    from PIL import Image

    from photonix.media.similarity import measure

    previews = _previews()
    decode_ms, measure_ms = [], []
    for _ in range(runs):
        for data in previews:
            start = time.perf_counter()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = image.convert("RGB")
            decoded = time.perf_counter()
            measure(upright)
            done = time.perf_counter()
            decode_ms.append((decoded - start) * 1000)
            measure_ms.append((done - decoded) * 1000)
    print(
        f"{len(previews)} previews of {PREVIEW_EDGE} px, {runs} runs, load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"decode the preview (the classify stage's): median {statistics.median(decode_ms):.1f} ms"
    )
    print(
        f"hash and measure it:                       median {statistics.median(measure_ms):.1f} ms"
    )


def _setup(database_url: str | None, data_dir: Path) -> None:
    os.environ["PHOTONIX_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photonix.settings")
    os.environ["PHOTONIX_OFFLINE"] = "true"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


def fill(photos: int, rng: random.Random) -> tuple[object, int, int, int]:
    """The bench user, the library id, and how many duplicate and burst groups were planted."""
    from django.db import transaction
    from django.db.models import F

    from photonix.core.models import User
    from photonix.library.models import (
        Camera,
        Library,
        LibraryFolder,
        LibraryMember,
        Photo,
        PhotoFile,
        PhotoLikeness,
    )
    from photonix.media.similarity import signed64

    user = User.objects.create_user("bench")
    library = Library.objects.create(name="Bench")
    LibraryMember.objects.create(library=library, user=user, role="owner")
    folder = LibraryFolder.objects.create(library=library, path="/bench/photos")
    cameras = Camera.objects.bulk_create(Camera(make="Bench", model=f"C{i}") for i in range(8))
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    span = 15 * 365 * 86400
    # (hash, taken, camera) of every photo: random ones, then planted groups.
    shots: list[tuple[int, dt.datetime, int]] = []
    planted_copies = planted_bursts = 0
    while len(shots) < photos:
        taken = now - dt.timedelta(seconds=int(span * rng.random()))
        camera = rng.randrange(len(cameras))
        value = rng.getrandbits(64)
        roll = rng.random()
        if roll < 0.01 and len(shots) + 3 <= photos:  # a photo and two copies of it
            planted_copies += 1
            shots.append((value, taken, camera))
            for _ in range(2):
                later = taken + dt.timedelta(days=rng.randint(1, 900))
                shots.append((_flip(value, rng.randint(0, 3), rng), later, rng.randrange(8)))
        elif roll < 0.02 and len(shots) + 2 <= photos:  # a burst of two
            planted_bursts += 1
            shots.append((value, taken, camera))
            shots.append(
                (_flip(value, rng.randint(4, 12), rng), taken + dt.timedelta(seconds=1), camera)
            )
        else:
            shots.append((value, taken, camera))
    batch = 5000
    # Ids chosen here, so that a photo and its file are written once each, file first.
    next_id = (Photo.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_file = (PhotoFile.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with transaction.atomic():
        for first in range(0, len(shots), batch):
            chunk = shots[first : first + batch]
            ids = range(next_id + first, next_id + first + len(chunk))
            file_ids = range(next_file + first, next_file + first + len(chunk))
            PhotoFile.objects.bulk_create(
                [
                    PhotoFile(
                        pk=file_id,
                        library=library,
                        folder=folder,
                        path=f"/bench/photos/IMG_{file_id:06d}.jpg",
                        kind="photo",
                        state="ok",
                        size=3_000_000,
                        mtime_ns=1,
                        file_type="JPEG",
                    )
                    for file_id in file_ids
                ],
                batch_size=batch,
            )
            rows = [
                Photo(
                    pk=pk,
                    library=library,
                    preferred_file_id=file_id,
                    taken_local=taken,
                    camera=cameras[camera],
                    width=4000,
                    height=3000,
                    thumbnail_version=3,
                )
                for pk, file_id, (_, taken, camera) in zip(ids, file_ids, chunk, strict=True)
            ]
            Photo.objects.bulk_create(rows, batch_size=batch)
            PhotoLikeness.objects.bulk_create(
                [
                    PhotoLikeness(
                        photo=p,
                        phash=signed64(value),
                        sharpness=rng.uniform(5, 500),
                        exposure=rng.uniform(0.8, 1.0),
                        brightness=rng.random(),
                    )
                    for p, (value, _, _) in zip(rows, chunk, strict=True)
                ],
                batch_size=batch,
            )
        PhotoFile.objects.filter(library=library).update(photo_id=F("pk") - next_file + next_id)
    return user, library.pk, planted_copies, planted_bursts


def group(photos: int, seed: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="photonix-bench-") as work:
        if database_url:
            from search import postgres_database

            with postgres_database(database_url) as url:
                _group(Path(work), url, photos, seed)
        else:
            _group(Path(work), None, photos, seed)


def _group(work: Path, url: str | None, photos: int, seed: int) -> None:
    _setup(url, work)
    from django.db import connection

    from photonix.library.browse import duplicates

    start = time.perf_counter()
    user, library_id, copies, bursts = fill(photos, random.Random(seed))
    print(
        f"{photos:,} photos on {connection.vendor} ({copies:,} planted photos with two copies, "
        f"{bursts:,} planted bursts of two), filled in {time.perf_counter() - start:.0f} s"
    )
    start = time.perf_counter()
    shots = duplicates.library_shots(user, library_id)  # type: ignore[arg-type]
    read = time.perf_counter() - start
    start = time.perf_counter()
    found = duplicates.find_groups(shots)
    grouped = time.perf_counter() - start
    start = time.perf_counter()
    listed = duplicates.duplicate_groups(user, [library_id])  # type: ignore[arg-type]
    whole = time.perf_counter() - start
    kinds = [g.kind for g in found]
    print(f"read the likeness of {len(shots):,} photos: {read * 1000:.0f} ms")
    print(f"group them (bands, bursts, ranking):        {grouped * 1000:.0f} ms")
    print(f"the review list (GET /api/duplicates):      {whole * 1000:.0f} ms")
    print(
        f"groups found: {kinds.count('duplicate'):,} duplicate (planted {copies:,}), "
        f"{kinds.count('burst'):,} burst (planted {bursts:,}); listed {listed['count']:,}; "
        f"load {os.getloadavg()[0]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--runs", type=int, default=20)
    g = sub.add_parser("group")
    g.add_argument("--photos", type=int, default=100_000)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--database-url")
    args = parser.parse_args()
    if args.command == "measure":
        measure_cost(args.runs)
    else:
        group(args.photos, args.seed, args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
