"""Colours: the named colours that cover a photo, with their shares, largest first.

Each pixel of a small copy of the image is given the name of its nearest anchor colour in CIELAB,
where distances follow what eyes see (a dull green and a dark green are near; sRGB would say
otherwise). Several anchors share a name ("Blue" is navy, royal and sky blue), so a name covers a
region of colour space rather than a point. The share is the fraction of pixels; a name is
reported when it covers at least ``PHOTONIX_COLOUR_MIN_SHARE``.

Pure code: numpy and Pillow, no Django, no model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from photonix.classifiers.interface import Prediction

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL.Image import Image

SAMPLE_EDGE: Final = 96

PALETTE: Final[dict[str, tuple[tuple[int, int, int], ...]]] = {
    "Red": ((255, 0, 0), (200, 30, 40), (150, 20, 25), (220, 60, 60)),
    "Orange": ((255, 140, 0), (240, 120, 40), (210, 105, 30), (255, 165, 80)),
    "Yellow": ((255, 255, 0), (240, 220, 60), (255, 215, 0), (250, 240, 140)),
    "Green": (
        (0, 128, 0), (0, 200, 0), (60, 160, 60), (110, 140, 50), (30, 80, 30), (150, 200, 100),
    ),
    "Teal": ((0, 128, 128), (0, 200, 200), (64, 224, 208), (0, 255, 255)),
    "Blue": (
        (0, 0, 255), (30, 80, 200), (0, 0, 128), (70, 130, 180), (135, 190, 235), (25, 40, 90),
    ),
    "Purple": ((128, 0, 128), (150, 60, 200), (90, 40, 120), (180, 130, 210)),
    "Pink": ((255, 105, 180), (255, 182, 193), (230, 80, 150), (255, 0, 255)),
    "Brown": ((139, 69, 19), (110, 70, 40), (160, 110, 70), (80, 50, 30)),
    "Beige": ((225, 205, 170), (200, 180, 140), (245, 235, 210)),
    "White": ((255, 255, 255), (240, 240, 240)),
    "Grey": ((128, 128, 128), (180, 180, 180), (80, 80, 80), (110, 120, 130)),
    "Black": ((0, 0, 0), (30, 30, 30)),
}  # fmt: skip


def srgb_to_lab(rgb: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """sRGB in 0–255 (…×3) to CIELAB under D65."""
    import numpy as np

    c = rgb / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    matrix = np.array(
        [[0.4124564, 0.3575761, 0.1804375],
         [0.2126729, 0.7151522, 0.0721750],
         [0.0193339, 0.1191920, 0.9503041]]
    )  # fmt: skip
    xyz = linear @ matrix.T / np.array([0.95047, 1.0, 1.08883])
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    lab: npt.NDArray[np.float64] = np.empty_like(f)
    lab[..., 0] = 116 * f[..., 1] - 16
    lab[..., 1] = 500 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200 * (f[..., 1] - f[..., 2])
    return lab


def image_lab(image: Image, edge: int = SAMPLE_EDGE) -> npt.NDArray[np.float64]:
    """The image, shrunk so its longer side is ``edge``, as an N×3 array of Lab pixels."""
    import numpy as np
    from PIL import Image as PILImage

    small = image.convert("RGB")
    small.thumbnail((edge, edge), PILImage.Resampling.BOX)
    pixels: npt.NDArray[np.float64] = np.asarray(small, dtype=np.float64).reshape(-1, 3)
    return srgb_to_lab(pixels)


def shares(image: Image) -> list[tuple[str, float]]:
    """Every named colour with the share of the image it covers, largest first."""
    import numpy as np

    names = [name for name, anchors in PALETTE.items() for _ in anchors]
    anchors = srgb_to_lab(
        np.array([a for group in PALETTE.values() for a in group], dtype=np.float64)
    )
    pixels = image_lab(image)
    distances = ((pixels[:, None, :] - anchors[None, :, :]) ** 2).sum(axis=2)
    nearest = distances.argmin(axis=1)
    counts: dict[str, int] = {}
    for anchor_index, count in zip(*np.unique(nearest, return_counts=True), strict=True):
        counts[names[int(anchor_index)]] = counts.get(names[int(anchor_index)], 0) + int(count)
    total = len(pixels)
    return sorted(((n, c / total) for n, c in counts.items()), key=lambda item: -item[1])


class ColourClassifier:
    """Dominant named colours with their shares (confidence and significance are the share)."""

    name = "colour"
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        import numpy  # noqa: F401 - fail here, not in the middle of a batch

    def predict(self, image: Image) -> list[Prediction]:
        from photonix import conf

        minimum = conf.get().colour_min_share
        return [
            Prediction("colour", name, confidence=round(share, 4), significance=round(share, 4))
            for name, share in shares(image)
            if share >= minimum and share > 0
        ]
