"""Smart search: photos found by what they show, for a text or for another photo.

Storing a photo's embedding (the ``clip`` classifier), and the two questions asked of the vector
index (:mod:`photonix.classifiers.vectors`): the photos nearest a text's vector, and those nearest
a photo's. The index answers with embedding ids; only photos the caller can see are kept, and
the index is asked for more until a page is full or it has nothing more to give.
"""

from __future__ import annotations

from dataclasses import dataclass

from photonix.classifiers import clip, store, vectors
from photonix.classifiers.models import PhotoEmbedding
from photonix.classifiers.vectors import SmartSearchUnavailable, require_index
from photonix.core.errors import PhotonixError
from photonix.core.models import User
from photonix.library.browse.visibility import visible_photos
from photonix.library.models import Photo

MAX_LIMIT = 200


@dataclass(frozen=True)
class Match:
    photo_id: int
    score: float  # cosine similarity, 1 is the same direction


def status() -> dict[str, object]:
    """What the settings page shows: is smart search usable, and if not, why."""
    pack = store.clip_pack()
    problem = vectors.unavailable()
    present = clip.model_present()
    return {
        "model": pack.name,
        "model_present": present,
        "index_available": not problem,
        "available": present and not problem,
        "reason": problem
        or (
            ""
            if present
            else f"the model {pack.name} is not downloaded: an administrator turns smart search "
            "on in Settings, or runs 'photonix models download clip'"
        ),
        "embedded_photos": PhotoEmbedding.objects.filter(model=pack.name).count(),
    }


def _model() -> clip.ClipModel:
    if not clip.model_present():
        raise SmartSearchUnavailable(
            "Smart search is off: its model is not downloaded. An administrator can turn it on "
            "in Settings."
        )
    try:
        return clip.current_model()
    except store.ModelUnavailable as exc:
        raise SmartSearchUnavailable(f"Smart search is unavailable: {exc}") from exc


def _nearest(
    user: User,
    model: str,
    dim: int,
    vector: bytes,
    limit: int,
    *,
    exclude: int | None = None,
    min_score: float | None = None,
) -> list[Match]:
    """The ``limit`` visible photos nearest ``vector``, best first."""
    limit = max(1, min(limit, MAX_LIMIT))
    total = PhotoEmbedding.objects.filter(model=model, dim=dim).count()
    k = min(vectors.KNN_MAX, max(4 * limit, 50))
    while True:
        hits = vectors.nearest(dim, vector, k)
        owners = dict(
            PhotoEmbedding.objects.filter(pk__in=[i for i, _ in hits], model=model).values_list(
                "pk", "photo_id"
            )
        )
        candidates = {owners[i] for i, _ in hits if i in owners}
        visible = set(
            # archived photos are found too: the archive only keeps them off the timeline
            visible_photos(user).filter(pk__in=candidates).values_list("pk", flat=True)
        )
        matches: list[Match] = []
        for embedding_id, distance in hits:
            photo_id = owners.get(embedding_id)
            score = 1.0 - distance
            if photo_id is None or photo_id not in visible or photo_id == exclude:
                continue
            if min_score is not None and score < min_score:
                break  # nearest first: the rest are further still
            matches.append(Match(photo_id, round(score, 4)))
            if len(matches) == limit:
                return matches
        exhausted = len(hits) < k or k >= total or k >= vectors.KNN_MAX
        below = min_score is not None and hits and 1.0 - hits[-1][1] < min_score
        if exhausted or below:
            return matches
        k = min(vectors.KNN_MAX, k * 4)


def search_text(user: User, query: str, limit: int = 50) -> tuple[str, list[Match]]:
    """Photos whose look is nearest the meaning of ``query``, above the model's threshold."""
    text = " ".join(query.split())
    if not text:
        raise PhotonixError("Say what to look for.", field="q")
    require_index()
    model = _model()
    vector = model.embed_text(text)
    found = _nearest(
        user, model.name, len(vector) // 4, vector, limit, min_score=model.pack.min_similarity
    )
    return model.name, found


def similar_photos(user: User, photo: Photo, limit: int = 50) -> tuple[str, list[Match]]:
    """The photos that look most like ``photo`` (itself left out), best first."""
    require_index()
    pack = store.clip_pack()
    embedding = PhotoEmbedding.objects.filter(photo=photo, model=pack.name).first()
    if embedding is None:
        if not clip.model_present():
            _model()  # says how to turn smart search on
        raise SmartSearchUnavailable(
            "This photo has not been looked at by smart search yet; it will be once it is "
            "processed."
        )
    vector = bytes(embedding.vector)
    return pack.name, _nearest(user, pack.name, embedding.dim, vector, limit, exclude=photo.pk)
