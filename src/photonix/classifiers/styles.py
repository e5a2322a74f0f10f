"""Styles: what can honestly be said about how a photo looks.

No style model ships in any package, so every style here is computed from image statistics that
can be named (black and white, bright, dark, low contrast, vivid, pastel, minimal).
docs/classifiers.md says, for each tag, where it comes from and how far to trust it.

What a photo shows is not a style: the scenes the object model names (a valley, a geyser, a
seashore, and "landscape" above them) are the object classifier's tags, once. Version 1 of this
classifier also tagged them as styles, so a waterfall photo carried ``landscape`` and ``geyser``
twice; version 2 emits style classes only, and running it again (``process missing``) replaces
its old tags.

The zero-shot styles (bokeh, long exposure, macro, vintage, serene) come with the search issue's
CLIP model; they are not computed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from photonix.classifiers.interface import Prediction

if TYPE_CHECKING:
    from PIL.Image import Image


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


class StyleClassifier:
    """Styles from image statistics: how the photo looks, never what it shows."""

    name = "style"
    version = 2  # 2: no scene classes (they are the object classifier's tags)

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        """Nothing to load: image statistics need no model."""

    def predict(self, image: Image) -> list[Prediction]:
        return [Prediction("style", n, confidence=c) for n, c in statistics_styles(image)]
