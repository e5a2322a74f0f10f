"""What metadata classifiers (places, events) need to know about a photo, without its pixels.

The pipeline hands a classifier only the preview image. Classifiers that work from metadata read
the photo the running task is about: the Celery signals put its id in a context variable for the
task's duration (the same one every log line carries).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UserDate:
    """A date a person gave a name to: a birthday (``yearly``), or a one-off day."""

    name: str
    date: dt.date
    yearly: bool = True


@dataclass(frozen=True)
class PhotoFacts:
    latitude: float | None = None
    longitude: float | None = None
    taken_local: dt.datetime | None = None  # wall clock, naive
    taken_offset: int | None = None  # minutes east of UTC, when recorded
    taken_source: str = ""
    user_dates: tuple[UserDate, ...] = field(default_factory=tuple)


def facts_for(photo_id: int) -> PhotoFacts:
    from photonix.classifiers.models import CalendarEvent
    from photonix.library.models import Photo
    from photonix.pipeline.base import PermanentError

    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        raise PermanentError(f"photo {photo_id} no longer exists")
    dates = tuple(
        UserDate(e.name, e.date, e.yearly)
        for e in CalendarEvent.objects.filter(library_id=photo.library_id)
    )
    return PhotoFacts(
        latitude=photo.latitude,
        longitude=photo.longitude,
        taken_local=photo.taken_local.replace(tzinfo=None) if photo.taken_local else None,
        taken_offset=photo.taken_offset,
        taken_source=photo.taken_source,
        user_dates=dates,
    )


def current_facts() -> PhotoFacts:
    """The facts of the photo the running task works on."""
    from photonix.logconfig import photo_id_var
    from photonix.pipeline.base import PermanentError

    photo_id = photo_id_var.get()
    if photo_id is None:
        raise PermanentError("this classifier works from a photo's metadata: no photo in context")
    return facts_for(photo_id)
