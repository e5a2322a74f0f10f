"""The search index: every name's words as ``SearchTerm`` rows, kept as names change.

Which keys a name gets depends on what kind of name it is (the rule that keeps the words of one
field out of another, see ``docs/search.md``):

- tags, places, colours, people and albums — names people type the start of, or mistype: the
  whole name, each word, each word's prefixes (two letters and up) and, for words of five
  letters or more, each word with one letter left out (one-edit typo keys);
- cameras, lenses and file names — model codes and numbers, where "trip" must not find a
  "Triple" lens: the whole name and each word, nothing else.

Tags, places, people, albums, cameras and lenses are indexed when they are saved (the receivers
below), file names when a file is recorded as a version of a photo. ``reindex_all`` rebuilds the
whole index; it runs after ``migrate`` when the index is empty and there are names to index, and
as ``photonix manage search_reindex``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_migrate, post_save

from photonix.library.browse.words import TYPO_MIN, deletions, prefixes, split, unique
from photonix.library.models import Camera, Lens, PhotoFile, SearchTerm

Field = SearchTerm.Field
Kind = SearchTerm.Kind
#: Fields whose words match by prefix and forgive a typo.
Receiver = Callable[..., None]
TYPED_FIELDS = frozenset({Field.TAG, Field.PLACE, Field.COLOUR, Field.PERSON, Field.ALBUM})
#: Tags of these types are indexed as their own field (the rest as ``tag``).
TAG_TYPE_FIELDS = {"place": Field.PLACE, "colour": Field.COLOUR}
KEY_MAX = 200
BATCH = 2000


def term_rows(field: str, target: int, name: str, library_id: int | None) -> list[SearchTerm]:
    """The index rows of one name (none for a name without a word)."""
    words = split(name)
    if not words:
        return []
    whole = " ".join(words)[:KEY_MAX]
    keys: dict[tuple[str, str], str] = {(Kind.NAME, whole): whole}
    for word in unique(words):
        keys.setdefault((Kind.WORD, word), word)
        if field in TYPED_FIELDS:
            for prefix in prefixes(word):
                keys.setdefault((Kind.PREFIX, prefix), word)
            if len(word) >= TYPO_MIN:
                for key in deletions(word):
                    keys.setdefault((Kind.TYPO, key), word)
    return [
        SearchTerm(library_id=library_id, field=field, target=target, kind=kind, key=key, word=word)
        for (kind, key), word in keys.items()
    ]


def name_set(field: str, target: int, name: str, library_id: int | None) -> None:
    """Index ``name`` as the name of ``target`` (replacing its old name's rows, if it changed)."""
    rows = term_rows(field, target, name, library_id)
    current = SearchTerm.objects.filter(field=field, target=target)
    whole = next((r.key for r in rows if r.kind == Kind.NAME), None)
    old = list(current.filter(kind=Kind.NAME).values_list("key", flat=True)[:2])
    if old == ([whole] if whole else []):
        return  # unchanged: a save that touched something else
    with transaction.atomic():
        current.delete()
        SearchTerm.objects.bulk_create(rows, batch_size=BATCH)


def name_delete(field: str, target: int) -> None:
    SearchTerm.objects.filter(field=field, target=target).delete()


def file_stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path.replace("\\", "/")))[0]


def photo_files_set(photo_id: int, library_id: int | None) -> None:
    """Index the names of the photo's files (without folders and extensions) as its own words."""
    stems = PhotoFile.objects.filter(photo_id=photo_id).values_list("path", flat=True)
    name_set(Field.FILE, photo_id, " ".join(file_stem(p) for p in stems), library_id)


# Receivers --------------------------------------------------------------------------------


def _tag_field(tag: Any) -> str:
    return TAG_TYPE_FIELDS.get(tag.type, Field.TAG)


def _tag_saved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    name_set(_tag_field(instance), instance.pk, instance.name, instance.library_id)


def _tag_deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    name_delete(_tag_field(instance), instance.pk)


def _person_saved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    name_set(Field.PERSON, instance.pk, instance.name, instance.library_id)


def _person_deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    name_delete(Field.PERSON, instance.pk)


def _album_saved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    name_set(Field.ALBUM, instance.pk, instance.name, instance.library_id)


def _album_deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    name_delete(Field.ALBUM, instance.pk)


def _camera_saved(sender: type[Model], instance: Camera, **kwargs: Any) -> None:
    name_set(Field.CAMERA, instance.pk, str(instance), None)


def _lens_saved(sender: type[Model], instance: Lens, **kwargs: Any) -> None:
    name_set(Field.LENS, instance.pk, instance.name, None)


def _file_saved(sender: type[Model], instance: PhotoFile, **kwargs: Any) -> None:
    if instance.photo_id is not None:
        photo_files_set(instance.photo_id, instance.library_id)


def _migrated(sender: Any, **kwargs: Any) -> None:
    if sender.name == "photonix.library":
        reindex_if_empty()


def connect() -> None:
    """Keep the index as names change (called once, when the library app is ready).

    Models of other apps are named by label, so an app that is not installed is left out.
    Nothing listens to photos or files being deleted: that would make Django delete them one by
    one, and the rows of a photo that is gone match nothing (ids are never reused).
    """
    receivers: list[tuple[str, Receiver, Receiver | None]] = [
        ("classifiers.Tag", _tag_saved, _tag_deleted),
        ("faces.Person", _person_saved, _person_deleted),
        ("albums.Album", _album_saved, _album_deleted),
        ("library.Camera", _camera_saved, None),
        ("library.Lens", _lens_saved, None),
        ("library.PhotoFile", _file_saved, None),
    ]
    for label, saved, deleted in receivers:
        post_save.connect(saved, sender=label, dispatch_uid=f"search-terms-{label}-saved")
        if deleted is not None:
            post_delete.connect(deleted, sender=label, dispatch_uid=f"search-terms-{label}-gone")
    post_migrate.connect(_migrated, dispatch_uid="search-terms-backfill")


# Backfill ---------------------------------------------------------------------------------


def _model(label: str) -> type[Model] | None:
    app_label, name = label.split(".")
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _all_rows() -> Iterator[SearchTerm]:
    tag = _model("classifiers.Tag")
    if tag is not None:
        for pk, kind, name, library_id in tag._default_manager.values_list(
            "pk", "type", "name", "library_id"
        ).iterator(chunk_size=BATCH):
            field = TAG_TYPE_FIELDS.get(kind, Field.TAG)
            yield from term_rows(field, pk, name, library_id)
    for label, field in (("faces.Person", Field.PERSON), ("albums.Album", Field.ALBUM)):
        model = _model(label)
        if model is not None:
            for pk, name, library_id in model._default_manager.values_list(
                "pk", "name", "library_id"
            ).iterator(chunk_size=BATCH):
                yield from term_rows(field, pk, name, library_id)
    for camera in Camera.objects.iterator(chunk_size=BATCH):
        yield from term_rows(Field.CAMERA, camera.pk, str(camera), None)
    for pk, name in Lens.objects.values_list("pk", "name").iterator(chunk_size=BATCH):
        yield from term_rows(Field.LENS, pk, name, None)
    files = (
        PhotoFile.objects.filter(photo__isnull=False)
        .order_by("photo_id", "pk")
        .values_list("photo_id", "library_id", "path")
    )
    current: tuple[int, int] | None = None
    stems: list[str] = []
    for photo_id, library_id, path in files.iterator(chunk_size=BATCH):
        if current is not None and current[0] != photo_id:
            yield from term_rows(Field.FILE, current[0], " ".join(stems), current[1])
            stems = []
        current = (photo_id, library_id)
        stems.append(file_stem(path))
    if current is not None:
        yield from term_rows(Field.FILE, current[0], " ".join(stems), current[1])


def reindex_all() -> int:
    """Rebuild the whole index from the names in the database; returns the rows written."""
    written = 0
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        batch: list[SearchTerm] = []
        for row in _all_rows():
            batch.append(row)
            if len(batch) >= BATCH:
                SearchTerm.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        SearchTerm.objects.bulk_create(batch)
        written += len(batch)
    return written


def reindex_if_empty() -> None:
    """The backfill after ``migrate``: index every name when nothing is indexed yet."""
    if SearchTerm.objects.exists():
        return
    if Camera.objects.exists() or Lens.objects.exists() or PhotoFile.objects.exists():
        reindex_all()
        return
    for label in ("classifiers.Tag", "faces.Person", "albums.Album"):
        model = _model(label)
        if model is not None and model._default_manager.exists():
            reindex_all()
            return
