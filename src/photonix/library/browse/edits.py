"""A person's changes to photos: rating, hiding, rotating, tagging, choosing the preferred version.

These are the only code paths that write them, so the follow-up work (re-rendering the
thumbnails after a rotation, reprocessing after a new preferred version) cannot be forgotten.
Callers check the user's role first (:func:`editable_library_ids`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from photonix.classifiers.models import PhotoTag, Tag
from photonix.core import work
from photonix.core.models import User
from photonix.library.browse import people
from photonix.library.facts import photo_apply_metadata
from photonix.library.models import LibraryMember, Photo, PhotoFile
from photonix.media.metadata import parse

logger = logging.getLogger(__name__)

EDITOR_ROLES = (LibraryMember.Role.OWNER, LibraryMember.Role.EDITOR)
ROTATIONS = (0, 90, 180, 270)
PERSON_SOURCE = "person"
KEYWORD = "keyword"
BULK_LIMIT = 1000


def editable_library_ids(user: User) -> set[int]:
    """The libraries whose photos ``user`` may change: those where they are an editor or an
    owner. Being an administrator adds none: inside a library, the role governs (ADR 7)."""
    return set(
        LibraryMember.objects.filter(user=user, role__in=EDITOR_ROLES).values_list(
            "library_id", flat=True
        )
    )


@transaction.atomic
def photo_update(photo: Photo, changes: Mapping[str, Any]) -> Photo:
    """Change what a person decides about one photo: ``rating``, ``hidden``, ``rotation``.

    Only the keys present change. A new rotation swaps the displayed width and height when it
    turns the photo a quarter, and re-renders the thumbnails.
    """
    fields: list[str] = []
    if "rating" in changes:
        photo.rating = changes["rating"]
        fields.append("rating")
    if "hidden" in changes:
        photo.hidden = bool(changes["hidden"])
        fields.append("hidden")
    rotation = int(changes.get("rotation", photo.user_rotation)) % 360
    rotated = rotation != photo.user_rotation
    if rotated:
        turn = (rotation - photo.user_rotation) % 360
        if turn % 180 == 90:
            photo.width, photo.height = photo.height, photo.width
            fields += ["width", "height"]
        photo.user_rotation = rotation
        fields.append("user_rotation")
        _boxes_rotate(photo, turn)
    if fields:
        photo.save(update_fields=[*fields, "updated_at"])
    if rotated:
        work.process_photo(photo.pk, force_stages=["thumbnails"])
    return photo


@transaction.atomic
def photo_prefer_file(photo: Photo, file: PhotoFile) -> Photo:
    """Make ``file`` (a version of ``photo``) the one its facts and thumbnails come from.

    The choice is remembered, so recording the other versions again does not undo it. The
    person's rating survives the change of facts; everything derived is redone.
    """
    if file.photo_id != photo.pk:
        raise ValueError(f"file {file.pk} is not a version of photo {photo.pk}")
    rating = photo.rating
    photo.preferred_file = file
    photo.preferred_by_user = True
    try:
        meta = parse(file.metadata, path=Path(file.path), mtime=file.mtime_ns / 1e9)
    except Exception:  # the file's stored metadata is odd: keep the facts, still switch
        logger.exception("could not re-read the facts of %s", file.path)
    else:
        photo_apply_metadata(photo, meta, file)
        if rating is not None:
            photo.rating = rating
    photo.save()
    work.process_photo(photo.pk, force_stages=["*"])
    return photo


Box = tuple[float, float, float, float]


def box_rotate(box: Box, turn: int) -> Box:
    """Where a box (x, y, width, height as fractions of the displayed image) lands after the
    image is turned ``turn`` degrees clockwise (a multiple of 90)."""
    x, y, w, h = box
    match turn % 360:
        case 90:  # the top edge becomes the right edge
            return (1 - y - h, x, h, w)
        case 180:
            return (1 - x - w, 1 - y - h, w, h)
        case 270:  # the top edge becomes the left edge
            return (y, 1 - x - w, h, w)
        case 0:
            return box
    raise ValueError(f"a rotation is a multiple of 90 degrees, not {turn!r}")


def _clean(box: Box) -> Box:
    # 1 - 0.3 - 0.2 is 0.49999999999999994: keep stored fractions as exact as they came in.
    return tuple(round(v, 12) for v in box)  # type: ignore[return-value]


def _boxes_rotate(photo: Photo, turn: int) -> None:
    """Turn the photo's face boxes and tag boxes with the photo, so they stay on what they mark.

    Runs in the caller's transaction with the new rotation, so a box never disagrees with it.
    """
    face_model = people.face_model()  # the faces app may not be installed
    if face_model is not None:
        faces: list[Any] = list(face_model._default_manager.select_for_update().filter(photo=photo))
        for face in faces:
            face.x, face.y, face.width, face.height = _clean(box_rotate(face.box, turn))
        face_model._default_manager.bulk_update(faces, ["x", "y", "width", "height"])
    tags = list(PhotoTag.objects.select_for_update().filter(photo=photo).exclude(box__isnull=True))
    changed = []
    for photo_tag in tags:
        box = photo_tag.box
        if isinstance(box, list | tuple) and len(box) == 4:
            x, y, w, h = (float(v) for v in box)
            photo_tag.box = list(_clean(box_rotate((x, y, w, h), turn)))
            changed.append(photo_tag)
    PhotoTag.objects.bulk_update(changed, ["box"])


def _tag_photos(photos: QuerySet[Photo], name: str) -> int:
    """Put the keyword ``name`` on every photo (a classifier's guess becomes confirmed)."""
    rows = list(photos.values_list("pk", "library_id"))
    tags: dict[int, Tag] = {}
    for library_id in {library_id for _, library_id in rows}:
        tags[library_id], _ = Tag.objects.get_or_create(
            library_id=library_id, type=KEYWORD, name=name
        )
    existing = PhotoTag.objects.filter(
        photo_id__in=[pk for pk, _ in rows], tag__in=list(tags.values())
    )
    have = set(existing.values_list("photo_id", flat=True))
    existing.filter(verdict=PhotoTag.Verdict.AUTO).update(verdict=PhotoTag.Verdict.CONFIRMED)
    existing.filter(verdict=PhotoTag.Verdict.REJECTED).update(verdict=PhotoTag.Verdict.ADDED)
    PhotoTag.objects.bulk_create(
        PhotoTag(
            photo_id=pk,
            tag=tags[library_id],
            source=PERSON_SOURCE,
            verdict=PhotoTag.Verdict.ADDED,
        )
        for pk, library_id in rows
        if pk not in have
    )
    return len(rows)


def _untag_photos(photos: QuerySet[Photo], name: str) -> int:
    """Take the tags named ``name`` (of any type) off the photos.

    What a person added goes; what a classifier found is rejected, so it is not put back.
    """
    rows = PhotoTag.objects.filter(photo__in=photos.values("pk"), tag__name__iexact=name).exclude(
        verdict=PhotoTag.Verdict.REJECTED
    )
    touched = len(set(rows.values_list("photo_id", flat=True)))
    rows.filter(verdict=PhotoTag.Verdict.ADDED).delete()
    rows.update(verdict=PhotoTag.Verdict.REJECTED)
    return touched


@transaction.atomic
def photos_bulk(photos: QuerySet[Photo], action: str, **options: Any) -> int:
    """Apply one action to many photos; returns how many photos it changed."""
    if action == "rate":
        return photos.update(rating=options.get("rating"))
    if action in ("hide", "unhide"):
        return photos.update(hidden=action == "hide")
    if action == "tag":
        return _tag_photos(photos, str(options["tag"]).strip()[:200])
    if action == "untag":
        return _untag_photos(photos, str(options["tag"]).strip())
    raise ValueError(f"unknown action {action!r}")
