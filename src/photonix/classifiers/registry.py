"""The classifier plug-in interface and its registry.

A classifier SHALL have a unique ``name`` and an integer ``version`` (raise it when its output
changes: photos are then reprocessed by "process missing"), SHALL say which photos it
``applies_to``, SHALL load its model lazily in ``load()`` (heavy imports belong there, never at
module level: the web process must stay light), and SHALL turn an image into predictions in
``predict()``. It MAY keep its model loaded between calls, and MAY name the Celery ``queue`` its
jobs run on (default ``classify``; face recognition uses ``faces``).

Built-in classifiers register themselves when :func:`load_builtins` runs; more come from the
``photonix.classifiers`` entry-point group. A test can add one for its own duration with
:func:`registered`.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PIL.Image import Image

logger = logging.getLogger(__name__)


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


_lock = threading.Lock()
_classifiers: dict[str, Classifier] = {}
_builtins_loaded = False


def register(classifier: Classifier) -> Classifier:
    with _lock:
        if classifier.name in _classifiers and _classifiers[classifier.name] is not classifier:
            raise ValueError(f"a classifier named {classifier.name!r} is already registered")
        _classifiers[classifier.name] = classifier
    return classifier


def unregister(name: str) -> None:
    with _lock:
        _classifiers.pop(name, None)


def load_builtins() -> None:
    """Register the built-in classifiers and those of installed plug-in packages (once)."""
    global _builtins_loaded  # noqa: PLW0603 - process-wide registry
    with _lock:
        if _builtins_loaded:
            return
        _builtins_loaded = True
    # Cheap to construct: models load in load(), on a worker, on first use.
    from photonix.classifiers.builtins import builtin_classifiers

    for builtin in builtin_classifiers():
        if builtin.name not in _classifiers:
            register(builtin)
    for entry in entry_points(group="photonix.classifiers"):
        try:
            register(entry.load()())
        except Exception:
            logger.exception("classifier plug-in %s could not be loaded", entry.name)
    # Extra plug-ins named in the environment ("package.module:ClassName,…"), for classifiers
    # that are not packaged yet.
    for spec in filter(None, os.environ.get("PHOTONIX_EXTRA_CLASSIFIERS", "").split(",")):
        module_name, _, attr = spec.strip().partition(":")
        try:
            register(getattr(importlib.import_module(module_name), attr)())
        except Exception:
            logger.exception("classifier %s could not be loaded", spec)


def all_classifiers() -> list[Classifier]:
    load_builtins()
    with _lock:
        return sorted(_classifiers.values(), key=lambda c: c.name)


def get(name: str) -> Classifier:
    load_builtins()
    with _lock:
        try:
            return _classifiers[name]
        except KeyError:
            raise LookupError(f"no classifier named {name!r} is registered") from None


@contextmanager
def registered(classifier: Classifier) -> Iterator[Classifier]:
    """Register ``classifier`` for the duration of a ``with`` block (tests)."""
    register(classifier)
    try:
        yield classifier
    finally:
        unregister(classifier.name)
