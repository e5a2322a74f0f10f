"""The classifiers that come with Photonix.

``registry.load_builtins`` registers them the first time a classifier is asked for. They and
their modules import only :mod:`photonix.classifiers.interface`, never the registry, and nothing
heavy: their models load in ``load()``, on a worker.
"""

from __future__ import annotations

from photonix.classifiers.clip import ClipClassifier
from photonix.classifiers.colours import ColourClassifier
from photonix.classifiers.detector import DetectorClassifier
from photonix.classifiers.events import EventClassifier
from photonix.classifiers.interface import Classifier
from photonix.classifiers.objects import ObjectClassifier
from photonix.classifiers.places import PlaceClassifier
from photonix.classifiers.similar import SimilarityClassifier
from photonix.classifiers.styles import StyleClassifier


def builtin_classifiers() -> list[Classifier]:
    return [
        ObjectClassifier(),
        DetectorClassifier(),
        ColourClassifier(),
        PlaceClassifier(),
        StyleClassifier(),
        EventClassifier(),
        ClipClassifier(),
        SimilarityClassifier(),
    ]
