"""Storing what classifiers predict, without ever undoing what a person decided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q

from photonix.classifiers.models import CalendarEvent, ClassifierSwitch, PhotoTag, Tag
from photonix.classifiers.registry import Prediction
from photonix.core import work
from photonix.library.models import Photo


def _tag(library_id: int, tag_type: str, name: str, parents: Sequence[str]) -> Tag:
    parent: Tag | None = None
    for parent_name in reversed(parents):  # broadest first: "animal" → "cat"
        parent, _ = Tag.objects.get_or_create(
            library_id=library_id,
            type=tag_type,
            name=parent_name[:200],
            defaults={"parent": parent},
        )
    tag, created = Tag.objects.get_or_create(
        library_id=library_id, type=tag_type, name=name[:200], defaults={"parent": parent}
    )
    if not created and parent is not None and tag.parent_id is None:
        Tag.objects.filter(pk=tag.pk).update(parent=parent)
    return tag


@transaction.atomic
def photo_store_predictions(
    photo: Photo, source: str, version: int, predictions: Sequence[Prediction]
) -> int:
    """Replace ``source``'s automatic tags on ``photo`` with ``predictions``. Idempotent.

    One row per tag, the surest, for predictions without a box; a detector's boxes each keep a
    row of their own (two people are two boxes of one tag).
    """
    decided = dict(
        PhotoTag.objects.filter(photo=photo)
        .exclude(verdict=PhotoTag.Verdict.AUTO)
        .values_list("tag_id", "verdict")
    )
    PhotoTag.objects.filter(photo=photo, source=source, verdict=PhotoTag.Verdict.AUTO).delete()
    rows: dict[tuple[int, tuple[float, ...] | None], PhotoTag] = {}
    for prediction in predictions:
        tag = _tag(photo.library_id, prediction.tag_type, prediction.name, prediction.parents)
        if tag.pk in decided:  # a person added, confirmed or rejected it: theirs to keep
            continue
        key = (tag.pk, tuple(prediction.box) if prediction.box else None)
        current = rows.get(key)
        if current is not None and current.confidence >= prediction.confidence:
            continue
        rows[key] = PhotoTag(
            photo=photo,
            tag=tag,
            source=source,
            confidence=prediction.confidence,
            significance=prediction.significance,
            box=list(prediction.box) if prediction.box else None,
            version=version,
        )
    PhotoTag.objects.bulk_create(rows.values())
    return len(rows)


PERSON = "person"


def _decide(photo: Photo, tag: Tag, verdict: str) -> PhotoTag:
    """Leave one row for ``tag`` on ``photo``, carrying a person's ``verdict``."""
    rows = list(PhotoTag.objects.filter(photo=photo, tag=tag).order_by("-confidence", "pk"))
    if rows:
        kept = rows[0]
        PhotoTag.objects.filter(pk__in=[r.pk for r in rows[1:]]).delete()
        kept.verdict = verdict
        kept.save(update_fields=["verdict"])
        return kept
    return PhotoTag.objects.create(photo=photo, tag=tag, source=PERSON, verdict=verdict)


@transaction.atomic
def photo_tag_add(photo: Photo, tag_type: str, name: str) -> PhotoTag:
    """A person puts a tag on a photo (a classifier's own guess for it becomes confirmed)."""
    tag = _tag(photo.library_id, tag_type, name.strip(), ())
    existing = PhotoTag.objects.filter(photo=photo, tag=tag).exclude(
        verdict=PhotoTag.Verdict.REJECTED
    )
    verdict = PhotoTag.Verdict.CONFIRMED if existing.exists() else PhotoTag.Verdict.ADDED
    return _decide(photo, tag, verdict)


@transaction.atomic
def photo_tag_confirm(photo: Photo, tag: Tag) -> PhotoTag:
    """A person says a tag is right: reprocessing keeps it."""
    return _decide(photo, tag, PhotoTag.Verdict.CONFIRMED)


@transaction.atomic
def photo_tag_reject(photo: Photo, tag: Tag) -> PhotoTag:
    """A person says a tag is wrong: it is hidden, and no classifier puts it back."""
    return _decide(photo, tag, PhotoTag.Verdict.REJECTED)


def classifier_switch_set(library_id: int, name: str, enabled: bool) -> bool:
    """Switch a classifier on or off for a library; switching on runs it where it is missing.

    Returns whether anything changed.
    """
    with transaction.atomic():
        switch, created = ClassifierSwitch.objects.get_or_create(
            library_id=library_id, name=name, defaults={"enabled": enabled}
        )
        changed = created and not enabled
        if not created and switch.enabled != enabled:
            ClassifierSwitch.objects.filter(pk=switch.pk).update(enabled=enabled)
            changed = True
        if changed and enabled:
            work.process_library(library_id)
    return changed


def calendar_event_add(library_id: int, name: str, date: dt.date, *, yearly: bool) -> CalendarEvent:
    """Name a date (a birthday) in a library; its photos get the event tag."""
    from photonix.classifiers.events import EventClassifier

    with transaction.atomic():
        event, _ = CalendarEvent.objects.get_or_create(
            library_id=library_id, name=name.strip(), date=date, defaults={"yearly": yearly}
        )
        photos = Photo.objects.filter(library_id=library_id, taken_local__isnull=False)
        # A day's margin either side: the event classifier decides with the photo's time zone.
        days = [date + dt.timedelta(days=d) for d in (-1, 0, 1)]
        match = Q()
        for day in days:
            if yearly:
                match |= Q(taken_local__month=day.month, taken_local__day=day.day)
            else:
                match |= Q(taken_local__date=day)
        ids = list(photos.filter(match).values_list("pk", flat=True))
        if ids:
            work.process_photos(ids, force_stages=[f"classify:{EventClassifier.name}"])
    return event


@transaction.atomic
def calendar_event_remove(event: CalendarEvent) -> None:
    """Forget a named date, and the tags it gave (those a person confirmed stay)."""
    PhotoTag.objects.filter(
        tag__library_id=event.library_id,
        tag__type="event",
        tag__name=event.name,
        verdict=PhotoTag.Verdict.AUTO,
    ).delete()
    event.delete()
