"""Writing a person's edits to XMP sidecars: how long one write takes through the stay-open
exiftool, against one exiftool process per write, and the read back.

    .venv/bin/python bench/sidecars.py [--photos 200]

Copies a camera JPEG ``--photos`` times into a temporary folder, writes a date (with its zone) and
a place to each one's sidecar (``photo.jpg.xmp``) with :func:`photonix.media.metadata.write_edits`
(what the ``write_edits`` task does per file), then updates them all once more (a sidecar that
exists is edited in place), reads them back in one batch, and prints milliseconds per file for
each step; then the same first write with a new exiftool process per file, for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from photonix.media.exiftool import ExifTool
from photonix.media.metadata import Edits, write_edits
from photonix.media.metadata.writing import edit_args

SAMPLE = Path(__file__).parents[1] / "tests" / "fixtures" / "photos" / "gps" / "DSCN0010.jpg"
ZONE = dt.timezone(dt.timedelta(hours=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=200)
    count = parser.parse_args().photos
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = [root / f"IMG_{i:05d}.jpg" for i in range(count)]
        for path in paths:
            shutil.copyfile(SAMPLE, path)
        edits = Edits(
            taken_at=dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=ZONE), location=(48.8584, 2.2945, 35.0)
        )
        with ExifTool() as exiftool:
            start = time.perf_counter()
            for path in paths:
                write_edits(exiftool, path, edits)
            created = time.perf_counter() - start
            moved = Edits(taken_at=dt.datetime(2020, 1, 2, 4, 4, 5, tzinfo=ZONE))
            start = time.perf_counter()
            for path in paths:
                write_edits(exiftool, path, moved)
            updated = time.perf_counter() - start
            start = time.perf_counter()
            dumps = exiftool.read([p.with_name(p.name + ".xmp") for p in paths])
            read = time.perf_counter() - start
        assert all(d.get("XMP-exif:DateTimeOriginal") == "2020:01:02 04:04:05+02:00" for d in dumps)
        for path in paths:
            path.with_name(path.name + ".xmp").unlink()
        sample = paths[: min(count, 30)]
        start = time.perf_counter()
        for path in sample:
            subprocess.run(
                ["exiftool", "-q", "-overwrite_original", *edit_args(edits, original=False),
                 str(path.with_name(path.name + ".xmp"))],
                check=True,
            )  # fmt: skip
        per_process = (time.perf_counter() - start) / len(sample)
    print(f"photos: {count}")
    print(f"sidecar created (stay-open exiftool): {created / count * 1000:.1f} ms/photo")
    print(f"sidecar updated in place:             {updated / count * 1000:.1f} ms/photo")
    print(f"sidecars read back (one batch):       {read / count * 1000:.1f} ms/photo")
    print(f"sidecar created (one process each):   {per_process * 1000:.1f} ms/photo")


if __name__ == "__main__":
    main()
