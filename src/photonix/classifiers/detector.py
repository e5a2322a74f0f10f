"""Detected objects: what the photo shows and where, from an SSD-MobileNetV2 COCO detector.

The built-in model is Google's quantized SSD-MobileNetV2 trained on COCO (80 kinds of things:
people, animals, vehicles, tableware, food, furniture, electronics…), converted once to ONNX
(``scripts/models/convert_coco_detector.sh``) and shipped. It looks at the whole photo squeezed to
300×300 and returns up to 20 boxes after non-maximum suppression, each with a class and a score.

Every box at or above ``PHOTONIX_DETECT_THRESHOLD`` becomes an object tag with its box as
fractions of the upright preview (x, y, width, height — as faces' boxes are), its score as
confidence and its share of the photo as significance. Names follow the ImageNet classifier's
words where both know a thing ("dog", "car", "cup"), with the same broader words, so a photo is
found by one name whichever model saw it. The ImageNet classifier stays for fine-grained things
(breeds, dishes, scenes); this one finds people and several things in one photo.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from photonix.classifiers import imagenet
from photonix.classifiers.interface import Prediction

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL.Image import Image

MODEL: Final = "ssd-mobilenet-v2-coco"
LABELS_FILE: Final = Path(__file__).parent / "assets" / "coco_labels.txt"
INPUT_SIZE: Final = 300

# COCO's names where a person would type another word, or where the ImageNet classifier already
# has the word under another spelling (one tag for one thing).
RENAMED: Final[dict[str, str]] = {
    "mouse": "computer mouse",
    "tv": "television",
}

# Broader words of COCO classes the ImageNet hierarchy does not already place.
PARENTS: Final[dict[str, tuple[str, ...]]] = {
    "person": (),
    "airplane": ("aircraft", "vehicle"),
    "traffic light": (),
    "bird": ("animal",),
    "sheep": ("sheep and goats", "mammal", "animal"),
    "cow": ("cattle", "mammal", "animal"),
    "zebra": ("mammal", "animal"),
    "giraffe": ("mammal", "animal"),
    "wine glass": ("glass", "tableware"),
    "fork": ("tableware",),
    "knife": ("tableware",),
    "spoon": ("tableware",),
    "bowl": ("tableware",),
    "banana": ("fruit", "food"),
    "apple": ("fruit", "food"),
    "orange": ("fruit", "food"),
    "broccoli": ("vegetable", "food"),
    "carrot": ("vegetable", "food"),
    "sandwich": ("food",),
    "hot dog": ("food",),
    "pizza": ("food",),
    "donut": ("food",),
    "cake": ("food",),
    "chair": ("furniture",),
    "couch": ("furniture",),
    "bed": ("furniture",),
    "dining table": ("furniture",),
    "bench": ("furniture",),
    "television": ("electronics",),
    "laptop": ("computer", "electronics"),
    "computer mouse": ("computer", "electronics"),
    "keyboard": ("computer", "electronics"),
    "remote": ("electronics",),
    "cell phone": ("telephone", "electronics"),
    "microwave": ("appliance",),
    "oven": ("appliance",),
    "toaster": ("appliance",),
    "refrigerator": ("appliance",),
    "hair drier": ("appliance",),
    "sports ball": ("ball", "sports equipment"),
    "frisbee": ("sports equipment",),
    "skis": ("sports equipment",),
    "snowboard": ("sports equipment",),
    "kite": ("sports equipment",),
    "baseball bat": ("sports equipment",),
    "baseball glove": ("sports equipment",),
    "skateboard": ("sports equipment",),
    "surfboard": ("sports equipment",),
    "tennis racket": ("sports equipment",),
    "teddy bear": ("toy",),
    "potted plant": ("plant",),
}


@cache
def labels() -> dict[int, str]:
    """The model's class numbers and their names (COCO's numbering has gaps)."""
    table: dict[int, str] = {}
    for line in LABELS_FILE.read_text(encoding="utf-8").splitlines():
        number, _, label = line.strip().partition(" ")
        if number:
            label = label.strip()
            table[int(number)] = RENAMED.get(label, label)
    return table


def parents_of(name: str) -> tuple[str, ...]:
    """The broader words above a detected thing ("dog" → ("mammal", "animal"))."""
    if name in PARENTS:
        return PARENTS[name]
    return imagenet.ancestors_of(name)


def preprocess(image: Image) -> npt.NDArray[np.uint8]:
    """The 1×300×300×3 uint8 RGB tensor the model takes: the whole photo, squeezed."""
    import numpy as np
    from PIL import Image as PILImage

    rgb = image.convert("RGB").resize(
        (INPUT_SIZE, INPUT_SIZE), PILImage.Resampling.BILINEAR, reducing_gap=3.0
    )
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8)[None])


def detect(model: Path, image: Image) -> list[tuple[str, float, tuple[float, float, float, float]]]:
    """Every box the model returns: (name, score, (x, y, width, height) as fractions)."""
    from photonix.classifiers import runtime

    boxes, classes, scores, count = runtime.run_all(model, preprocess(image))[:4]
    names = labels()
    found = []
    for i in range(int(count.reshape(-1)[0])):
        name = names.get(int(classes[0, i]))
        if name is None:
            continue
        y0, x0, y1, x1 = (min(1.0, max(0.0, float(v))) for v in boxes[0, i])
        if x1 <= x0 or y1 <= y0:
            continue
        box = (round(x0, 4), round(y0, 4), round(x1 - x0, 4), round(y1 - y0, 4))
        found.append((name, float(scores[0, i]), box))
    return found


def predictions_from(
    found: list[tuple[str, float, tuple[float, float, float, float]]], threshold: float
) -> list[Prediction]:
    """One tag per box at or above ``threshold``, surest first."""
    return [
        Prediction(
            "object",
            name,
            confidence=round(score, 4),
            significance=round(box[2] * box[3], 4),
            box=box,
            parents=parents_of(name),
        )
        for name, score, box in sorted(found, key=lambda f: -f[1])
        if score >= threshold
    ]


def load_model(name: str = MODEL) -> Path:
    """The model's verified local path, or a permanent job failure that says why not."""
    from photonix.classifiers import runtime, store
    from photonix.pipeline.base import PermanentError

    try:
        path = store.model_path(name)
        runtime.session(path)
    except store.ModelUnavailable as exc:
        raise PermanentError(str(exc)) from exc
    return path


class DetectorClassifier:
    """COCO objects with boxes."""

    name = "detect"
    version = 1

    def __init__(self, model: str = MODEL) -> None:
        self.model_name = model
        self._path: Path | None = None

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        self._path = load_model(self.model_name)

    def predict(self, image: Image) -> list[Prediction]:
        from photonix import conf

        if self._path is None:
            self.load()
        assert self._path is not None  # noqa: S101 - set by load()
        return predictions_from(detect(self._path, image), conf.get().detect_threshold)
