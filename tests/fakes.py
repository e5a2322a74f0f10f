"""Small real classifiers for tests, loadable by worker processes through
``PHOTONIX_EXTRA_CLASSIFIERS=tests.fakes:Brightness,…``.

Their behaviour is steered by marker files in ``$PHOTONIX_DATA_DIR/fakes/`` so a test can make a
classifier fail, or stop failing, in a worker it does not share memory with.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PIL import Image, ImageStat

from photonix.classifiers.registry import Prediction
from photonix.pipeline.base import TransientError


def marker_dir() -> Path:
    path = Path(os.environ["PHOTONIX_DATA_DIR"]) / "fakes"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Brightness:
    """Tags a photo "bright" or "dark" from its mean luminance: real pixels, a real answer."""

    name = "fake_brightness"
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        pass

    def predict(self, image: Image.Image) -> list[Prediction]:
        mean = ImageStat.Stat(image.convert("L")).mean[0]
        return [Prediction("style", "bright" if mean >= 100 else "dark", confidence=0.9)]


class Failing:
    """Raises while the marker file ``fail`` exists (a bug, until someone fixes it)."""

    name = "fake_failing"
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        pass

    def predict(self, image: Image.Image) -> list[Prediction]:
        if (marker_dir() / "fail").exists():
            raise ValueError("fake classifier is broken")
        return [Prediction("object", "fixed", confidence=0.5)]


class Flaky:
    """Fails with a transient error twice per photo size, then works; logs each attempt's time."""

    name = "fake_flaky"
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        pass

    def predict(self, image: Image.Image) -> list[Prediction]:
        log = marker_dir() / f"flaky-{image.size[0]}x{image.size[1]}"
        with log.open("a") as handle:
            handle.write(f"{time.time()}\n")
        if len(log.read_text().split()) <= 2:
            raise TransientError("the model server is busy")
        return [Prediction("object", "eventually", confidence=0.7)]


class Slow:
    """Sleeps while the marker file ``slow`` exists, so a test can kill the worker mid-task."""

    name = "fake_slow"
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        pass

    def predict(self, image: Image.Image) -> list[Prediction]:
        (marker_dir() / f"slow-started-{os.getpid()}").touch()
        deadline = time.monotonic() + 60
        while (marker_dir() / "slow").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        return [Prediction("object", "slowpoke", confidence=0.6)]
