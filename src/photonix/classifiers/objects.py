"""Objects: what the photo shows, from an ImageNet classifier on ONNX Runtime.

The built-in model is EfficientNet-Lite0 (shipped, about 4 ms a photo on one CPU core). It names
one of 1000 ImageNet classes; each class also counts towards its broader words (see
:mod:`photonix.classifiers.imagenet`), whose confidence is the sum of their classes' — three cat
breeds at 30 % each make a confident "cat" — and towards the vessel a drink's class is pictured in
(a photo of espresso shows a cup: :data:`~photonix.classifiers.imagenet.SHOWN_IN`). It has no
boxes and no person class: the detector (:mod:`photonix.classifiers.detector`) gives those.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from photonix.classifiers import imagenet
from photonix.classifiers.interface import Prediction

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import numpy.typing as npt
    from PIL.Image import Image

MODEL = "efficientnet-lite0"
INPUT_SIZE = 224
RESIZE_TO = 256  # shorter side before the centre crop, as the model was trained
MAX_LEAVES = 5


def preprocess(image: Image) -> npt.NDArray[np.float32]:
    """The 1×3×224×224 float tensor the Lite models expect: RGB scaled (x − 127) / 128."""
    import numpy as np
    from PIL import Image as PILImage

    rgb = image.convert("RGB")
    width, height = rgb.size
    scale = RESIZE_TO / min(width, height)
    size = (max(INPUT_SIZE, round(width * scale)), max(INPUT_SIZE, round(height * scale)))
    rgb = rgb.resize(size, PILImage.Resampling.BILINEAR, reducing_gap=3.0)
    left, top = (size[0] - INPUT_SIZE) // 2, (size[1] - INPUT_SIZE) // 2
    rgb = rgb.crop((left, top, left + INPUT_SIZE, top + INPUT_SIZE))
    pixels = (np.asarray(rgb, dtype=np.float32) - 127.0) / 128.0
    return np.ascontiguousarray(pixels.transpose(2, 0, 1)[None])


def probabilities(model: Path, image: Image) -> npt.NDArray[np.float64]:
    """Softmax over the 1000 ImageNet classes."""
    import numpy as np

    from photonix.classifiers import runtime

    logits = runtime.run(model, preprocess(image))[0].astype(np.float64)
    exp = np.exp(logits - logits.max())
    result: npt.NDArray[np.float64] = exp / exp.sum()
    return result


def load_model(name: str = MODEL) -> Path:
    """The model's local path, or a permanent job failure that says why it is missing."""
    from photonix.classifiers import runtime, store
    from photonix.pipeline.base import PermanentError

    try:
        path = store.model_path(name)
        runtime.session(path)
    except store.ModelUnavailable as exc:
        raise PermanentError(str(exc)) from exc
    return path


def predictions_from(probs: Any, threshold: float) -> list[Prediction]:
    """Leaf classes and broader words at or above ``threshold``, most confident first."""
    order = sorted(range(len(probs)), key=lambda i: -float(probs[i]))
    found: list[Prediction] = []
    for index in order[:MAX_LEAVES]:
        p = float(probs[index])
        if p < threshold:
            break
        found.append(
            Prediction(
                "object",
                imagenet.name(index),
                confidence=round(p, 4),
                parents=imagenet.parents(index),
                extra={"imagenet": index},
            )
        )
    broader: dict[str, float] = {}
    for index in order[:50]:  # the tail adds nothing worth the time
        for word in imagenet.counts_towards(index):
            broader[word] = broader.get(word, 0.0) + float(probs[index])
    leaves = {p.name: i for i, p in enumerate(found)}
    for word, p in sorted(broader.items(), key=lambda item: -item[1]):
        if word in leaves:  # the class "cup" and the word "cup": one tag, the surer of the two
            leaf = found[leaves[word]]
            surer = round(min(max(leaf.confidence, p), 1.0), 4)
            found[leaves[word]] = replace(leaf, confidence=surer)
        elif p >= threshold:
            found.append(
                Prediction(
                    "object",
                    word,
                    confidence=round(min(p, 1.0), 4),
                    parents=imagenet.ancestors_of(word),
                )
            )
    return found


class ObjectClassifier:
    """ImageNet objects, with broader words."""

    name = "object"
    # 2: drinks also tag their vessel, a class and a word of one name are one tag
    # 3: scenes count towards beach, coast and underwater (words the style classifier gave)
    version = 3

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
        return predictions_from(probabilities(self._path, image), conf.get().object_threshold)
