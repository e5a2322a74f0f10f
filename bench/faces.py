"""Face detection, embedding and clustering cost on this CPU.

    .venv/bin/python bench/faces.py [--runs 3] [--embeddings 10000]

For each face sample (decoded upright at preview size, as the pipeline does): detection ms per
photo, embedding ms per face, faces found; the process's peak RSS after loading the models and
after the run; then the time to cluster N synthetic 128-d embeddings (people of 2–40 faces each
with dlib-like spread, plus loners) and the time to match them against 1,000 reference faces.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from photonix.faces import clustering  # noqa: E402
from photonix.faces.detection import FaceModels, quality_ok, sharpness  # noqa: E402
from photonix.media.decode import open_image  # noqa: E402

SAMPLES = ROOT / "tests" / "fixtures" / "photos" / "faces-objects"
PHOTOS = {
    "Boris_Becker_0003.jpg": 1,
    "hopper_face.jpg": 1,
    "astronaut_face.png": 1,
    "curie_portrait_orientation6.jpg": 6,
    "solvay_group_faces.jpg": 1,
    "person_dog_horse.jpg": 1,
}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(count: int, seed: int = 7) -> tuple[np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    rows: list[np.ndarray] = []
    photos: list[int] = []
    while len(rows) < count:
        centre = rng.normal(size=128)
        centre *= 0.75 / np.linalg.norm(centre)
        for _ in range(int(rng.integers(1, 40))):
            rows.append(centre + rng.normal(scale=0.35 / np.sqrt(128), size=128))
            photos.append(int(rng.integers(0, count)))
    return np.asarray(rows[:count], dtype=np.float32), photos[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--embeddings", type=int, default=10_000)
    args = parser.parse_args()

    print(f"before models: peak RSS {rss_mb():.0f} MB")
    models = FaceModels()
    start = time.perf_counter()
    models.load()
    print(
        f"models loaded in {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"peak RSS {rss_mb():.0f} MB"
    )
    print(
        f"{'photo':34} {'size':>9} {'faces':>5} {'embedded':>8} {'detect ms':>9} "
        f"{'embed ms/face':>13}"
    )
    for name, orientation in PHOTOS.items():
        image = open_image(SAMPLES / name, orientation=orientation, max_size=2048).image
        pixels = np.asarray(image)
        detect_ms: list[float] = []
        embed_ms: list[float] = []
        found: list[tuple[tuple[float, float, float, float], float]] = []
        for _ in range(args.runs):
            start = time.perf_counter()
            found = models.detect(image)
            detect_ms.append((time.perf_counter() - start) * 1000)
        good = []
        for box, score in found:
            x, y, w, h = box
            sharp = sharpness(image, (round(x), round(y), round(x + w), round(y + h)))
            if quality_ok(round(min(w, h)), score, sharp):
                good.append(box)
        for box in good:
            start = time.perf_counter()
            models.embed(pixels, box)
            embed_ms.append((time.perf_counter() - start) * 1000)
        per_face = f"{statistics.median(embed_ms):.0f}" if embed_ms else "-"
        print(
            f"{name:34} {image.width:>4}x{image.height:<4} {len(found):>5} {len(good):>8} "
            f"{statistics.median(detect_ms):>9.0f} {per_face:>13}"
        )
    print(f"after the run: peak RSS {rss_mb():.0f} MB")

    embeddings, photos = synthetic(args.embeddings)
    start = time.perf_counter()
    labels = clustering.cluster(embeddings, photos)
    took = time.perf_counter() - start
    groups = len({label for label in labels if label >= 0})
    alone = sum(1 for label in labels if label < 0)
    print(
        f"clustering {len(embeddings):,} synthetic embeddings: {took * 1000:.0f} ms "
        f"({groups} groups, {alone} faces alone), peak RSS {rss_mb():.0f} MB"
    )
    start = time.perf_counter()
    clustering.nearest(embeddings, embeddings[:1000], list(range(1000)))
    print(
        f"matching {len(embeddings):,} faces against 1,000 reference faces: "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
