"""Grouping embeddings (pure numpy)."""

from __future__ import annotations

import numpy as np

from photonix.faces import clustering


def people(count: int, faces_each: int, spread: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(count, 128)).astype(np.float32)
    centres *= 1.0 / np.linalg.norm(centres, axis=1, keepdims=True)  # ~1.4 apart
    noise = rng.normal(scale=spread / np.sqrt(128), size=(count, faces_each, 128))
    return (centres[:, None, :] + noise).reshape(-1, 128).astype(np.float32)


def test_clusters_are_found_and_kept_apart() -> None:
    embeddings = people(5, 6, spread=0.25)
    labels = clustering.cluster(embeddings, list(range(len(embeddings))))
    groups = [set(labels[i * 6 : (i + 1) * 6]) for i in range(5)]
    assert all(len(g) == 1 and -1 not in g for g in groups)
    assert len({next(iter(g)) for g in groups}) == 5


def test_two_faces_of_one_photo_are_never_grouped() -> None:
    a = np.zeros(128, dtype=np.float32)
    b = a.copy()
    b[0] = 0.1
    assert clustering.cluster(np.stack([a, b]), [7, 7]) == [-1, -1]
    assert clustering.cluster(np.stack([a, b]), [7, 8]) == [0, 0]


def test_a_chain_of_look_alikes_does_not_snowball() -> None:
    # Faces 0.4 apart in a line: each is close to its neighbour, the ends are 2.0 apart.
    line = np.zeros((6, 128), dtype=np.float32)
    line[:, 0] = np.arange(6) * 0.4
    labels = clustering.cluster(line, list(range(6)))
    assert len({label for label in labels if label >= 0}) >= 2


def test_nearest_respects_the_threshold() -> None:
    refs = np.zeros((2, 128), dtype=np.float32)
    refs[1, 0] = 3.0
    probe = np.zeros((2, 128), dtype=np.float32)
    probe[0, 0] = 0.3
    probe[1, 0] = 1.5
    result = clustering.nearest(probe, refs, [10, 20])
    assert result[0] is not None and result[0][0] == 10
    assert result[1] is None
