"""People on photos, read from the ``photonix.faces`` app when it is installed.

The library must work with or without faces, so nothing here imports it: the models are looked
up through the app registry, and every function answers "nobody" when the app is absent. A face
whose person a person rejected does not count.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet

from photonix.core.models import User

APP = "photonix.faces"
APP_LABEL: str = "faces"  # looked up at run time: the app may not be installed
# Faces that are not their person: not a face at all, or taken off them by a person.
NOT_THEIRS = ("rejected", "removed", "ignored")


def installed() -> bool:
    return apps.is_installed(APP)


def _models() -> tuple[type[Model], type[Model]] | None:
    if not installed():
        return None
    return apps.get_model(APP_LABEL, "Person"), apps.get_model(APP_LABEL, "Face")


def face_model() -> type[Model] | None:
    """The faces app's Face model, or None when the app is not installed."""
    models = _models()
    return None if models is None else models[1]


def _has_field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _faces(face_model: type[Model]) -> QuerySet[Any]:
    faces = face_model._default_manager.filter(person__isnull=False)
    if _has_field(face_model, "verdict"):
        faces = faces.exclude(verdict__in=NOT_THEIRS)
    return faces


def faces_of(face_model: type[Model]) -> QuerySet[Any]:
    """The faces that are their person's (none taken off them)."""
    return _faces(face_model)


def has_person(person_id: int) -> Exists | None:
    """The photo shows this person (None when faces are not installed)."""
    models = _models()
    if models is None:
        return None
    return Exists(_faces(models[1]).filter(photo_id=OuterRef("pk"), person_id=person_id))


def photos_with_person(person_id: int) -> QuerySet[Any] | None:
    """The ids of the photos ``has_person`` finds, for ``id IN (…)`` (None without faces)."""
    models = _models()
    if models is None:
        return None
    return _faces(models[1]).filter(person_id=person_id).values("photo_id")


def name_q(word: str) -> Q | None:
    """Photos of someone whose name has a word starting with ``word``."""
    models = _models()
    if models is None:
        return None
    person_model, face_model = models
    named = person_model._default_manager.filter(
        Q(name__istartswith=word) | Q(name__icontains=f" {word}")
    )
    return Q(
        Exists(_faces(face_model).filter(photo_id=OuterRef("pk"), person_id__in=named.values("pk")))
    )


def facet(photos: QuerySet[Any]) -> list[dict[str, Any]]:
    """People on ``photos`` with how many of them each is on, most first."""
    models = _models()
    if models is None:
        return []
    _, face_model = models
    # EXISTS from the faces, not ``photo_id IN (photos)``: SQLite computes an IN list first, a
    # scan of every selected photo even when no face has a person yet.
    rows = (
        _faces(face_model)
        .filter(Exists(photos.order_by().filter(pk=OuterRef("photo_id"))))
        .values("person_id", "person__name")
        .annotate(count=Count("photo_id", distinct=True))
        .order_by("-count", "person__name")
    )
    return [{"id": r["person_id"], "name": r["person__name"], "count": r["count"]} for r in rows]


def on_photo(photo_id: int) -> list[dict[str, Any]]:
    """The people on one photo."""
    models = _models()
    if models is None:
        return []
    _, face_model = models
    rows = (
        _faces(face_model)
        .filter(photo_id=photo_id)
        .values_list("person_id", "person__name")
        .distinct()
        .order_by("person__name")
    )
    return [{"id": pk, "name": name} for pk, name in rows]


def on_photos(photo_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The people on each of these photos (one query), for pages of many photos."""
    models = _models()
    if models is None or not photo_ids:
        return {}
    _, face_model = models
    rows = (
        _faces(face_model)
        .filter(photo_id__in=photo_ids)
        .values_list("photo_id", "person_id", "person__name")
        .distinct()
        .order_by("photo_id", "person__name", "person_id")
    )
    people: dict[int, list[dict[str, Any]]] = {}
    for photo_id, pk, name in rows:
        people.setdefault(photo_id, []).append({"id": pk, "name": name})
    return people


def suggest(user: User, text: str, limit: int) -> list[tuple[int, str]]:
    """People named like ``text`` who are on a photo the user can see."""
    models = _models()
    if models is None:
        return []
    from photonix.library.models import LibraryMember

    person_model, face_model = models
    visible_faces = _faces(face_model).filter(
        person_id=OuterRef("pk"),
        photo__library_id__in=LibraryMember.objects.filter(user=user).values("library_id"),
    )
    rows = (
        person_model._default_manager.filter(
            Q(name__istartswith=text) | Q(name__icontains=f" {text}")
        )
        .filter(Exists(visible_faces))
        .order_by("name")
        .values_list("pk", "name")[:limit]
    )
    return [(int(pk), str(name)) for pk, name in rows]


def has_any_person(person_ids: list[int]) -> Exists | None:
    """The photo shows one of these people (None when faces are not installed)."""
    models = _models()
    if models is None:
        return None
    return Exists(_faces(models[1]).filter(photo_id=OuterRef("pk"), person_id__in=person_ids))


def photos_of_people(person_ids: list[int]) -> QuerySet[Any] | None:
    """The ids of the photos ``has_any_person`` finds, for ``id IN (…)`` (None: no faces app)."""
    models = _models()
    if models is None:
        return None
    return _faces(models[1]).filter(person_id__in=person_ids).values("photo_id")
