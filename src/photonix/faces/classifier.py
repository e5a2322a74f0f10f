"""The face recognizer as a classifier plug-in: it runs on the ``faces`` queue and writes
``Face`` rows itself (through :meth:`FaceRecognizer.run`) instead of tags.

Cheap to construct and to import: the models load in :meth:`load`, on a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from photonix.classifiers.registry import Prediction

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL.Image import Image

    from photonix.faces.detection import DetectedFace, FaceModels
    from photonix.library.models import Photo


class FaceRecognizer:
    """Detects faces (RetinaFace), embeds them (dlib ResNet) and groups them into people."""

    name = "faces"
    #: raise when detection or embeddings change: every photo is processed again
    version = 1
    queue = "faces"

    def __init__(self) -> None:
        self._models: FaceModels | None = None

    def applies_to(self, photo_kind: str) -> bool:
        return photo_kind in ("photo", "raw")

    def load(self) -> None:
        if self._models is None:
            from photonix.faces.detection import FaceModels

            models = FaceModels()
            models.load()
            self._models = models

    def analyse(self, image: Image) -> list[DetectedFace]:
        self.load()
        assert self._models is not None  # noqa: S101 - load() set it
        return self._models.analyse(image)

    def predict(self, image: Image) -> list[Prediction]:
        """The faces as boxes, for callers outside the pipeline (the pipeline uses ``run``)."""
        return [
            Prediction("face", "face", confidence=f.confidence, box=f.box)
            for f in self.analyse(image)
        ]

    def run(
        self, photo: Photo, image: Image, still_wanted: Callable[[], bool] = lambda: True
    ) -> int:
        """Detect and embed the faces of the photo's upright preview, store them, group them.

        ``still_wanted`` is asked before anything is stored (see ``stages.classify``): -1 when
        it says no.
        """
        from photonix.faces.services import photo_store_faces

        faces = self.analyse(image)
        if not still_wanted():
            return -1
        return photo_store_faces(photo, faces, self.version)
