"""The object detector beside the ImageNet classifier, photo by photo, on the fixture photos.

    .venv/bin/python bench/detect.py [--repeat 5] [--threshold 0.4]

For each photo of ``tests/fixtures/photos/faces-objects`` (and the grey cat of ``heic/``): what the
manifest says it shows, the detector's tags (with every box's score, down to 0.2, so the
threshold can be chosen), the ImageNet classifier's tags, and the detector's milliseconds per
photo (median of ``--repeat`` runs on the preview-sized image, resize included).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT / "tests" / "fixtures" / "photos"
EXTRA = ["heic/sony_a7siii_10bit_422_cat.hif"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.4)
    args = parser.parse_args()
    os.environ.setdefault("PHOTONIX_OFFLINE", "true")

    from PIL import Image

    from photonix.classifiers import detector
    from photonix.classifiers.objects import ObjectClassifier
    from photonix.media.decode import open_image

    rows = json.loads((PHOTOS / "manifest.json").read_text())
    manifest = {item["file"]: item.get("notes", "") for item in rows}
    # HEIF decoders apply the container's own rotation: EXIF's is not applied again.
    orientation = {
        item["file"]: 1 if item["format"].startswith("HEI") else item.get("orientation") or 1
        for item in rows
    }
    objects = ObjectClassifier()
    objects.load()
    model = detector.load_model()
    names = sorted(p.relative_to(PHOTOS).as_posix() for p in (PHOTOS / "faces-objects").iterdir())
    timings = []
    for name in [*names, *EXTRA]:
        image = open_image(PHOTOS / name, orientation=orientation[name], max_size=2048).image
        image.thumbnail((2048, 2048), Image.Resampling.BILINEAR)
        detector.detect(model, image)  # warm-up
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            found = detector.detect(model, image)
            runs.append((time.perf_counter() - start) * 1000)
        ms = statistics.median(runs)
        timings.append(ms)
        kept = [f"{n} {s:.2f}" for n, s, _ in found if s >= args.threshold]
        unsure = [f"{n} {s:.2f}" for n, s, _ in found if 0.2 <= s < args.threshold]
        imagenet = [p.name for p in objects.predict(image)]
        print(f"{name}  ({ms:.0f} ms)")
        print(f"  manifest: {manifest.get(name, '')[:100]}")
        print(f"  detect  : {', '.join(kept) or '-'}")
        print(f"  (below) : {', '.join(unsure) or '-'}")
        print(f"  imagenet: {', '.join(imagenet) or '-'}")
    print(f"detector ms/photo: median {statistics.median(timings):.0f}, max {max(timings):.0f}")


if __name__ == "__main__":
    main()
