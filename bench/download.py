"""What streaming a zip of photos costs beside reading the same files.

    .venv/bin/python bench/download.py [--files 200] [--mb 4]

Writes ``--files`` files of ``--mb`` MiB of random bytes (photos do not compress either) in a
temporary folder, then, each three times, keeping the fastest:

- **read**: reads every file in 64 KiB pieces, as a plain copy would;
- **crc**: reads them and computes their CRC-32, the least any zip needs (the format stores it);
- **zip**: streams them as one archive through ``photonix.storage.archive.stream`` (what
  ``GET /api/downloads/{key}`` sends), consuming the bytes as a client would.

It prints MB/s for each, the zip's time as a ratio to both, the archive's overhead in bytes,
and the peak memory the process grew by while zipping (the archive is never held: the growth
stays near one piece).
The folder is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from photonix.storage.archive import CHUNK, Entry, stream

T = TypeVar("T")


def _read_all(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with path.open("rb") as handle:
            while piece := handle.read(CHUNK):
                total += len(piece)
    return total


def _crc_all(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        crc = 0
        with path.open("rb") as handle:
            while piece := handle.read(CHUNK):
                crc = zlib.crc32(piece, crc)
                total += len(piece)
    return total


def _zip_all(paths: list[Path]) -> tuple[int, int]:
    chunks, size = stream(Entry(name=path.name, path=path) for path in paths)
    total = sum(len(piece) for piece in chunks)
    assert size is not None  # files read as they are: the size is known before the first byte
    return total, size


def _best(run: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    best, result = float("inf"), run()
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--mb", type=float, default=4.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="photonix-bench-download-"))
    try:
        size = int(args.mb * 1024 * 1024)
        paths = []
        for i in range(args.files):
            path = folder / f"IMG_{i:05d}.jpg"
            path.write_bytes(os.urandom(size))
            paths.append(path)
        data_mb = args.files * size / 1e6
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        read_s, _ = _best(lambda: _read_all(paths))
        crc_s, _ = _best(lambda: _crc_all(paths))
        zip_s, (streamed, announced) = _best(lambda: _zip_all(paths))
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert streamed == announced, "the archive's size must be known before its first byte"
        print(f"{args.files} files, {data_mb:.0f} MB")
        print(f"read: {data_mb / read_s:8.0f} MB/s")
        print(f"crc : {data_mb / crc_s:8.0f} MB/s")
        print(f"zip : {data_mb / zip_s:8.0f} MB/s (stored, Content-Length known in advance)")
        print(f"ratio zip / read time: {zip_s / read_s:.2f}; zip / crc time: {zip_s / crc_s:.2f}")
        print(f"archive overhead: {streamed - args.files * size} bytes")
        print(f"peak memory growth while zipping: {(rss_after - rss_before) / 1024:.1f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
