"""A photo's facts (date taken, camera, lens, exposure, place, size…) from its file's metadata.

Recording a file and choosing another version of a photo both copy the facts of the photo's
preferred file onto it, through :func:`photo_apply_metadata`.

The photo's size is its preferred file's size as displayed (``PhotoFile.width``/``height``:
what the metadata declares, or for a RAW once developed, the developed picture's), turned by
the person's own rotation.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Q, Value, When

from photonix.library.models import EDITED_FACTS, Camera, Lens, Photo, PhotoFile
from photonix.media.metadata import Metadata

_QUARTER_TURN = Q(user_rotation=90) | Q(user_rotation=270)


def _camera(meta: Metadata) -> Camera | None:
    if not (meta.camera_make or meta.camera_model):
        return None
    camera, _ = Camera.objects.get_or_create(
        make=(meta.camera_make or "")[:100], model=(meta.camera_model or "")[:150]
    )
    return camera


def _lens(meta: Metadata) -> Lens | None:
    if not meta.lens:
        return None
    lens, _ = Lens.objects.get_or_create(name=meta.lens[:200])
    return lens


def photo_size_set(photo_id: int, width: int | None, height: int | None) -> None:
    """Set the photo's size from its preferred file's (``width`` x ``height`` as displayed),
    turned by the person's rotation as the row has it when it is written: a rotation saved
    meanwhile is not undone."""
    Photo.objects.filter(pk=photo_id).update(
        width=Case(When(_QUARTER_TURN, then=Value(height)), default=Value(width)),
        height=Case(When(_QUARTER_TURN, then=Value(width)), default=Value(height)),
    )


def photo_apply_metadata(photo: Photo, meta: Metadata, file: PhotoFile) -> None:
    """Copy the facts of the photo's preferred ``file`` (read as ``meta``) onto the photo.

    The facts a person set (``Photo.edited``) stay as they are: re-reading a file never undoes
    an edit.
    """
    kept = {
        column: getattr(photo, column)
        for fact in photo.edited or []
        for column in EDITED_FACTS.get(fact, ())
    }
    taken = meta.taken_at
    if taken is None:
        photo.taken_local, photo.taken_offset = None, None
    else:
        offset = taken.utcoffset()
        photo.taken_offset = None if offset is None else int(offset.total_seconds() // 60)
        photo.taken_local = taken.replace(tzinfo=dt.UTC)
    photo.taken_source = meta.taken_at_source or ""
    photo.camera = _camera(meta)
    photo.lens = _lens(meta)
    photo.aperture = meta.aperture
    photo.exposure_time = meta.exposure_time
    photo.iso = meta.iso
    photo.focal_length = meta.focal_length
    photo.focal_length_35mm = meta.focal_length_35mm
    photo.flash_fired = meta.flash_fired
    photo.metering_mode = (meta.metering_mode or "")[:50]
    photo.drive_mode = (meta.drive_mode or "")[:50]
    photo.exposure_program = (meta.exposure_program or "")[:50]
    photo.latitude = meta.latitude
    photo.longitude = meta.longitude
    photo.altitude = meta.altitude
    photo.width, photo.height = file.width, file.height
    if (photo.user_rotation or 0) % 180 == 90:
        photo.width, photo.height = photo.height, photo.width
    photo.orientation = meta.orientation
    photo.rating = meta.rating
    photo.title = (meta.title or "")[:500]
    photo.description = meta.description or ""
    photo.artist = (meta.artist or "")[:200]
    photo.keywords = list(meta.keywords)
    for column, value in kept.items():
        setattr(photo, column, value)
