"""The classifier registry: which classifiers this process knows.

The plug-in interface (:class:`Classifier`, :class:`Prediction`) lives in
:mod:`photonix.classifiers.interface`; both are re-exported here, so plug-ins may import them from
either module.

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
from importlib.metadata import entry_points

from photonix.classifiers.builtins import builtin_classifiers
from photonix.classifiers.interface import Classifier, Prediction

__all__ = [
    "Classifier",
    "Prediction",
    "all_classifiers",
    "get",
    "load_builtins",
    "queue_of",
    "register",
    "registered",
    "unregister",
]

logger = logging.getLogger(__name__)

# The Celery queue of a classifier that names none.
DEFAULT_QUEUE = "classify"

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


def queue_of(name: str) -> str:
    """The Celery queue classifier ``name``'s jobs run on: the ``queue`` it names, else
    ``classify``. Raises ``LookupError`` when no such classifier is registered."""
    return str(getattr(get(name), "queue", DEFAULT_QUEUE))


@contextmanager
def registered(classifier: Classifier) -> Iterator[Classifier]:
    """Register ``classifier`` for the duration of a ``with`` block (tests)."""
    register(classifier)
    try:
        yield classifier
    finally:
        unregister(classifier.name)
