"""Read queries for tags, each scoped to the libraries a user belongs to."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from photonix.classifiers.models import CalendarEvent, PhotoTag, Tag
from photonix.core.models import User
from photonix.library import selectors as library_selectors

SHOWN = (PhotoTag.Verdict.AUTO, PhotoTag.Verdict.ADDED, PhotoTag.Verdict.CONFIRMED)


def photo_tags_for(user: User, photo_id: int, *, rejected: bool = False) -> QuerySet[PhotoTag]:
    """The tags of one photo the user may see, most confident first."""
    verdicts = (*SHOWN, PhotoTag.Verdict.REJECTED) if rejected else SHOWN
    return (
        PhotoTag.objects.filter(
            photo_id=photo_id,
            photo__library__in=library_selectors.libraries_for(user).values("pk"),
            verdict__in=verdicts,
        )
        .select_related("tag", "tag__parent")
        .order_by("tag__type", "-significance", "-confidence", "tag__name")
    )


def library_tags_for(user: User, library_id: int, tag_type: str | None = None) -> QuerySet[Tag]:
    """A library's tags with how many photos carry each (rejected ones do not count)."""
    tags = Tag.objects.filter(
        library_id=library_id,
        library__in=library_selectors.libraries_for(user).values("pk"),
    )
    if tag_type:
        tags = tags.filter(type=tag_type)
    return (
        tags.annotate(
            photo_count=Count(
                "photo_tags__photo",
                filter=Q(photo_tags__verdict__in=SHOWN),
                distinct=True,
            )
        )
        .filter(photo_count__gt=0)
        .order_by("-photo_count", "type", "name")
    )


def calendar_events_for(user: User, library_id: int) -> QuerySet[CalendarEvent]:
    return CalendarEvent.objects.filter(
        library_id=library_id,
        library__in=library_selectors.libraries_for(user).values("pk"),
    ).order_by("date", "name")
