"""A photo's facts (date taken, camera, lens, exposure, place, size…) from its file's metadata.

Recording a file and choosing another version of a photo both copy the facts of the photo's
preferred file onto it, through :func:`photo_apply_metadata`.
"""

from __future__ import annotations

import datetime as dt

from photonix.library.models import Camera, Lens, Photo
from photonix.media.metadata import Metadata


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


def photo_apply_metadata(photo: Photo, meta: Metadata) -> None:
    """Copy the facts of the photo's preferred file onto the photo."""
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
    photo.width = meta.width
    photo.height = meta.height
    photo.orientation = meta.orientation
    photo.rating = meta.rating
    photo.description = meta.description or ""
    photo.artist = (meta.artist or "")[:200]
    photo.keywords = list(meta.keywords)
