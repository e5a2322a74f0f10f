"""What each media and classification stage does to a photo.

The files the stages derive (developed RAWs, thumbnails, previews) are placed and written by
:mod:`photonix.storage.derived`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from photonix.classifiers.registry import Classifier
from photonix.classifiers.services import photo_store_predictions
from photonix.library.facts import photo_size_set
from photonix.library.models import Photo, PhotoFile
from photonix.media.decode import DecodeError
from photonix.media.formats import FileKind
from photonix.media.raw import develop_raw as raw_develop
from photonix.media.thumbnails import (
    PREVIEW,
    THUMBNAILER_VERSION,
    largest_edge,
    render_photo,
)
from photonix.pipeline.base import PermanentError, TransientError
from photonix.pipeline.versions import RAW_DEVELOP_VERSION
from photonix.storage.derived import (
    developed_path,
    thumbnail_path,
    write_atomically,
    write_atomically_with,
)

logger = logging.getLogger(__name__)

__all__ = ["RAW_DEVELOP_VERSION", "THUMBNAILER_VERSION", "classify", "develop_raw"]
DEVELOPED_QUALITY = 92


def _original(photo: Photo) -> PhotoFile:
    file = photo.preferred_file
    if file is None:
        raise PermanentError(f"photo {photo.pk} has no file")
    return file


def _check_readable(path: Path) -> None:
    try:
        path.stat()
    except FileNotFoundError as exc:
        raise PermanentError(f"the file is gone: {path}") from exc
    except OSError as exc:  # a share that went away for a moment
        raise TransientError(f"cannot reach {path}: {exc.strerror or exc}") from exc


def develop_raw(photo: Photo) -> str:
    """Develop the photo's RAW once into the cache; returns how (preview / develop …), which is
    also recorded on the file (``PhotoFile.raw_method``)."""
    file = _original(photo)
    path = Path(file.path)
    _check_readable(path)
    try:
        developed = raw_develop(path, min_size=largest_edge())
    except DecodeError as exc:
        raise PermanentError(exc.reason) from exc
    write_atomically_with(
        developed_path(file.pk, RAW_DEVELOP_VERSION),
        lambda handle: developed.image.save(handle, "JPEG", quality=DEVELOPED_QUALITY),
    )
    # The size a person sees is the developed picture's (a full develop's, whatever was
    # written to the cache), not what the metadata declared: a Kodak KDC declares 756x504 and
    # develops to 768x512; a header-less RAW declares nothing.
    width, height = developed.size
    if (photo.orientation or 1) >= 5:
        width, height = height, width
    PhotoFile.objects.filter(pk=file.pk).update(
        raw_method=developed.method, width=width, height=height
    )
    file.raw_method, file.width, file.height = developed.method, width, height
    photo_size_set(photo.pk, width, height)
    for warning in developed.warnings:
        logger.warning("%s: %s", path, warning)
    logger.info("developed %s (%s, %dx%d)", path, developed.method, *developed.image.size)
    return developed.method


def make_thumbnails(photo: Photo) -> dict[str, object]:
    """Decode the photo once and write its thumbnail set and placeholder."""
    file = _original(photo)
    source, kind = Path(file.path), FileKind.PHOTO
    if file.kind == PhotoFile.Kind.RAW:
        source = developed_path(file.pk, RAW_DEVELOP_VERSION)
        if not source.exists():  # the cache was cleared: develop again
            develop_raw(photo)
    else:
        _check_readable(source)
    try:
        result = render_photo(
            source,
            orientation=photo.orientation or 1,
            kind=kind,
            user_rotation=getattr(photo, "user_rotation", 0) or 0,
        )
    except DecodeError as exc:
        raise PermanentError(exc.reason) from exc
    for name, thumb in result.thumbnails.items():
        write_atomically(thumbnail_path(photo.pk, name, result.version), thumb.data)
    updates: dict[str, object] = {
        "placeholder": result.placeholder,
        "thumbnail_version": result.version,
        "failure": "",  # it has an image now, whatever failed before
    }
    Photo.objects.filter(pk=photo.pk).update(**updates)
    if file.kind != PhotoFile.Kind.RAW and not (file.width and file.height):
        # The metadata did not say (a RAW's size is set when it is developed, above): the
        # decoded image's, without the person's rotation, which the photo's size adds.
        width, height = result.width, result.height
        if (photo.user_rotation or 0) % 180 == 90:
            width, height = height, width
        PhotoFile.objects.filter(pk=file.pk).update(width=width, height=height)
        photo_size_set(photo.pk, width, height)
    for warning in result.warnings:
        logger.warning("%s: %s", source, warning)
    return {
        "method": result.method,
        "sizes": {n: [t.width, t.height] for n, t in result.thumbnails.items()},
    }


_loaded: set[str] = set()
_load_lock = threading.Lock()


def _ensure_loaded(classifier: Classifier) -> None:
    with _load_lock:
        if classifier.name not in _loaded:
            classifier.load()
            _loaded.add(classifier.name)


def classify(
    photo: Photo, classifier: Classifier, still_wanted: Callable[[], bool] = lambda: True
) -> int:
    """Run one classifier on the photo's preview (or its recorded facts) and store its tags.

    ``still_wanted`` is asked once the prediction is made and before anything is stored: when
    it says no (the classifier was switched off meanwhile), nothing is stored and -1 is returned.
    """
    predict_facts = getattr(classifier, "predict_facts", None)
    if predict_facts is not None:  # places, events: from GPS and dates, no pixels needed
        from photonix.classifiers.facts import facts_for

        _ensure_loaded(classifier)
        predictions = predict_facts(facts_for(photo.pk))
        if not still_wanted():
            return -1
        return photo_store_predictions(photo, classifier.name, classifier.version, predictions)
    preview = thumbnail_path(photo.pk, PREVIEW.name, photo.thumbnail_version or THUMBNAILER_VERSION)
    if not preview.exists():
        make_thumbnails(photo)
        photo.refresh_from_db(fields=["thumbnail_version"])
        preview = thumbnail_path(photo.pk, PREVIEW.name, photo.thumbnail_version)
    _ensure_loaded(classifier)
    with Image.open(preview) as image:
        image.load()
        upright = image.convert("RGB")
    # A classifier that stores its own results (faces) has ``run(photo, image)``; it wins.
    run = getattr(classifier, "run", None)
    if callable(run):
        return int(run(photo, upright, still_wanted))
    predictions = classifier.predict(upright)
    if not still_wanted():
        return -1
    return photo_store_predictions(photo, classifier.name, classifier.version, predictions)
