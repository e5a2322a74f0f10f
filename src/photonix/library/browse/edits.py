"""A person's changes to photos: rating, hiding, rotating, tagging, choosing the preferred
version, and the facts they correct (date and time with its zone, place, title, description).

These are the only code paths that write them, so the follow-up work (re-rendering the
thumbnails after a rotation, reprocessing after a new preferred version, writing the edited
facts to the photo's XMP sidecars) cannot be forgotten. Callers check the user's role first
(:func:`editable_library_ids`).

An edited fact is named in ``Photo.edited``: recording the file again (a rescan, "reprocess
all", another version) keeps it. It is also written, after the edit commits, to an XMP sidecar
next to each version's file (or into the file, when the library says so), where other programs
and a later import read it; a write that fails leaves the edit in the database and says why in
``Photo.sidecar_error``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from photonix.classifiers.models import PhotoTag, Tag
from photonix.core import work
from photonix.core.errors import PhotonixError
from photonix.core.models import User
from photonix.library.browse import people
from photonix.library.facts import photo_apply_metadata
from photonix.library.models import LibraryMember, Photo, PhotoFile
from photonix.media import metadata
from photonix.media.exiftool import ExifTool
from photonix.media.metadata import Edits, MetadataWriteError, parse, write_edits

logger = logging.getLogger(__name__)

EDITOR_ROLES = (LibraryMember.Role.OWNER, LibraryMember.Role.EDITOR)
ROTATIONS = (0, 90, 180, 270)
TURNS = (-270, -180, -90, 90, 180, 270)
#: The facts a person may set (``Photo.edited``), each written to the sidecar.
FACTS = ("taken", "location", "rating", "title", "description")
#: How far a date may be shifted at once: a century either way.
MAX_SHIFT_MINUTES = 100 * 366 * 24 * 60
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


class EditError(PhotonixError):
    """An edit that cannot be made as asked (a date out of range, a place off the globe)."""


def _mark(photo: Photo, fact: str, fields: list[str]) -> None:
    if fact not in photo.edited:
        photo.edited = [*photo.edited, fact]
    if "edited" not in fields:
        fields.append("edited")


def _facts_apply(photo: Photo, changes: Mapping[str, Any], fields: list[str]) -> bool:
    """Apply the fact changes in ``changes`` to ``photo`` (not saved); True when any applied.

    ``taken_at`` sets the date and time (aware: its zone too; naive: the zone is unknown);
    ``taken_shift`` then moves it by that many minutes (the zone stays); ``taken_offset`` then
    sets the zone (minutes east of UTC, or None: unknown), keeping the clock time.
    ``location`` is ``(latitude, longitude, altitude)`` or None (no place); ``title`` and
    ``description`` are text.
    """
    changed = False
    if "taken_at" in changes or "taken_shift" in changes or "taken_offset" in changes:
        local, offset = photo.taken_local, photo.taken_offset
        if "taken_at" in changes:
            taken: dt.datetime = changes["taken_at"]
            utc_offset = taken.utcoffset()
            offset = None if utc_offset is None else int(utc_offset.total_seconds() // 60)
            local = taken.replace(tzinfo=dt.UTC)
        if changes.get("taken_shift"):
            if local is None:
                raise EditError(
                    "a photo with no date cannot be shifted: set its date", field="taken_shift"
                )
            try:
                local = local + dt.timedelta(minutes=int(changes["taken_shift"]))
            except OverflowError as exc:
                raise EditError("the shifted date is out of range", field="taken_shift") from exc
        if "taken_offset" in changes:
            offset = changes["taken_offset"]
        if local is None or not (1826 <= local.year <= 9998):
            raise EditError("a date taken is between the years 1826 and 9998", field="taken_at")
        photo.taken_local, photo.taken_offset = local, offset
        photo.taken_source = metadata.PERSON_SOURCE
        fields += ["taken_local", "taken_offset", "taken_source"]
        _mark(photo, "taken", fields)
        changed = True
    if "location" in changes:
        location = changes["location"]
        if location is None:
            photo.latitude = photo.longitude = photo.altitude = None
        else:
            latitude, longitude, altitude = location
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise EditError(
                    "a place is a latitude in -90..90 and a longitude in -180..180",
                    field="location",
                )
            photo.latitude, photo.longitude, photo.altitude = latitude, longitude, altitude
        fields += ["latitude", "longitude", "altitude"]
        _mark(photo, "location", fields)
        changed = True
    for text in ("title", "description"):
        if text in changes:
            setattr(photo, text, str(changes[text] or "").strip())
            fields.append(text)
            _mark(photo, text, fields)
            changed = True
    return changed


@transaction.atomic
def photo_update(photo: Photo, changes: Mapping[str, Any]) -> Photo:
    """Change what a person decides about one photo: ``rating``, ``hidden``, ``rotation`` (the
    absolute rotation) or ``turn`` (degrees clockwise added to the rotation the photo has when
    the change is made: quick turns in a row all count), and the facts of
    :func:`_facts_apply`.

    Only the keys present change. The row is locked for the change, so two edits at once both
    land. A new rotation swaps the displayed width and height when it turns the photo a
    quarter, and re-renders the thumbnails; an edited fact or rating is written to the
    sidecars after commit.
    """
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    fields: list[str] = []
    if "rating" in changes:
        photo.rating = changes["rating"]
        fields.append("rating")
        _mark(photo, "rating", fields)
    if "hidden" in changes:
        photo.hidden = bool(changes["hidden"])
        fields.append("hidden")
    facts = _facts_apply(photo, changes, fields)
    rotation = int(changes.get("rotation", photo.user_rotation)) % 360
    if "turn" in changes:
        rotation = (photo.user_rotation + int(changes["turn"])) % 360
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
        photo.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
    if rotated:
        work.process_photo(photo.pk, force_stages=["thumbnails"])
    if facts or "rating" in changes:
        work.write_edits([photo.pk])
    return photo


def photos_edit_facts(photos: QuerySet[Photo], changes: Mapping[str, Any]) -> int:
    """Apply the same fact changes (see :func:`_facts_apply`) to many photos: a date set or
    shifted, a zone, a place. Returns how many photos changed. Each photo's edit is written to
    its sidecars after commit."""
    ids: list[int] = []
    with transaction.atomic():
        for photo in photos.select_for_update().order_by("pk"):
            fields: list[str] = []
            if _facts_apply(photo, changes, fields):
                photo.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
                ids.append(photo.pk)
        work.write_edits(ids)
    return len(ids)


def photo_edits(photo: Photo) -> Edits:
    """What the person set on ``photo``, as it is to be written to its sidecars."""
    edited = set(photo.edited or [])
    clear = set()
    location = None
    if "location" in edited:
        if photo.latitude is None or photo.longitude is None:
            clear.add("location")
        else:
            location = (photo.latitude, photo.longitude, photo.altitude)
    if "rating" in edited and photo.rating is None:
        clear.add("rating")
    for text in ("title", "description"):
        if text in edited and not getattr(photo, text):
            clear.add(text)
    return Edits(
        taken_at=photo.taken_at if "taken" in edited else None,
        location=location,
        rating=photo.rating if "rating" in edited else None,
        title=photo.title if "title" in edited and photo.title else None,
        description=photo.description if "description" in edited and photo.description else None,
        clear=frozenset(clear),
    )


def photo_write_edits(photo_id: int, exiftool: ExifTool) -> str:
    """Write the person's edits of a photo to each of its versions' sidecars (or, when its
    library says so, into the files). Returns what went wrong, in words ("" when nothing did);
    the same is kept in ``Photo.sidecar_error`` for the viewer to show.

    A sidecar written here gets its new modification time recorded, so the next scan does not
    take it for someone else's change.
    """
    photo = Photo.objects.select_related("library").filter(pk=photo_id).first()
    if photo is None or not photo.edited:
        return ""
    edits = photo_edits(photo)
    original = photo.library.write_originals
    problems: list[str] = []
    for file in photo.files.filter(state=PhotoFile.State.OK).order_by("pk"):
        try:
            written = write_edits(exiftool, Path(file.path), edits, original=original)
        except MetadataWriteError as exc:
            problems.append(str(exc))
            logger.warning("edits of photo %s not written: %s", photo_id, exc)
            continue
        if not original:
            try:
                mtime_ns = written.stat().st_mtime_ns
            except OSError:
                continue
            PhotoFile.objects.filter(pk=file.pk).update(sidecar_mtime_ns=mtime_ns)
    error = "; ".join(problems)
    Photo.objects.filter(pk=photo_id).update(sidecar_error=error)
    return error


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
        rated = 0
        for photo in photos.select_for_update().order_by("pk"):
            fields = ["rating"]
            photo.rating = options.get("rating")
            _mark(photo, "rating", fields)
            photo.save(update_fields=[*fields, "updated_at"])
            rated += 1
        work.write_edits(list(photos.values_list("pk", flat=True)))
        return rated
    if action == "edit":
        return photos_edit_facts(photos, options)
    if action in ("hide", "unhide"):
        return photos.update(hidden=action == "hide")
    if action == "tag":
        return _tag_photos(photos, str(options["tag"]).strip()[:200])
    if action == "untag":
        return _untag_photos(photos, str(options["tag"]).strip())
    raise ValueError(f"unknown action {action!r}")
