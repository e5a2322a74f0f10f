"""Thumbnail throughput against the machine's decode limit (DESIGN.md section 5, issue 5).

    .venv/bin/python bench/thumbnails.py [--repeat N]

Inputs, made at run time in a temporary directory: a 12 MP (4032x3024) and a 24 MP (6000x4000)
JPEG (a fixture upscaled with Pillow, saved at quality 90), the 12 MP iPhone HEIC fixture, and
the DNG fixture. For each, in a fresh subprocess (so peak RSS is that case's alone):

- ``set``   - photonix: ``render_photo`` = one decode + preview + grid + placeholder, encoded;
- ``limit`` - the decode limit: only decoding the file at the scale the largest size needs
  (JPEG: Pillow ``draft()`` to the DCT scale for 2048 px with our 15/16 tolerance; HEIC: a
  plain decode, libheif cannot scale; DNG: LibRaw's develop);
- ``naive`` - the naive reference: per size, ``Image.open`` -> ``thumbnail()`` -> save JPEG
  (for the DNG: a LibRaw develop per size). Pillow's ``thumbnail()`` asks ``draft()`` for twice
  the box, so on these files it gets no reduced decode.

Printed per case and method: median wall ms per photo, photos/s per core (from CPU time, so
the decoder's own threads count), peak RSS (VmHWM) and the ratio to the limit, by wall and by
CPU time (on a busy machine the CPU ratio is the steadier one). A second
table times the encoders (JPEG vs WebP) on a real preview and grid, for docs/thumbnails.md.
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
                "wall_ms": statistics.median(walls),
                "cpu_ms": statistics.median(cpus),
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
    return cases


def measure(method: str, path: Path, repeat: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--worker", method, str(path), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


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
    parser.add_argument("--repeat", type=int, default=7)
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
        f"{'case':12} {'method':6} {'ms/photo':>9} {'cpu ms':>7} {'photos/s/core':>13} "
        f"{'peak RSS MiB':>12} {'x limit':>8} {'x limit cpu':>11}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        cases = make_inputs(Path(tmp))
        for label, path in cases:
            repeat = args.repeat if "JPEG" in label or "DNG" in label else max(3, args.repeat // 2)
            figures = {m: measure(m, path, repeat) for m in ("limit", "set", "naive")}
            limit, limit_cpu = figures["limit"]["wall_ms"], figures["limit"]["cpu_ms"]
            for method, fig in figures.items():
                print(
                    f"{label:12} {method:6} {fig['wall_ms']:9.1f} {fig['cpu_ms']:7.1f} "
                    f"{1000 / fig['cpu_ms']:13.1f} {fig['hwm_mib']:12.0f} "
                    f"{fig['wall_ms'] / limit:8.2f} {fig['cpu_ms'] / limit_cpu:11.2f}"
                )
        encoder_table(cases[0][1])


if __name__ == "__main__":
    main()
