"""Near-duplicates and bursts: which of a library's photos are shots of the same picture, and
which of each group is the best.

Two rules join photos, each over their likeness (``PhotoLikeness``, measured by the ``similar``
stage); a group is what the joins connect:

- **near-duplicate**: perceptual hashes at most :data:`NEAR_DISTANCE` bits apart, whatever the
  time, camera or place (a re-encoded, resized or re-exported copy). Hashes are bucketed by each
  of four 16-bit bands and compared only within a bucket: two hashes at most 3 bits apart agree
  on at least one band (four bands, at most three of them touched), so every such pair is found
  without comparing every photo with every other.
- **burst**: the same camera, taken at most :data:`BURST_SECONDS` apart, hashes at most
  :data:`BURST_DISTANCE` bits apart (the subject moved a little), and not more than
  :data:`BURST_METRES` apart when both know where they were taken.

Each group's photos are ranked by :func:`score` (sharpness, resolution, exposure): the first is
the one to keep. ``docs/duplicates.md`` has the measurements behind the numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from django.db.models import CharField
from django.db.models.functions import Cast

from photonix.core.models import User
from photonix.library.browse.filters import filtered_photos
from photonix.library.browse.timeline import taken_at_iso
from photonix.library.models import Photo

#: Bits two hashes of the same picture may differ by: a JPEG re-encoded at quality 10-30, a copy
#: halved or thirded measure 0 to 2 bits from their original (docs/duplicates.md).
NEAR_DISTANCE: Final = 3
BURST_DISTANCE: Final = 14
BURST_SECONDS: Final = 2.0
BURST_METRES: Final = 200.0
BANDS: Final = 4
_BAND_BITS: Final = 64 // BANDS
_BAND_MASK: Final = (1 << _BAND_BITS) - 1
DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 500
#: How much each measure weighs in the rank (each from 0 to 1 within the group).
WEIGHTS: Final = {"sharpness": 0.5, "resolution": 0.3, "exposure": 0.2}


@dataclass(frozen=True)
class Shot:
    """What grouping and ranking read of one photo."""

    id: int
    phash: int
    taken: dt.datetime | None = None
    camera: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    sharpness: float = 0.0
    exposure: float = 0.0
    pixels: int = 0


class _Union:
    """Union-find over indices: the groups are what the pairs connect."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _metres(a: Shot, b: Shot) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians, (a.latitude or 0.0, a.longitude or 0.0, b.latitude or 0.0, b.longitude or 0.0)
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(h)))


def _runs(keys: npt.NDArray[Any]) -> Iterator[tuple[npt.NDArray[np.intp], int]]:
    """For sorted ``keys``: for each offset k, the positions i where ``keys[i] == keys[i + k]``
    (runs of equal keys, compared k apart; stops when no run is longer than k)."""
    offset = 1
    while offset < len(keys):
        same = np.nonzero(keys[offset:] == keys[:-offset])[0]
        if not len(same):
            return
        yield same, offset
        offset += 1


def near_pairs(hashes: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Every pair of indices whose hashes are at most ``NEAR_DISTANCE`` bits apart (once or
    more: a pair that agrees on several bands comes once per band)."""
    values = np.array(hashes, dtype=np.int64).view(np.uint64)
    for band in range(BANDS):
        keys = (values >> np.uint64(band * _BAND_BITS)) & np.uint64(_BAND_MASK)
        order = np.argsort(keys, kind="stable")
        keys, ordered = keys[order], values[order]
        for same, offset in _runs(keys):
            bits = np.bitwise_count(ordered[same] ^ ordered[same + offset])
            close = same[bits <= NEAR_DISTANCE]
            yield from zip(order[close].tolist(), order[close + offset].tolist(), strict=True)


_EPOCH: Final = dt.datetime(1970, 1, 1)


def _seconds(taken: dt.datetime | None) -> float:
    """Wall-clock seconds (``taken_local`` is the photographer's clock, stored as if UTC)."""
    return 0.0 if taken is None else (taken.replace(tzinfo=None) - _EPOCH).total_seconds()


def burst_pairs(shots: Sequence[Shot]) -> Iterator[tuple[int, int]]:
    """Pairs of indices that are shots of one burst (same camera, seconds apart, alike)."""
    timed = [i for i, s in enumerate(shots) if s.camera is not None and s.taken is not None]
    if len(timed) < 2:
        return
    cameras = np.array([shots[i].camera for i in timed], dtype=np.int64)
    seconds = np.array([_seconds(shots[i].taken) for i in timed], dtype=np.float64)
    values = np.array([shots[i].phash for i in timed], dtype=np.int64).view(np.uint64)
    order = np.lexsort((seconds, cameras))
    cameras, seconds, values = cameras[order], seconds[order], values[order]
    index = np.array(timed, dtype=np.intp)[order]
    offset = 1
    while offset < len(index):
        near = np.nonzero(
            (cameras[offset:] == cameras[:-offset])
            & (seconds[offset:] - seconds[:-offset] <= BURST_SECONDS)
        )[0]
        if not len(near):
            return
        bits = np.bitwise_count(values[near] ^ values[near + offset])
        for k in near[bits <= BURST_DISTANCE].tolist():
            i, j = int(index[k]), int(index[k + offset])
            apart = _metres(shots[i], shots[j])
            if apart is None or apart <= BURST_METRES:
                yield i, j
        offset += 1


@dataclass(frozen=True)
class Group:
    """Photos of one picture, best first, with each one's score."""

    kind: str  #: "burst" when a burst joined them, else "duplicate"
    shots: tuple[Shot, ...]
    scores: tuple[float, ...]


def score(shots: Sequence[Shot]) -> list[float]:
    """Each shot's rank score in its group, from 0 to 1: sharpness and resolution relative to
    the group's best, exposure as measured (the share of pixels neither crushed nor blown)."""
    sharpest = max(s.sharpness for s in shots) or 1.0
    largest = max(s.pixels for s in shots) or 1
    return [
        round(
            WEIGHTS["sharpness"] * s.sharpness / sharpest
            + WEIGHTS["resolution"] * s.pixels / largest
            + WEIGHTS["exposure"] * s.exposure,
            4,
        )
        for s in shots
    ]


def find_groups(shots: Sequence[Shot]) -> list[Group]:
    """The groups among ``shots`` (photos of one library), each ranked best first."""
    union = _Union(len(shots))
    joined: set[int] = set()
    for i, j in near_pairs([s.phash for s in shots]):
        union.join(i, j)
        joined.update((i, j))
    bursts: set[int] = set()
    for i, j in burst_pairs(shots):
        union.join(i, j)
        joined.update((i, j))
        bursts.add(i)
    members: dict[int, list[int]] = defaultdict(list)
    for index in sorted(joined):
        members[union.find(index)].append(index)
    burst_roots = {union.find(i) for i in bursts}
    groups = []
    for root, indices in members.items():
        group = [shots[i] for i in indices]
        scores = score(group)
        ranked = sorted(zip(group, scores, strict=True), key=lambda pair: (-pair[1], pair[0].id))
        groups.append(
            Group(
                "burst" if root in burst_roots else "duplicate",
                tuple(s for s, _ in ranked),
                tuple(score for _, score in ranked),
            )
        )
    return groups


def _taken(text: str | None) -> dt.datetime | None:
    # Read as text: Django's conversion of each datetime cost four times the rest of the row.
    if not text:
        return None
    return dt.datetime.fromisoformat(text).replace(tzinfo=None)


def library_shots(user: User, library_id: int) -> list[Shot]:
    """The likeness of every photo of the library on the user's timeline (stacked photos and
    archived ones are left out: they were already sorted)."""
    photos = filtered_photos(user, {"library": library_id}, whole=True)
    rows = (
        photos.filter(likeness__isnull=False)
        .annotate(taken_text=Cast("taken_local", CharField()))
        .values_list(
            "id",
            "likeness__phash",
            "taken_text",
            "camera_id",
            "latitude",
            "longitude",
            "likeness__sharpness",
            "likeness__exposure",
            "width",
            "height",
        )
    )
    return [
        Shot(pk, phash, _taken(taken), camera, lat, lon, sharp, exposure, (w or 0) * (h or 0))
        for pk, phash, taken, camera, lat, lon, sharp, exposure, w, h in rows.iterator(
            chunk_size=5000
        )
    ]


def duplicate_groups(
    user: User, library_ids: Iterable[int], limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """``{"count": n, "groups": [...]}``: how many groups the libraries have, and the ``limit``
    newest as the review page shows them."""
    found: list[tuple[int, Group]] = []
    for library_id in sorted(set(library_ids)):
        found += [(library_id, g) for g in find_groups(library_shots(user, library_id))]
    found.sort(key=lambda item: max(_seconds(s.taken) for s in item[1].shots), reverse=True)
    count, found = len(found), found[:limit]
    facts = _photo_facts([s.id for _, g in found for s in g.shots])
    groups = [
        {
            "library": library_id,
            "kind": group.kind,
            "best": group.shots[0].id,
            "photos": [
                {
                    **facts[shot.id],
                    "sharpness": round(shot.sharpness, 1),
                    "exposure": round(shot.exposure, 3),
                    "score": group_score,
                }
                for shot, group_score in zip(group.shots, group.scores, strict=True)
            ],
        }
        for library_id, group in found
    ]
    return {"count": count, "groups": groups}


def _photo_facts(ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = Photo.objects.filter(pk__in=ids).values_list(
        "id",
        "taken_local",
        "taken_offset",
        "width",
        "height",
        "placeholder",
        "thumbnail_version",
        "preferred_file__path",
    )
    return {
        pk: {
            "id": pk,
            "taken_at": taken_at_iso(taken, offset),
            "width": width,
            "height": height,
            "placeholder": placeholder,
            "thumbnail_version": version,
            "file_name": (path or "").rsplit("/", 1)[-1],
        }
        for pk, taken, offset, width, height, placeholder, version, path in rows
    }
