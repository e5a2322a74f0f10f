"""The classifiers that come with Photonix (registered by ``registry.load_builtins``)."""

from __future__ import annotations

from photonix.classifiers.colours import ColourClassifier
from photonix.classifiers.events import EventClassifier
from photonix.classifiers.objects import ObjectClassifier
from photonix.classifiers.places import PlaceClassifier
from photonix.classifiers.registry import Classifier
from photonix.classifiers.styles import StyleClassifier


def builtin_classifiers() -> list[Classifier]:
    return [
        ObjectClassifier(),
        ColourClassifier(),
        PlaceClassifier(),
        StyleClassifier(),
        EventClassifier(),
    ]
