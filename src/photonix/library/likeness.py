"""A photo's likeness (perceptual hash and quality numbers), stored by the ``similar`` stage."""

from __future__ import annotations

from photonix.library.models import Photo, PhotoLikeness
from photonix.media.similarity import Likeness


def photo_likeness_set(photo: Photo, likeness: Likeness) -> None:
    """Store (or replace) what ``photonix.media.similarity.measure`` found in the photo."""
    PhotoLikeness.objects.update_or_create(
        photo=photo,
        defaults={
            "phash": likeness.phash,
            "sharpness": likeness.sharpness,
            "exposure": likeness.exposure,
            "brightness": likeness.brightness,
        },
    )
