"""Discovery speed: first scan and rescan of an unchanged tree of small image files.

    .venv/bin/python bench/scan.py [--files 20000] [--folders 200] [--changed-percent 5]

Builds the tree in a temporary folder, runs the scanner on a fresh database (SQLite in a temporary
data directory; set DATABASE_URL to measure PostgreSQL) and prints files/s for the first scan and
for a rescan of unchanged files, and the database queries per unchanged file; then a rescan
after 5 % of the files changed (``--changed-percent``) with its queries per changed file.
Recording (hashing, exiftool) is not part of discovery: the enqueue step is replaced by a
counter, so no broker is needed and the figures are the scanner's alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# A real 8 KB camera JPEG; discovery never reads the content, so every file can be the same.
SAMPLE = Path(__file__).parents[1] / "tests" / "fixtures" / "photos" / "jpeg-exif" / "Canon_40D.jpg"


def build_tree(root: Path, files: int, folders: int) -> None:
    content = SAMPLE.read_bytes()
    per_folder = max(1, files // folders)
    made = 0
    for f in range(folders):
        folder = root / f"{2000 + f // 12}" / f"{f % 12 + 1:02d}-event-{f}"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_folder):
            if made == files:
                return
            (folder / f"IMG_{i:05d}.jpg").write_bytes(content)
            made += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--folders", type=int, default=200)
    parser.add_argument("--changed-percent", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="photonix-bench-scan-"))
    os.environ["PHOTONIX_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photonix.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from photonix.core import work as work_requests
    from photonix.library.importing import scanning
    from photonix.library.models import PhotoFile
    from photonix.library.services import library_add

    enqueued: list[int] = []
    # Count what the scan asks to record instead of sending it to a broker.
    work_requests.files_to_record.disconnect(dispatch_uid="pipeline-record")
    work_requests.files_to_record.connect(
        lambda file_ids, **_: enqueued.extend(file_ids), weak=False
    )

    try:
        call_command("migrate", verbosity=0)
        root = work / "photos"
        start = time.perf_counter()
        build_tree(root, args.files, args.folders)
        print(f"built {args.files} files in {time.perf_counter() - start:.1f} s under {root}")

        _, (folder,) = library_add("Bench", [str(root)], scan=False)
        start = time.perf_counter()
        stats = scanning.folder_scan(folder)
        first = time.perf_counter() - start
        assert stats.new == args.files, stats
        print(f"first scan:  {args.files / first:9.0f} files/s  ({first:.2f} s, {stats.new} new)")

        PhotoFile.objects.update(state=PhotoFile.State.OK)
        best = float("inf")
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                stats = scanning.folder_scan(folder)
                best = min(best, time.perf_counter() - start)
            assert stats.unchanged == args.files, stats
        rate = args.files / best
        print(f"rescan:      {rate:9.0f} files/s  ({best:.2f} s, best of 3, all unchanged)")
        print(f"queries per unchanged file: {len(queries) / args.files:.5f} ({len(queries)} total)")
        print(f"rescan vs target 5,000 files/s: {rate / 5000:.1f}x")

        # A rescan after some files changed: their rows are updated a batch at a time.
        changed = sorted(root.rglob("*.jpg"))[:: max(1, 100 // args.changed_percent)]
        for path in changed:
            os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
        first_enqueued = len(enqueued)
        enqueued.clear()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            stats = scanning.folder_scan(folder)
            took = time.perf_counter() - start
        assert stats.changed == len(changed), stats
        print(
            f"rescan with {len(changed)} changed: {args.files / took:9.0f} files/s  "
            f"({took:.2f} s, {len(queries)} queries: "
            f"{len(queries) / len(changed):.4f} per changed file; {len(enqueued)} enqueued)"
        )
        print(f"database: {connection.vendor}; enqueued by the first scan: {first_enqueued}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
