"""Events: calendar rules on the local date a photo was taken.

The day that counts is the one the photographer saw. ``taken_local`` is that wall clock, except
when the time came from a UTC source — the GPS clock or the file's modification time — where the
photo's local time zone is found from its GPS position (``timezonefinder``). A photo at 23:30 on
24 December in New York (UTC−5) is Christmas Eve there, though it is 25 December in UTC.

Built-in events: Christmas Eve (24 Dec), Christmas (25 Dec), New Year's Eve (31 Dec), New Year's
Day (1 Jan), Halloween (31 Oct), Valentine's Day (14 Feb). People add their own dates per library
(birthdays, anniversaries: yearly from their first year; or a single day).
Confidence is 1.0 for a camera clock or a recorded zone, 0.5 when the date is only the file's
modification time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from photonix.classifiers.facts import PhotoFacts, UserDate
from photonix.classifiers.interface import Prediction

if TYPE_CHECKING:
    from PIL.Image import Image

FIXED: Final[dict[tuple[int, int], str]] = {
    (12, 24): "Christmas Eve",
    (12, 25): "Christmas",
    (12, 31): "New Year's Eve",
    (1, 1): "New Year's Day",
    (10, 31): "Halloween",
    (2, 14): "Valentine's Day",
}
UTC_SOURCES: Final = ("gps", "mtime")


def _zone_at(lat: float, lon: float) -> dt.tzinfo | None:
    from photonix.classifiers.places import geocoder

    name = geocoder().timezone(lat, lon)
    if name is None:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except zoneinfo.ZoneInfoNotFoundError:
        return None


def local_time(facts: PhotoFacts) -> dt.datetime | None:
    """The wall-clock time where the photo was taken, as well as it can be known."""
    if facts.taken_local is None:
        return None
    wall = facts.taken_local.replace(tzinfo=None)
    if facts.taken_source not in UTC_SOURCES:
        return wall
    if facts.latitude is None or facts.longitude is None:
        return wall  # a UTC time and nowhere to place it: the best guess we have
    zone = _zone_at(facts.latitude, facts.longitude)
    if zone is None:
        return wall
    offset = dt.timedelta(minutes=facts.taken_offset or 0)
    instant = (wall - offset).replace(tzinfo=dt.UTC)
    return instant.astimezone(zone).replace(tzinfo=None)


def events_on(day: dt.date, user_dates: Iterable[UserDate] = ()) -> list[str]:
    """Names of the events that fall on ``day``."""
    found = []
    if name := FIXED.get((day.month, day.day)):
        found.append(name)
    for event in user_dates:
        if event.yearly:
            same = (event.date.month, event.date.day) == (day.month, day.day) or (
                # 29 February birthdays are kept on 28 February in other years
                (event.date.month, event.date.day) == (2, 29)
                and (day.month, day.day) == (2, 28)
                and not _leap(day.year)
            )
            if same and day.year >= event.date.year:
                found.append(event.name)
        elif event.date == day:
            found.append(event.name)
    return found


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def event_predictions(facts: PhotoFacts) -> list[Prediction]:
    when = local_time(facts)
    if when is None:
        return []
    confidence = 0.5 if facts.taken_source == "mtime" else 1.0
    return [
        Prediction("event", name, confidence=confidence)
        for name in events_on(when.date(), facts.user_dates)
    ]


class EventClassifier:
    name = "event"
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        pass

    def predict_facts(self, facts: PhotoFacts) -> list[Prediction]:
        return event_predictions(facts)

    def predict(self, image: Image) -> list[Prediction]:
        from photonix.classifiers.facts import current_facts

        return self.predict_facts(current_facts())
