"""The classifier plug-in interface: what a classifier is and what it returns.

A classifier SHALL have a unique ``name`` and an integer ``version`` (raise it when its output
changes: photos are then reprocessed by "process missing"), SHALL say which photos it
``applies_to``, SHALL load its model lazily in ``load()`` (heavy imports belong there, never at
module level: the web process must stay light), and SHALL turn an image into predictions in
``predict()``. It MAY keep its model loaded between calls, and MAY name the Celery ``queue`` its
jobs run on (default ``classify``; face recognition uses ``faces``).

This module imports nothing of Photonix: classifiers import it, and the registry
(:mod:`photonix.classifiers.registry`, which re-exports both names) imports the classifiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["Classifier", "Prediction"]


@dataclass(frozen=True)
class Prediction:
    """One thing a classifier saw: a tag name, how sure it is, where (fractions of the image)."""

    tag_type: str
    name: str
    confidence: float
    significance: float = 1.0
    box: tuple[float, float, float, float] | None = None
    parents: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Classifier(Protocol):
    name: str
    version: int

    def applies_to(self, photo_kind: str) -> bool: ...

    def load(self) -> None: ...

    def predict(self, image: Image) -> list[Prediction]: ...
