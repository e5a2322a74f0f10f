"""Everything that changes faces and people: storing detections, grouping, and corrections.

Every change goes through one function here. The rules they keep:

- a face with a human verdict is never changed by reprocessing or re-clustering;
- a person a human acted on (``Person.confirmed``: named, merged into, a face confirmed or moved
  onto it) is never dissolved, renamed or merged automatically;
- nothing crosses libraries: faces are grouped, matched and moved within their photo's library.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import redis
from django.db import transaction
from django.db.models import F, Q
from PIL import Image

from photonix.classifiers.registry import Prediction
from photonix.classifiers.services import photo_store_predictions
from photonix.core import work
from photonix.core.broker_client import broker_redis
from photonix.core.errors import PhotonixError
from photonix.faces import clustering, selectors
from photonix.faces.detection import (
    DetectedFace,
    embedding_from_bytes,
    embedding_to_bytes,
    iou,
)
from photonix.faces.models import HUMAN_VERDICTS, ON_PERSON, Face, Person
from photonix.library.models import Library, Photo

logger = logging.getLogger(__name__)

#: A new detection this close to a kept face is the same face.
SAME_FACE_IOU: Final = 0.5
#: Libraries whose faces changed since the last re-clustering (a Redis set: the periodic task
#: reads it instead of querying the database, so an idle installation stays idle).
DIRTY_KEY: Final = "photonix:faces:dirty"
CROP_SIZE: Final = 256
CROP_MARGIN: Final = 1.5

V = Face.Verdict


class FaceError(PhotonixError, ValueError):
    """A correction that cannot be made (another library, a face with no person…)."""


# --- the recluster bookkeeping -----------------------------------------------------------------


def _redis() -> redis.Redis:
    return broker_redis()


def library_mark_dirty(library_id: int) -> None:
    """Ask the next periodic re-clustering to look at this library (after the commit)."""

    def mark() -> None:
        try:
            _redis().sadd(DIRTY_KEY, library_id)
        except redis.RedisError as exc:  # the next correction or import marks it again
            logger.warning("could not mark library %s for re-clustering: %s", library_id, exc)

    transaction.on_commit(mark)


def library_unmark_dirty(library_id: int) -> None:
    """A re-clustering of this library starts: the periodic one need not look at it again."""
    _redis().srem(DIRTY_KEY, library_id)


def dirty_libraries_take() -> list[int]:
    """The libraries marked since the last call (they are unmarked)."""
    client = _redis()
    members: Any = client.spop(DIRTY_KEY, 1_000_000) or []
    return sorted(int(m) for m in members)


# --- references: who each person looks like ----------------------------------------------------


def _references(
    library_id: int, person_ids: Iterable[int] | None = None
) -> tuple[clustering.Matrix, list[int]]:
    """Embeddings that stand for each person: the faces a human confirmed or moved there when it
    has any, else all of its faces."""
    faces = Face.objects.filter(
        library_id=library_id,
        person__isnull=False,
        clusterable=True,
        embedding__isnull=False,
        verdict__in=ON_PERSON,
    )
    if person_ids is not None:
        faces = faces.filter(person_id__in=list(person_ids))
    rows = list(faces.values_list("person_id", "verdict", "embedding"))
    decided = {pid for pid, verdict, _ in rows if verdict != V.AUTO}
    chosen = [(pid, emb) for pid, verdict, emb in rows if pid not in decided or verdict != V.AUTO]
    if not chosen:
        return np.zeros((0, 128), dtype=np.float32), []
    matrix = np.stack([embedding_from_bytes(emb) for _, emb in chosen])
    return matrix, [pid for pid, _ in chosen]


def _assign_nearest(
    faces: Sequence[Face], matrix: clustering.Matrix, owners: list[int]
) -> list[Face]:
    """Put each face on the nearest person within the threshold (one face per person and photo).
    Returns the faces that changed."""
    if not faces or not owners:
        return []
    embeddings = np.stack([embedding_from_bytes(f.embedding) for f in faces])
    best: dict[tuple[int, int], tuple[float, Face]] = {}
    for face, match in zip(faces, clustering.nearest(embeddings, matrix, owners), strict=True):
        if match is None:
            continue
        person_id, distance = match
        key = (face.photo_id, person_id)
        if key not in best or distance < best[key][0]:
            best[key] = (distance, face)
    taken = set(
        Face.objects.filter(photo_id__in={f.photo_id for f in faces}, person_id__in=set(owners))
        .exclude(pk__in=[f.pk for f in faces])
        .values_list("photo_id", "person_id")
    )
    changed = []
    for (photo_id, person_id), (_, face) in best.items():
        if (photo_id, person_id) in taken or face.person_id == person_id:
            continue
        face.person_id = person_id
        changed.append(face)
    return changed


def faces_assign(library_id: int, faces: Sequence[Face]) -> int:
    """Incremental grouping: each new face joins the nearest person of its library, if close
    enough; the others wait for the next re-clustering (unnamed groups)."""
    candidates = [f for f in faces if f.clusterable and f.embedding and f.person_id is None]
    if not candidates:
        return 0
    matrix, owners = _references(library_id)
    changed = _assign_nearest(candidates, matrix, owners)
    Face.objects.bulk_update(changed, ["person"])
    return len(changed)


# --- the pipeline step -------------------------------------------------------------------------


@transaction.atomic
def photo_store_faces(photo: Photo, detected: Sequence[DetectedFace], version: int) -> int:
    """Replace the photo's automatic faces with ``detected``. Idempotent.

    Faces with a human verdict stay as they are, and a detection on one of them (IoU ≥ 0.5) is
    dropped; a detection on an old automatic face keeps that face's person.
    """
    old = list(Face.objects.select_for_update().filter(photo=photo))
    kept = [f for f in old if f.verdict in HUMAN_VERDICTS]
    replaced = [f for f in old if f.verdict == V.AUTO]
    new: list[Face] = []
    for found in detected:
        human = next((f for f in kept if iou(f.box, found.box) >= SAME_FACE_IOU), None)
        if human is not None:
            if human.embedding is None and found.embedding is not None:
                human.embedding = embedding_to_bytes(found.embedding)
                human.clusterable = True
                human.save(update_fields=["embedding", "clusterable", "updated_at"])
            continue
        previous = max(replaced, key=lambda f: iou(f.box, found.box), default=None)
        person_id = None
        if previous is not None and iou(previous.box, found.box) >= SAME_FACE_IOU:
            person_id = previous.person_id
        x, y, w, h = found.box
        new.append(
            Face(
                photo=photo,
                library_id=photo.library_id,
                person_id=person_id if found.clusterable else None,
                x=x,
                y=y,
                width=w,
                height=h,
                confidence=found.confidence,
                size=found.size,
                sharpness=found.sharpness,
                clusterable=found.clusterable,
                embedding=None if found.embedding is None else embedding_to_bytes(found.embedding),
                version=version,
            )
        )
    Face.objects.filter(pk__in=[f.pk for f in replaced]).delete()
    created = Face.objects.bulk_create(new)
    if any(f.pk is None for f in created):  # backends without RETURNING
        created = list(Face.objects.filter(photo=photo, verdict=V.AUTO))
    faces_assign(photo.library_id, created)
    photo_person_tag_sync(photo, version)
    if any(f.clusterable for f in created):
        # Grouped into people once the library's faces settle (one run for a whole import);
        # the periodic re-clustering reads the dirty mark should that request be lost.
        library_mark_dirty(photo.library_id)
        work.recluster_library(photo.library_id)
    return len(created)


#: The object tag a photo with a face gets, whoever the face is: "person" finds everyone.
PERSON_TAG: Final = "person"
#: Its source: the face recognizer's name, so its tags are the face recognizer's own.
FACES_SOURCE: Final = "faces"


def photo_person_tag_sync(photo: Photo, version: int) -> int:
    """Give the photo the object tag "person" when it shows a face, take it away when not.

    The tag carries no box (the face boxes are the faces'), and the surest face's confidence. As
    every classifier's tags, it never undoes a person's verdict: a rejected "person" stays
    rejected, a confirmed one stays.
    """
    surest = (
        Face.objects.filter(photo=photo)
        .exclude(verdict=V.REJECTED)
        .order_by("-confidence")
        .values_list("confidence", flat=True)
        .first()
    )
    found = [] if surest is None else [Prediction("object", PERSON_TAG, confidence=surest)]
    return photo_store_predictions(photo, FACES_SOURCE, version, found)


# --- re-clustering --------------------------------------------------------------------------------


@transaction.atomic
def library_recluster(library_id: int, threshold: float = clustering.THRESHOLD) -> dict[str, int]:
    """Group the library's automatic faces again. Human decisions are kept as they are.

    1. Unassigned faces, and faces of unnamed groups nobody touched, join the nearest person a
       human acted on when close enough.
    2. The rest are clustered; each group of two or more becomes an unnamed person (keeping the
       id of the group most of its faces were in, so links stay stable); single faces wait.
    3. Untouched unnamed groups left without faces are deleted.
    People are never merged with each other.
    """
    Library.objects.select_for_update().filter(pk=library_id).first()
    people = {p.pk: p for p in Person.objects.filter(library_id=library_id)}
    with_decisions = set(
        Face.objects.filter(
            library_id=library_id, verdict__in=(V.CONFIRMED, V.MOVED), person__isnull=False
        ).values_list("person_id", flat=True)
    )
    anchored = {pk for pk, p in people.items() if p.confirmed or p.name or pk in with_decisions}
    loose = set(people) - anchored
    pool = list(
        Face.objects.filter(
            library_id=library_id, verdict=V.AUTO, clusterable=True, embedding__isnull=False
        ).filter(Q(person__isnull=True) | Q(person_id__in=loose))
    )
    before = {f.pk: f.person_id for f in pool}
    for face in pool:
        face.person_id = None
    matrix, owners = _references(library_id, anchored)
    attached = {f.pk for f in _assign_nearest(pool, matrix, owners)}
    rest = [f for f in pool if f.pk not in attached]
    labels = clustering.cluster(
        np.stack([embedding_from_bytes(f.embedding) for f in rest])
        if rest
        else np.zeros((0, 128), dtype=np.float32),
        [f.photo_id for f in rest],
        threshold,
    )
    groups: dict[int, list[Face]] = {}
    for face, label in zip(rest, labels, strict=True):
        if label >= 0:
            groups.setdefault(label, []).append(face)
    reused: set[int] = set()
    created = 0
    for members in sorted(groups.values(), key=len, reverse=True):
        votes = Counter(before[f.pk] for f in members if before[f.pk] in loose)
        person_id = next((pid for pid, _ in votes.most_common() if pid not in reused), None)
        if person_id is None:
            person_id = Person.objects.create(library_id=library_id).pk
            created += 1
        reused.add(person_id)
        for face in members:
            face.person_id = person_id
    changed = [f for f in pool if f.person_id != before[f.pk]]
    Face.objects.bulk_update(changed, ["person"])
    emptied = Person.objects.filter(pk__in=loose - reused, confirmed=False, name="")
    deleted = emptied.exclude(faces__isnull=False).delete()[0]
    Person.objects.filter(library_id=library_id, cover_face__isnull=False).exclude(
        cover_face__person_id=F("pk")
    ).update(cover_face=None)
    return {
        "faces": len(pool),
        "attached": len(attached),
        "groups": len(groups),
        "people_created": created,
        "people_deleted": deleted,
        "changed": len(changed),
    }


# --- corrections -------------------------------------------------------------------------------


def _touch(person: Person) -> None:
    if not person.confirmed:
        person.confirmed = True
        person.save(update_fields=["confirmed", "updated_at"])


@transaction.atomic
def person_rename(person: Person, name: str) -> Person:
    """Name or rename one person. Nobody else changes, whoever was once grouped with them."""
    person.name = name.strip()[:200]
    person.confirmed = True
    person.save(update_fields=["name", "confirmed", "updated_at"])
    return person


def _own_cover(person: Person) -> int | None:
    """The person's cover when it is still one of their faces, else their best face."""
    if person.cover_face_id is not None and (
        Face.objects.filter(
            pk=person.cover_face_id, person_id=person.pk, verdict__in=ON_PERSON
        ).exists()
    ):
        return person.cover_face_id
    return selectors.best_faces(person.pk).values_list("pk", flat=True).first()


@transaction.atomic
def people_merge(target: Person, source: Person) -> Person:
    """Move every face of ``source`` onto ``target`` and delete ``source`` (same library only).

    The target keeps the face they were shown with (the one chosen, else their best face before
    the merge), so the faces that join them never take over their cover; a target without faces
    takes the source's.
    """
    if source.pk == target.pk:
        raise FaceError("a person cannot be merged with itself")
    if source.library_id != target.library_id:
        raise FaceError("people of different libraries cannot be merged")
    cover = _own_cover(target)
    if cover is None:
        cover = _own_cover(source)
    Face.objects.filter(person=source).update(person=target)
    if not target.name and source.name:
        target.name = source.name
    target.cover_face_id = cover
    target.confirmed = True
    target.save(update_fields=["name", "cover_face", "confirmed", "updated_at"])
    source.delete()
    library_mark_dirty(target.library_id)
    return target


def _drop_cover(face: Face, person_id: int | None) -> None:
    if person_id is not None:
        Person.objects.filter(pk=person_id, cover_face=face).update(cover_face=None)


@transaction.atomic
def face_move(face: Face, person: Person | None, *, name: str = "") -> Face:
    """Put a face on another person of its library, or on a new person (split) when ``person``
    is None."""
    if person is None:
        person = Person.objects.create(library_id=face.library_id, name=name.strip()[:200])
    elif person.library_id != face.library_id:
        raise FaceError("a face can only be moved to a person of its own library")
    _drop_cover(face, face.person_id)
    face.person = person
    face.verdict = V.MOVED
    face.save(update_fields=["person", "verdict", "updated_at"])
    _touch(person)
    library_mark_dirty(face.library_id)
    return face


@transaction.atomic
def face_remove(face: Face) -> Face:
    """Take a face off its person: "not them". It joins the unnamed faces to review, and is
    never grouped automatically again."""
    _drop_cover(face, face.person_id)
    face.person = None
    face.verdict = V.REMOVED
    face.save(update_fields=["person", "verdict", "updated_at"])
    return face


@transaction.atomic
def face_name(face: Face, *, person: Person | None = None, name: str = "") -> Face:
    """Put a face on someone a person chose: ``person`` of its library, or the one called
    ``name`` — the library's person of that name (any case) when there is one, else a new one."""
    if person is None:
        name = name.strip()[:200]
        if not name:
            raise FaceError("choose a person or type a name", field="name")
        person = (
            Person.objects.filter(library_id=face.library_id, name__iexact=name)
            .order_by("pk")
            .first()
        )
        if person is None:
            person = Person.objects.create(library_id=face.library_id, name=name)
    return face_move(face, person)


@transaction.atomic
def face_ignore(face: Face) -> Face:
    """A face nobody will name (a stranger): it leaves its person and the unnamed faces to
    review, stays shown on its photo, and is never grouped automatically."""
    _drop_cover(face, face.person_id)
    face.person = None
    face.verdict = V.IGNORED
    face.save(update_fields=["person", "verdict", "updated_at"])
    return face


def face_suggestions(face: Face, limit: int = 5) -> list[tuple[int, float]]:
    """The people of the face's library nearest to it, nearest first: ``(person id, distance)``
    to each person's closest reference face (see :func:`_references`). Its own person is left
    out; a face without an embedding (too small or blurry) gets none."""
    return faces_suggestions([face], limit)[face.pk]


def faces_suggestions(faces: Sequence[Face], limit: int = 5) -> dict[int, list[tuple[int, float]]]:
    """:func:`face_suggestions` for many faces (a page of them), by face id, reading each
    library's reference faces once."""
    suggestions: dict[int, list[tuple[int, float]]] = {face.pk: [] for face in faces}
    by_library: dict[int, list[Face]] = {}
    for face in faces:
        if face.embedding is not None:
            by_library.setdefault(face.library_id, []).append(face)
    for library_id, members in by_library.items():
        matrix, owners = _references(library_id)
        if not owners:
            continue
        queries = np.stack([embedding_from_bytes(face.embedding) for face in members])
        for face, distances in zip(
            members, clustering.pairwise(queries, matrix).tolist(), strict=True
        ):
            closest: dict[int, float] = {}
            for owner, distance in zip(owners, distances, strict=True):
                if owner != face.person_id and distance < closest.get(owner, float("inf")):
                    closest[owner] = distance
            ranked = sorted(closest.items(), key=lambda item: (item[1], item[0]))
            suggestions[face.pk] = ranked[:limit]
    return suggestions


@transaction.atomic
def face_reject(face: Face) -> Face:
    """Mark "not a face": hidden, never grouped, never detected again on this spot."""
    _drop_cover(face, face.person_id)
    face.person = None
    face.verdict = V.REJECTED
    face.save(update_fields=["person", "verdict", "updated_at"])
    photo_person_tag_sync(face.photo, face.version)
    return face


@transaction.atomic
def face_confirm(face: Face) -> Face:
    """Confirm that a face shows its person."""
    if face.person_id is None:
        raise FaceError("only a face on a person can be confirmed; move it to someone instead")
    face.verdict = V.CONFIRMED
    face.save(update_fields=["verdict", "updated_at"])
    person = Person.objects.get(pk=face.person_id)
    _touch(person)
    library_mark_dirty(face.library_id)
    return face


@transaction.atomic
def person_set_cover(person: Person, face: Face) -> Person:
    if face.person_id != person.pk:
        raise FaceError("the cover must be one of the person's faces")
    person.cover_face = face
    person.save(update_fields=["cover_face", "updated_at"])
    return person


# --- crops -------------------------------------------------------------------------------------


def face_crop(face: Face, preview: Path, size: int = CROP_SIZE) -> bytes:
    """A square JPEG around the face, cut from the photo's preview (round is the UI's CSS)."""
    with Image.open(preview) as image:
        width, height = image.size
        side = max(face.width * width, face.height * height) * CROP_MARGIN
        side = min(side, width, height)
        # Decode no larger than the crop needs (DCT scaling for JPEG previews).
        scale = min(1.0, max(size / max(side, 1.0), 0.125))
        image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
        factor = image.size[0] / width
        cx = (face.x + face.width / 2) * width
        cy = (face.y + face.height / 2) * height
        x0 = min(max(0.0, cx - side / 2), width - side)
        y0 = min(max(0.0, cy - side / 2), height - side)
        box = (x0 * factor, y0 * factor, (x0 + side) * factor, (y0 + side) * factor)
        crop = image.convert("RGB").crop(box).resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    crop.save(out, "JPEG", quality=85)
    return out.getvalue()
