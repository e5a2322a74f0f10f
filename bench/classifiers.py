"""Each built-in classifier on this machine's CPU: load time, milliseconds per photo, memory.

    .venv/bin/python bench/classifiers.py [--repeat 5]

Every classifier runs in a fresh process of its own (so its load time and resident memory are its
own, not shared with another's model), on the preview-sized fixture photos. Metadata classifiers
(place, event) get each photo's facts directly. Prints one line per classifier.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = [
    "faces-objects/chelsea_cat.png",
    "faces-objects/coffee_cup.png",
    "faces-objects/dog_bicycle_truck.jpg",
    "faces-objects/person_dog_horse.jpg",
    "png-webp-tiff/denali.webp",
    "jpeg-exif/el_torcal_rocks.jpg",
]
NAMES = ["object", "detect", "colour", "style", "place", "event"]


def rss_mb() -> float:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(name: str, repeat: int) -> dict[str, float]:
    from PIL import Image

    from photonix.classifiers.builtins import builtin_classifiers
    from photonix.classifiers.facts import PhotoFacts

    (classifier,) = [c for c in builtin_classifiers() if c.name == name]
    images: list[Image.Image] = []
    for photo in PHOTOS:
        with Image.open(ROOT / "tests" / "fixtures" / "photos" / photo) as image:
            rgb = image.convert("RGB")
            rgb.thumbnail((2048, 2048))  # the preview the pipeline hands to classifiers
            images.append(rgb)
    facts = PhotoFacts(
        latitude=43.4674, longitude=11.8851, taken_local=dt.datetime(2023, 12, 25, 10)
    )
    before = rss_mb()
    start = time.perf_counter()
    classifier.load()
    if name == "place":  # its index is built lazily on first use
        classifier.predict_facts(facts)  # type: ignore[attr-defined]
    load_s = time.perf_counter() - start
    predict = (
        (lambda _image: classifier.predict_facts(facts))  # type: ignore[attr-defined]
        if name in ("place", "event")
        else classifier.predict
    )
    predict(images[0])  # warm-up
    start = time.perf_counter()
    for _ in range(repeat):
        for picture in images:
            predict(picture)
    per_photo_ms = (time.perf_counter() - start) * 1000 / (repeat * len(images))
    return {"load_s": load_s, "ms": per_photo_ms, "rss_mb": rss_mb(), "added_mb": rss_mb() - before}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.repeat)))
        return
    print(f"CPU: {os.cpu_count()} cores; photos: {len(PHOTOS)} previews x {args.repeat}")
    print(f"{'classifier':<10} {'load s':>8} {'ms/photo':>9} {'RSS MB':>8} {'model MB':>9}")
    for name in NAMES:
        out = subprocess.run(
            [sys.executable, __file__, "--one", name, "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PHOTONIX_OFFLINE": "true"},
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{name:<10} {row['load_s']:>8.2f} {row['ms']:>9.2f} "
            f"{row['rss_mb']:>8.0f} {row['added_mb']:>9.0f}"
        )


if __name__ == "__main__":
    main()
