"""A classifier whose model is not there, loadable by a worker through
``PHOTONIX_EXTRA_CLASSIFIERS=tests.classifiers.plugins:MissingModel``."""

from __future__ import annotations

from photonix.classifiers import store
from photonix.classifiers.objects import ObjectClassifier

store.MODELS.setdefault(
    "absent-detector",
    store.ModelSpec(
        name="absent-detector",
        filename="absent-detector.onnx",
        sha256="0" * 64,
        size=1234,
        url="http://127.0.0.1:9/absent-detector.onnx",
    ),
)


class MissingModel(ObjectClassifier):
    name = "missing_model"
    version = 1

    def __init__(self) -> None:
        super().__init__(model="absent-detector")
