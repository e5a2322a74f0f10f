"""SQLite's bit index is scanned from a copy in each process's memory: the copy follows every
change made through the index, by this connection or by another one, and never answers from a
change that was rolled back."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest
from django.db import connection, connections, transaction

from photonix.classifiers import vectors
from photonix.classifiers.models import PhotoEmbedding
from tests.library import photos as build

DIM = 512

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's HNSW index is asked directly"
)


def _unit(rng: np.random.Generator) -> bytes:
    row = rng.standard_normal(DIM).astype(np.float32)
    return (row / np.linalg.norm(row)).astype(np.float32).tobytes()


def _store(folder, vector: bytes) -> int:
    photo = build.photo(folder, build.at(2024))
    embedding = PhotoEmbedding.objects.create(photo=photo, model="m", dim=DIM, vector=vector)
    vectors.put(embedding.pk, DIM, vector)
    return int(embedding.pk)


def _first(vector: bytes) -> int:
    return vectors.nearest(DIM, vector, 1)[0][0]


@pytest.fixture
def folder() -> Iterator[object]:
    yield build.library("home", build.user("ann"))


@pytest.mark.django_db
def test_the_copy_follows_additions_replacements_and_deletions(folder) -> None:
    rng = np.random.default_rng(11)
    stored = [_unit(rng) for _ in range(40)]
    ids = [_store(folder, v) for v in stored]
    assert _first(stored[7]) == ids[7]  # loads the copy

    late = _unit(rng)
    late_id = _store(folder, late)
    assert _first(late) == late_id  # added after the copy was made

    replacement = _unit(rng)
    PhotoEmbedding.objects.filter(pk=ids[3]).update(vector=replacement)
    vectors.put(ids[3], DIM, replacement)
    assert _first(replacement) == ids[3]
    assert _first(stored[3]) != ids[3]

    PhotoEmbedding.objects.get(pk=ids[5]).delete()  # the index follows the row
    assert ids[5] not in {i for i, _ in vectors.nearest(DIM, stored[5], 50)}
    assert len(vectors.nearest(DIM, stored[0], 500)) == 40


@pytest.mark.django_db
def test_a_copy_further_behind_than_the_log_keeps_reads_the_index_again(
    folder, monkeypatch
) -> None:
    monkeypatch.setattr(vectors, "LOG_KEEP", 2)
    monkeypatch.setattr(vectors, "PRUNE_EVERY", 1)
    rng = np.random.default_rng(12)
    first = _unit(rng)
    _store(folder, first)
    assert len(vectors.nearest(DIM, first, 50)) == 1
    later = [_unit(rng) for _ in range(10)]
    later_ids = [_store(folder, v) for v in later]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM photonix_vecbits_512_log")
        assert cursor.fetchone()[0] == 2  # the changes the copy missed are gone from the log
    assert [_first(v) for v in later] == later_ids
    assert len(vectors.nearest(DIM, first, 50)) == 11


@pytest.mark.django_db
def test_a_rolled_back_change_is_not_found(folder) -> None:
    rng = np.random.default_rng(13)
    kept = _unit(rng)
    kept_id = _store(folder, kept)
    ghost = _unit(rng)
    try:
        with transaction.atomic():
            ghost_id = _store(folder, ghost)
            assert _first(ghost) == ghost_id  # seen inside its own transaction
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    assert [i for i, _ in vectors.nearest(DIM, ghost, 50)] == [kept_id]
    # A new change after the rollback may reuse the log's numbers: the copy is not fooled.
    other = _unit(rng)
    other_id = _store(folder, other)
    assert _first(other) == other_id
    assert {i for i, _ in vectors.nearest(DIM, ghost, 50)} == {kept_id, other_id}


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_connection_is_found() -> None:
    rng = np.random.default_rng(14)
    folder = build.library("home", build.user("ann"))
    seen = _unit(rng)
    _store(folder, seen)
    assert len(vectors.nearest(DIM, seen, 10)) == 1  # this process's copy is made
    fresh = _unit(rng)
    made: list[int] = []

    def elsewhere() -> None:  # another worker's connection
        try:
            made.append(_store(folder, fresh))
        finally:
            connections.close_all()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert _first(fresh) == made[0]
