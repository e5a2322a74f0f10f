"""Grouping face embeddings: nearest known person, and clusters of the rest. Numpy only, no Django.

Distances are Euclidean between dlib's 128-d embeddings. dlib's own "same person" limit is 0.6
(99.38 % on LFW); grouping at 0.6 merges look-alikes in a family library, so people are grouped
at :data:`THRESHOLD` (the two Boris Becker samples are 0.51 apart, different people 0.66 and
more). Measurements: ``docs/faces.md``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

THRESHOLD: Final = 0.55
_CHUNK: Final = 1024


def _sq_norms(m: Matrix) -> Matrix:
    norms: Matrix = np.einsum("ij,ij->i", m, m)
    return norms


def pairwise(a: Matrix, b: Matrix) -> Matrix:
    """Euclidean distances between the rows of ``a`` and of ``b``."""
    d2 = _sq_norms(a)[:, None] + _sq_norms(b)[None, :] - 2.0 * (a @ b.T)
    distances: Matrix = np.sqrt(np.clip(d2, 0.0, None))
    return distances


def nearest(
    embeddings: Matrix, references: Matrix, owners: Sequence[int], threshold: float = THRESHOLD
) -> list[tuple[int, float] | None]:
    """For each embedding, the owner of the closest reference and its distance, if within
    ``threshold``."""
    if len(embeddings) == 0:
        return []
    if len(references) == 0:
        return [None] * len(embeddings)
    result: list[tuple[int, float] | None] = []
    for start in range(0, len(embeddings), _CHUNK):
        d = pairwise(embeddings[start : start + _CHUNK], references)
        best = d.argmin(axis=1)
        for row, col in enumerate(best.tolist()):
            distance = float(d[row, col])
            result.append((owners[col], distance) if distance < threshold else None)
    return result


def _edges(m: Matrix, threshold: float) -> Iterator[tuple[float, int, int]]:
    for start in range(0, len(m), _CHUNK):
        d = pairwise(m[start : start + _CHUNK], m)
        rows, cols = np.nonzero(d < threshold)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if i < c:
                yield float(d[r, c]), i, c


def cluster(
    embeddings: Matrix, photo_ids: Sequence[int], threshold: float = THRESHOLD
) -> list[int]:
    """Group embeddings; returns a group number per embedding, -1 for a face left alone.

    Closest pairs are joined first (union-find over the pairs within ``threshold``), and two
    groups are joined only when their centroids are within ``threshold`` too — so a chain of
    look-alikes does not snowball into one group — and when they share no photo: one person
    appears once on a photo.
    """
    n = len(embeddings)
    parent = list(range(n))
    sums = embeddings.astype(np.float64).copy()
    counts = [1] * n
    photos: list[set[int]] = [{p} for p in photo_ids]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in sorted(_edges(embeddings, threshold)):
        a, b = find(i), find(j)
        if a == b or not photos[a].isdisjoint(photos[b]):
            continue
        if counts[a] > 1 or counts[b] > 1:
            centre_a, centre_b = sums[a] / counts[a], sums[b] / counts[b]
            if float(np.linalg.norm(centre_a - centre_b)) >= threshold:
                continue
        if counts[a] < counts[b]:
            a, b = b, a
        parent[b] = a
        sums[a] += sums[b]
        counts[a] += counts[b]
        photos[a] |= photos[b]
    roots = [find(i) for i in range(n)]
    labels: dict[int, int] = {}
    result: list[int] = []
    for root in roots:
        if counts[root] < 2:
            result.append(-1)
        else:
            result.append(labels.setdefault(root, len(labels)))
    return result
