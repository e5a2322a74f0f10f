"""Styles: what can honestly be said about how a photo looks.

No style model ships in any package, so every style here is computed from something that can
be named — image statistics (black and white, bright, dark, low contrast, vivid, pastel,
minimal) or the object model's ImageNet scene classes (landscape: mountains, valley, seashore,
…). docs/classifiers.md says, for each tag, where it comes from and how far to trust it.

The zero-shot styles (bokeh, long exposure, macro, vintage, serene) come with the search issue's
CLIP model; they are not computed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from photonix.classifiers import imagenet
from photonix.classifiers.interface import Prediction

if TYPE_CHECKING:
    from pathlib import Path

    from PIL.Image import Image

SCENE_THRESHOLD: Final = 0.2
LANDSCAPE_THRESHOLD: Final = 0.35


def statistics_styles(image: Image) -> list[tuple[str, float]]:
    """Style names with a confidence, from image statistics only."""
    import numpy as np

    from photonix.classifiers.colours import image_lab

    lab = image_lab(image, edge=256)
    lightness = lab[:, 0]
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    found: list[tuple[str, float]] = []
    if np.quantile(chroma, 0.98) < 6:
        found.append(("black and white", 1.0))
    mean_l = float(lightness.mean())
    if mean_l > 68:
        found.append(("bright", round(min(1.0, 0.6 + (mean_l - 68) / 40), 3)))
    elif mean_l < 25:
        found.append(("dark", round(min(1.0, 0.6 + (25 - mean_l) / 40), 3)))
    if float(lightness.std()) < 12:
        found.append(("low contrast", 0.7))
    mean_c = float(chroma.mean())
    if mean_c > 45:
        found.append(("vivid", round(min(1.0, 0.6 + (mean_c - 45) / 50), 3)))
    if mean_l > 60 and 8 <= mean_c <= 30 and float(np.quantile(chroma, 0.95)) < 45:
        found.append(("pastel", 0.6))
    if _edge_share(image) < 0.02:
        found.append(("minimal", 0.6))
    return found


def _edge_share(image: Image) -> float:
    """Share of a 256 px copy whose lightness changes by more than 8 (of 100) per pixel."""
    import numpy as np
    from PIL import Image as PILImage

    small = image.convert("L")
    small.thumbnail((256, 256), PILImage.Resampling.BOX)
    if min(small.size) < 3:
        return 1.0
    grey = np.asarray(small, dtype=np.float64) * (100 / 255)
    gy, gx = np.gradient(grey)
    return float((np.hypot(gx, gy) > 8).mean())


def scene_styles(probs: object) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []
    total = 0.0
    for index, scene in imagenet.LANDSCAPE_SCENES.items():
        p = float(probs[index])  # type: ignore[index]
        total += p
        if p >= SCENE_THRESHOLD:
            found.append((scene, round(p, 4)))
    if total >= LANDSCAPE_THRESHOLD or found:
        found.insert(0, ("landscape", round(min(1.0, total), 4)))
    return found


class StyleClassifier:
    """Styles from image statistics, and landscape scenes from the object model."""

    name = "style"
    version = 1

    def __init__(self) -> None:
        self._model: Path | None = None

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        from photonix.classifiers.objects import load_model

        self._model = load_model()

    def predict(self, image: Image) -> list[Prediction]:
        from photonix.classifiers.objects import probabilities

        if self._model is None:
            self.load()
        assert self._model is not None  # noqa: S101 - set by load()
        found = [Prediction("style", n, confidence=c) for n, c in statistics_styles(image)]
        for scene, confidence in scene_styles(probabilities(self._model, image)):
            parents = () if scene == "landscape" else ("landscape",)
            found.append(Prediction("style", scene, confidence=confidence, parents=parents))
        return found
