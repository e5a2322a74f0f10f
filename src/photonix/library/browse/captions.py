"""What a page of photos shows, in a few words: the text a photo's tile is announced by.

"Beach, sunset and sea with Anna and Ben in Lisbon, Portugal": its top tags, the named people on
it and its place. The date is left to the reader's side, which writes it in their language.

A whole page costs one query, whatever its length: the photos' tags and their people are read
together (a ``UNION ALL``), never photo by photo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import CharField, F, FloatField, IntegerField, Value

from photonix.classifiers.models import PhotoTag
from photonix.library.browse import people
from photonix.library.browse.search import SHOWN_VERDICTS

# What a photo shows, most telling kind first; colours and styles say little to a listener.
SUBJECT_TYPES = ("keyword", "object", "event")
MAX_SUBJECTS = 3
MAX_PEOPLE = 3
PERSON = "person"


def _and(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


Row = tuple[str, str, float, int | None, int | None, str | None]


def caption(rows: Iterable[Row]) -> str:
    """One photo's caption from its rows (kind, name, confidence, tag id, parent id and name)."""
    subjects: list[tuple[int, float, str]] = []
    names: list[str] = []
    places: dict[int, tuple[str, int | None, str | None]] = {}
    for kind, name, confidence, tag_id, parent_id, parent_name in rows:
        if kind == PERSON:
            if name and name not in names:
                names.append(name)
        elif kind == "place" and tag_id is not None:
            places[tag_id] = (name, parent_id, parent_name)
        elif kind in SUBJECT_TYPES:
            subjects.append((SUBJECT_TYPES.index(kind), -confidence, name))
    seen: set[str] = set()
    words: list[str] = []
    for _, _, name in sorted(subjects):
        if name.casefold() not in seen and len(words) < MAX_SUBJECTS:
            seen.add(name.casefold())
            words.append(name)
    parts = [_and(words)] if words else []
    if names:
        shown = sorted(names)[:MAX_PEOPLE]
        more = len(names) - len(shown)
        people_text = _and([*shown, f"{more} more"] if more else shown)
        parts.append(f"with {people_text}" if words else people_text)
    place = _place(places)
    if place:
        parts.append(f"in {place}")
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def _place(places: dict[int, tuple[str, int | None, str | None]]) -> str:
    """The most precise place, with the place it lies in: "Lisbon, Portugal"."""
    parents = {parent for _, parent, _ in places.values()}
    leaves = sorted(tag_id for tag_id in places if tag_id not in parents)
    if not leaves:
        return ""
    name, _, parent_name = places[leaves[0]]
    return f"{name}, {parent_name}" if parent_name else name


def captions(photo_ids: Sequence[int]) -> dict[int, str]:
    """Each photo's caption ("" when nothing is known of it), in one query."""
    if not photo_ids:
        return {}
    tags = (
        PhotoTag.objects.filter(
            photo_id__in=photo_ids,
            verdict__in=SHOWN_VERDICTS,
            tag__type__in=(*SUBJECT_TYPES, "place"),
        )
        .order_by()
        .values_list(
            F("photo_id"),
            F("tag__type"),
            F("tag__name"),
            F("confidence"),
            F("tag_id"),
            F("tag__parent_id"),
            F("tag__parent__name"),
        )
    )
    query: Any = tags
    face_model = people.face_model()
    if face_model is not None:
        faces = (
            people.faces_of(face_model)
            .filter(photo_id__in=photo_ids)
            .exclude(person__name="")
            .order_by()
            .values_list(
                F("photo_id"),
                Value(PERSON, output_field=CharField()),
                F("person__name"),
                Value(1.0, output_field=FloatField()),
                Value(None, output_field=IntegerField()),
                Value(None, output_field=IntegerField()),
                Value(None, output_field=CharField()),
            )
        )
        query = tags.union(faces, all=True)
    rows: dict[int, list[Row]] = defaultdict(list)
    for photo_id, *row in query:
        rows[photo_id].append(tuple(row))
    return {photo_id: caption(rows.get(photo_id, ())) for photo_id in photo_ids}
