"""Stacks: photos of one picture shown as one, their cover, with a count.

A stack is its cover and the photos whose ``stacked_under`` is the cover. The timeline, search,
facets and the map show the cover only (``filters.filter_q``), with ``stack_count``; opening the
stack lists them all; undoing it puts every photo back. Nothing is deleted: a stack only hides.
Changing a stack asks for an editor's or an owner's role in its library.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from photonix.core.errors import Category, PhotonixError
from photonix.core.models import User
from photonix.library.browse.duplicates import Shot, score
from photonix.library.browse.edits import editable_library_ids
from photonix.library.browse.visibility import visible_photos
from photonix.library.models import Photo, PhotoLikeness

MAX_STACK = 1000


class StackInvalidError(PhotonixError):
    """A stack that cannot be made of these photos."""


class StackNotFoundError(PhotonixError):
    category = Category.NOT_FOUND
    default_message = "No such stack."


class StackForbiddenError(PhotonixError):
    category = Category.FORBIDDEN
    default_message = "Your role in this library does not allow changing its photos."


def best_of(photo_ids: Sequence[int]) -> int:
    """The photo a group keeps when the person does not choose: the first of its ranking."""
    rows = PhotoLikeness.objects.filter(photo_id__in=photo_ids).values_list(
        "photo_id", "phash", "sharpness", "exposure", "photo__width", "photo__height"
    )
    shots = [
        Shot(pk, phash, sharpness=sharp, exposure=exposure, pixels=(w or 0) * (h or 0))
        for pk, phash, sharp, exposure, w, h in rows
    ]
    if not shots:  # not measured yet: the first asked for
        return photo_ids[0]
    ranked = sorted(zip(score(shots), shots, strict=True), key=lambda p: (-p[0], p[1].id))
    return ranked[0][1].id


@transaction.atomic
def stack_create(user: User, photo_ids: Sequence[int], cover_id: int | None = None) -> int:
    """Stack ``photo_ids`` under ``cover_id`` (by default the best of them); returns the cover.

    Stacks among them are merged into the new one. Every photo must be one the user sees, all
    of one library (:class:`StackNotFoundError` or :class:`StackInvalidError` otherwise).
    """
    ids = list(dict.fromkeys(photo_ids))
    if len(ids) < 2:
        raise StackInvalidError("A stack needs at least two photos.", field="photos")
    if len(ids) > MAX_STACK:
        raise StackInvalidError(f"A stack holds at most {MAX_STACK} photos.", field="photos")
    photos = list(visible_photos(user).filter(pk__in=ids).select_for_update())
    if len(photos) != len(ids):
        raise StackNotFoundError("Some of these photos do not exist.")
    libraries = {p.library_id for p in photos}
    if len(libraries) > 1:
        raise StackInvalidError("The photos of a stack must be of one library.", field="photos")
    if not libraries <= editable_library_ids(user):
        raise StackForbiddenError
    if cover_id is None:
        cover_id = best_of(ids)
    elif cover_id not in ids:
        raise StackInvalidError("The cover must be one of the stack's photos.", field="cover")
    # Photos stacked under any of them come along (two stacks merged, or a stack grown).
    Photo.objects.filter(stacked_under_id__in=ids).update(stacked_under_id=cover_id)
    Photo.objects.filter(pk__in=ids).exclude(pk=cover_id).update(stacked_under_id=cover_id)
    Photo.objects.filter(pk=cover_id).update(stacked_under_id=None)
    return cover_id


def _cover(user: User, cover_id: int) -> Photo:
    cover = visible_photos(user).filter(pk=cover_id, stacked_under__isnull=True).first()
    if cover is None or not Photo.objects.filter(stacked_under_id=cover_id).exists():
        raise StackNotFoundError
    return cover


def stack_photos(user: User, cover_id: int) -> list[Photo]:
    """The photos of the stack whose cover is ``cover_id``: the cover first, then the others
    newest first."""
    cover = _cover(user, cover_id)
    others = Photo.objects.filter(stacked_under_id=cover_id).order_by("-taken_local", "-id")
    return [cover, *others]


@transaction.atomic
def stack_undo(user: User, cover_id: int) -> int:
    """Unstack: every photo of the stack is on the timeline again. Returns how many came back."""
    cover = _cover(user, cover_id)
    if cover.library_id not in editable_library_ids(user):
        raise StackForbiddenError
    return Photo.objects.filter(stacked_under_id=cover_id).update(stacked_under_id=None)
