"""``photonix export``: the catalogue as JSON Lines, one object per photo file.

The format is documented in docs/export.md and is an interface other people's scripts rely on:
fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, TextIO

from photonix.classifiers.models import PhotoTag
from photonix.library.browse import people
from photonix.library.models import Library, Photo, PhotoFile
from photonix.media.metadata import UNDATED_SOURCES
from photonix.pipeline.models import Job, PhotoPipeline


def _taken_at(photo: Photo | None) -> str | None:
    taken = None if photo is None else photo.taken_at
    return None if taken is None else taken.isoformat()


CHUNK = 2000


#: The kind a tag name is listed under when a photo carries it as several kinds (a person's
#: keyword "beach" and the object "beach", or a style tag stored by an older classifier version
#: next to the same object): once, under the first kind here, then any other kind by name.
TAG_TYPE_PRECEDENCE = ("keyword", "object", "place", "event", "colour", "style")


def _precedence(tag_type: str) -> tuple[int, str]:
    order = TAG_TYPE_PRECEDENCE
    return (order.index(tag_type) if tag_type in order else len(order), tag_type)


def _tags(photo_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each photo's tags, each name once (see :data:`TAG_TYPE_PRECEDENCE`), by type."""
    by_photo: dict[int, list[tuple[str, str, float]]] = defaultdict(list)
    rows = (
        PhotoTag.objects.filter(photo_id__in=photo_ids)
        .exclude(verdict=PhotoTag.Verdict.REJECTED)
        .values_list("photo_id", "tag__type", "tag__name", "confidence")
    )
    for photo_id, tag_type, name, confidence in rows:
        by_photo[photo_id].append((tag_type, name, confidence))
    tags: dict[int, list[dict[str, Any]]] = {}
    for photo_id, found in by_photo.items():
        kept: dict[str, tuple[str, str, float]] = {}
        for tag_type, name, confidence in sorted(
            found, key=lambda row: (_precedence(row[0]), -row[2])
        ):
            kept.setdefault(name.casefold(), (tag_type, name, confidence))
        tags[photo_id] = [
            {"type": tag_type, "name": name, "confidence": round(confidence, 4)}
            for tag_type, name, confidence in sorted(
                kept.values(), key=lambda row: (row[0], -row[2], row[1])
            )
        ]
    return tags


def _pipeline(photo_ids: list[int]) -> tuple[dict[int, str], dict[int, list[dict[str, str]]]]:
    states = dict(
        PhotoPipeline.objects.filter(photo_id__in=photo_ids).values_list("photo_id", "state")
    )
    failures: dict[int, list[dict[str, str]]] = defaultdict(list)
    for photo_id, stage, error in (
        Job.objects.filter(photo_id__in=photo_ids, state=Job.State.FAILED, acknowledged=False)
        .order_by("photo_id", "pk")
        .values_list("photo_id", "stage", "error")
    ):
        failures[photo_id].append({"stage": stage, "error": error})
    return states, failures


def _state(file: PhotoFile, photo: Photo | None, states: dict[int, str]) -> str:
    if file.state in (PhotoFile.State.FAILED, PhotoFile.State.UNSUPPORTED):
        return "failed"
    if photo is None:
        return "pending"
    state = states.get(photo.pk)
    return state if state in ("processed", "failed") else "pending"


def export_rows(library: Library, *, trashed: bool = False) -> Iterator[dict[str, Any]]:
    """The library's files, those of photos in the trash only when ``trashed`` (files whose
    photo was deleted from the trash are never listed: they are no longer the library's)."""
    files = (
        PhotoFile.objects.filter(library=library)
        .exclude(state__in=(PhotoFile.State.MISSING, PhotoFile.State.EXCLUDED))
        .select_related("photo", "photo__camera", "photo__lens")
        .order_by("path")
    )
    if not trashed:
        files = files.exclude(photo__trashed_at__isnull=False)
    chunk: list[PhotoFile] = []
    for file in files.iterator(chunk_size=CHUNK):
        chunk.append(file)
        if len(chunk) == CHUNK:
            yield from _rows(chunk)
            chunk = []
    yield from _rows(chunk)


def _rows(files: list[PhotoFile]) -> Iterator[dict[str, Any]]:
    photo_ids = [f.photo_id for f in files if f.photo_id is not None]
    tags = _tags(photo_ids)
    persons = people.on_photos(photo_ids)
    states, failures = _pipeline(photo_ids)
    for file in files:
        photo = file.photo if file.state == PhotoFile.State.OK else None
        camera = None if photo is None else photo.camera
        error = _error(file)
        yield {
            "path": file.path,
            "photo_id": None if photo is None else photo.pk,
            "file_type": file.file_type or None,
            "taken_at": _taken_at(photo),
            "taken_source": (photo.taken_source or None) if photo is not None else None,
            "undated": photo is not None and photo.taken_source in UNDATED_SOURCES,
            "camera_make": (camera.make or None) if camera else None,
            "camera_model": (camera.model or None) if camera else None,
            "lens": photo.lens.name if photo is not None and photo.lens is not None else None,
            "latitude": None if photo is None else photo.latitude,
            "longitude": None if photo is None else photo.longitude,
            "altitude": None if photo is None else photo.altitude,
            "width": file.width,
            "height": file.height,
            "rating": None if photo is None else photo.rating,
            "favourite": photo is not None and photo.favourite,
            "archived": photo is not None and photo.hidden,
            "trashed_at": (
                None if photo is None or photo.trashed_at is None else photo.trashed_at.isoformat()
            ),
            "title": (photo.title or None) if photo is not None else None,
            "edited": [] if photo is None else list(photo.edited or []),
            "tags": [] if photo is None else tags.get(photo.pk, []),
            "people": [] if photo is None else persons.get(photo.pk, []),
            "error": error,
            "state": _state(file, photo, states),
            "failures": (
                [{"stage": "import", "error": error}]
                if error is not None
                else ([] if photo is None else failures.get(photo.pk, []))
            ),
        }


def _error(file: PhotoFile) -> str | None:
    if file.state in (PhotoFile.State.FAILED, PhotoFile.State.UNSUPPORTED):
        return file.error or str(file.state)
    return None


def export_library(library: Library, out: TextIO, *, trashed: bool = False) -> int:
    count = 0
    for row in export_rows(library, trashed=trashed):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
