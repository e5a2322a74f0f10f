"""Thumbnail throughput against the machine's decode limit (DESIGN.md section 5, issue 5).

    .venv/bin/python bench/thumbnails.py [--repeat N] [--rounds R]

Inputs, made at run time in a temporary directory: a 12 MP (4032x3024) and a 24 MP (6000x4000)
JPEG (a fixture upscaled with Pillow, saved at quality 90), the 12 MP iPhone HEIC fixture, the
DNG fixture, and a 48 MP 16-bit grey PNG (8000x6000: the memory case). For each, in a fresh
subprocess (so peak RSS is that case's alone):

- ``set``   - photonix: ``render_photo`` = one decode + preview + grid + placeholder, encoded;
- ``limit`` - the decode limit: only decoding the file at the scale the largest size needs
  (JPEG: Pillow ``draft()`` to the DCT scale for 2048 px with our 15/16 tolerance - 1/2 for
  both JPEGs; photonix itself decodes the 24 MP one at 3/8, which Pillow's ``draft()`` does not
  offer; HEIC, PNG: a plain decode, they cannot scale; DNG: LibRaw's develop);
- ``naive`` - the naive reference: per size, ``Image.open`` -> ``thumbnail()`` -> save JPEG
  (for the DNG: a LibRaw develop per size). Pillow's ``thumbnail()`` asks ``draft()`` for twice
  the box, so on these files it gets no reduced decode.

The three methods run in turn, R rounds of N runs each (after a warm-up), so a change of load
on a shared machine hits them alike. Printed per case and method: median wall ms per photo,
median and fastest CPU ms, photos/s per core (from the fastest CPU time, so the decoder's own
threads count), peak RSS (VmHWM) and the ratio to the limit by median wall, median CPU and
fastest CPU time (on a busy machine the fastest-CPU ratio is the steadiest: contention only
ever adds time). A second table times the encoders (JPEG vs WebP) on a real preview and grid,
for docs/thumbnails.md.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "photos"
sys.path.insert(0, str(ROOT / "src"))


def vm_hwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def vm_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker(method: str, path: Path, repeat: int) -> None:
    """Run one method on one file *repeat* times (after a warm-up); print JSON figures."""
    import math

    from PIL import Image

    from photonix.media.decode import DRAFT_TOLERANCE, _register_heif
    from photonix.media.thumbnails import SIZES, largest_edge, render_photo

    _register_heif()
    is_raw = path.suffix.lower() == ".dng"

    def run_set() -> None:
        render_photo(path, orientation=1)

    def run_limit() -> None:
        if is_raw:
            import rawpy

            with rawpy.imread(str(path)) as raw:
                raw.postprocess(use_camera_wb=True, output_bps=8, user_flip=0)
            return
        with Image.open(path) as image:
            width, height = image.size
            need = math.ceil(largest_edge() * DRAFT_TOLERANCE)
            long_edge = max(width, height)
            if need < long_edge:
                image.draft(
                    "RGB",
                    (math.ceil(width * need / long_edge), math.ceil(height * need / long_edge)),
                )
            image.load()

    def run_naive() -> None:
        for size in SIZES:
            if is_raw:
                import rawpy

                with rawpy.imread(str(path)) as raw:
                    image = Image.fromarray(raw.postprocess(use_camera_wb=True, output_bps=8))
            else:
                image = Image.open(path)
                if image.mode.startswith("I;16"):  # Pillow has no I;16 -> RGB conversion
                    import numpy as np

                    image = Image.fromarray((np.asarray(image) >> 8).astype(np.uint8))
            image.thumbnail((size.max_width, size.max_height))
            image.convert("RGB").save(io.BytesIO(), "JPEG", quality=size.quality)

    run = {"set": run_set, "limit": run_limit, "naive": run_naive}[method]
    baseline = vm_rss_kib()
    run()  # warm-up: imports, plugin registration, caches
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    print(
        json.dumps(
            {
                "walls": walls,
                "cpus": cpus,
                "hwm_mib": vm_hwm_kib() / 1024,
                "baseline_mib": baseline / 1024,
            }
        )
    )


def make_inputs(directory: Path) -> list[tuple[str, Path]]:
    from PIL import Image

    source = Image.open(FIXTURES / "gps" / "empty_gps.jpg")  # 4640x3472 phone photo
    source.load()
    cases = []
    for label, size in (("JPEG 12 MP", (4032, 3024)), ("JPEG 24 MP", (6000, 4000))):
        path = directory / f"{size[0]}x{size[1]}.jpg"
        source.resize(size, Image.Resampling.BICUBIC).save(path, quality=90)
        cases.append((label, path))
    cases.append(("HEIC 12 MP", FIXTURES / "faces-objects" / "classic_car.heic"))
    cases.append(("DNG 1 MP", FIXTURES / "raw" / "canon_eos_6d.dng"))
    import numpy as np

    rows, columns = np.mgrid[0:6000, 0:8000]
    ramp = ((columns * 7 + rows * 3) % 65536).astype(np.uint16)
    grey16 = directory / "grey16-8000x6000.png"
    Image.fromarray(ramp).save(grey16, compress_level=1)  # mode I;16
    cases.append(("PNG16 48 MP", grey16))
    return cases


def measure(method: str, path: Path, repeat: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--worker", method, str(path), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def measure_interleaved(
    path: Path, repeat: int, rounds: int, methods: tuple[str, ...] = ("limit", "set", "naive")
) -> dict[str, dict[str, float]]:
    """*rounds* rounds of one subprocess per method, in turn, so that a change of load on a
    shared machine hits every method alike. Per method: the median wall time, the fastest CPU
    time (the least disturbed run: on a busy machine CPU time grows with contention too) and
    the median CPU time, and the highest peak RSS."""
    runs: dict[str, list[dict[str, Any]]] = {m: [] for m in methods}
    for _ in range(rounds):
        for method in methods:
            runs[method].append(measure(method, path, repeat))
    out: dict[str, dict[str, float]] = {}
    for method, results in runs.items():
        walls = [w for r in results for w in r["walls"]]
        cpus = [c for r in results for c in r["cpus"]]
        out[method] = {
            "wall_ms": statistics.median(walls),
            "cpu_min_ms": min(cpus),
            "cpu_ms": statistics.median(cpus),
            "hwm_mib": max(r["hwm_mib"] for r in results),
        }
    return out


def encoder_table(path: Path) -> None:
    from PIL import Image

    from photonix.media.decode import open_image
    from photonix.media.thumbnails import GRID, PREVIEW

    decoded = open_image(path, orientation=1, max_size=PREVIEW.long_edge).image
    grid = decoded.resize(GRID.fit(*decoded.size), Image.Resampling.LANCZOS, reducing_gap=2.0)
    options: list[tuple[str, str, dict[str, object]]] = [
        ("JPEG q82 baseline", "JPEG", {"quality": 82}),
        ("JPEG q82 optimize", "JPEG", {"quality": 82, "optimize": True}),
        ("JPEG q82 progressive", "JPEG", {"quality": 82, "progressive": True}),
        ("WebP q80 method 4", "WEBP", {"quality": 80, "method": 4}),
        ("WebP q80 method 0", "WEBP", {"quality": 80, "method": 0}),
    ]
    print()
    print(f"Encoders on a {decoded.width}x{decoded.height} preview and a {grid.size} grid")
    print(f"{'encoder':22} {'preview ms':>10} {'KiB':>6} {'grid ms':>8} {'KiB':>5}")
    for label, fmt, kwargs in options:
        row = []
        for image in (decoded, grid):
            times = []
            for _ in range(5):
                out = io.BytesIO()
                started = time.perf_counter()
                image.save(out, fmt, **kwargs)
                times.append((time.perf_counter() - started) * 1000)
            row.append((statistics.median(times), len(out.getvalue()) / 1024))
        (pm, pk), (gm, gk) = row
        print(f"{label:22} {pm:10.1f} {pk:6.0f} {gm:8.1f} {gk:5.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "PATH"))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), args.repeat)
        return

    import os

    from photonix.media.thumbnails import SIZES

    sizes = ", ".join(
        f"{s.name} {s.max_width}x{s.max_height} {s.format} q{s.quality}" for s in SIZES
    )
    print(
        f"Thumbnail set: {sizes} + ThumbHash; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'case':12} {'method':6} {'ms/photo':>9} {'cpu ms':>7} {'cpu min':>7} "
        f"{'photos/s/core':>13} {'peak RSS MiB':>12} {'x limit':>8} {'x cpu':>6} {'x cpu min':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        cases = make_inputs(Path(tmp))
        for label, path in cases:
            repeat = args.repeat if "JPEG" in label or "DNG" in label else max(3, args.repeat // 2)
            figures = measure_interleaved(path, repeat, args.rounds)
            limit = figures["limit"]
            for method, fig in figures.items():
                print(
                    f"{label:12} {method:6} {fig['wall_ms']:9.1f} {fig['cpu_ms']:7.1f} "
                    f"{fig['cpu_min_ms']:7.1f} {1000 / fig['cpu_min_ms']:13.1f} "
                    f"{fig['hwm_mib']:12.0f} {fig['wall_ms'] / limit['wall_ms']:8.2f} "
                    f"{fig['cpu_ms'] / limit['cpu_ms']:6.2f} "
                    f"{fig['cpu_min_ms'] / limit['cpu_min_ms']:9.2f}"
                )
        encoder_table(cases[0][1])


if __name__ == "__main__":
    main()
