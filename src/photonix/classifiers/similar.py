"""Near-duplicates: the stage that measures each photo for ``library.browse.duplicates``.

Not a tagger: like the face recognizer it stores its own results (through :meth:`run`): the
photo's perceptual hash and quality numbers (``photonix.media.similarity``), measured on the
preview the classify stage has already decoded. A classifier, so that "process missing" gives
existing photos their hash, the jobs page counts it, and a library can switch it off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL.Image import Image

    from photonix.classifiers.interface import Prediction
    from photonix.library.models import Photo


class SimilarityClassifier:
    """Perceptual hash, sharpness and exposure of the photo's preview."""

    name = "similar"
    #: ``photonix.media.similarity.SIMILARITY_VERSION``; raise both together
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return photo_kind in ("photo", "raw")

    def load(self) -> None:
        import photonix.media.similarity  # noqa: F401 - imagehash and scipy: fail here, early

    def predict(self, image: Image) -> list[Prediction]:
        return []  # it tags nothing: the pipeline calls ``run``

    def run(
        self, photo: Photo, image: Image, still_wanted: Callable[[], bool] = lambda: True
    ) -> int:
        """Measure the upright preview and store the photo's likeness; -1 when no longer wanted."""
        from photonix.library.likeness import photo_likeness_set
        from photonix.media.similarity import measure

        likeness = measure(image)
        if not still_wanted():
            return -1
        photo_likeness_set(photo, likeness)
        return 1
