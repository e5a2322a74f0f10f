"""The vector index of smart search: sqlite-vec on SQLite, pgvector on PostgreSQL.

Embeddings live in :class:`~photonix.classifiers.models.PhotoEmbedding`; beside them, one index
table per vector size holds the same vectors keyed by the embedding's id, and answers "the k
nearest by cosine distance" without reading every row into Python:

- SQLite: a ``vec0`` virtual table of sqlite-vec, loaded into every connection
  (``load_sqlite_vec``). Vectors of 128 dimensions or more (a multiple of 8) are indexed by their
  sign bits (``photonix_vecbits_<dim>``: 64 bytes for 512-d, a 32nd of the floats). Candidates,
  eight times as many as asked for, are the nearest by Hamming distance, ranked again by their
  exact cosine distance from the stored embeddings. sqlite-vec's own KNN costs grow with the
  number of candidates (about 160 ms for 400 among 100,000), so each process keeps a copy of the
  bit index in memory (:class:`_BitScan`: 6.4 MB at 100,000 photos) and scans it with numpy
  (a few milliseconds); a change log beside the index (``photonix_vecbits_<dim>_log``, written in
  the same transaction as every change) keeps each copy in step without reading it all again.
  Smaller vectors go in a ``float[<dim>]`` table (``photonix_vec_<dim>``) searched exactly by
  sqlite-vec.
- PostgreSQL: a table with a ``vector(<dim>)`` column and an HNSW index
  (``vector_cosine_ops``), from the ``vector`` extension the migration creates.

When the extension is missing (no pgvector on the server, or a Python whose SQLite cannot load
extensions) :func:`unavailable` says why, and smart search answers 503 with that reason;
everything else works.
"""

# ruff: noqa: S608 - table names are "photonix_vec_" and an int, never user text
from __future__ import annotations

import logging
import secrets
import threading
from array import array
from typing import TYPE_CHECKING, Any, Final

from django.db import DatabaseError, transaction
from django.db import connection as default_connection

from photonix.classifiers.models import PhotoEmbedding
from photonix.core.errors import Category, PhotonixError
from photonix.library.models import Photo

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

logger = logging.getLogger(__name__)

KNN_MAX: Final = 4096  # sqlite-vec's largest k; plenty for a page of results
EF_SEARCH_MAX: Final = 1000  # pgvector's largest hnsw.ef_search


OVERSAMPLE: Final = 8  # candidates from the bit index per result asked for
MIN_CANDIDATES: Final = 200
APPLY_MAX: Final = 2_000  # more changes than this: a copy reads the whole index again
LOG_KEEP: Final = 50_000  # changes the log keeps; a copy further behind reads the index again
PRUNE_EVERY: Final = 1_024  # changes between two prunings of the log


def _bits(dim: int, connection: Any) -> bool:
    """Whether ``dim``-d vectors are indexed by their sign bits (SQLite, 128-d and more)."""
    return connection.vendor == "sqlite" and dim >= 128 and dim % 8 == 0


def table(dim: int, connection: Any = default_connection) -> str:
    if _bits(dim, connection):
        return f"photonix_vecbits_{int(dim)}"
    return f"photonix_vec_{int(dim)}"


def _sqlite_value(dim: int, connection: Any) -> str:
    """The SQL that turns a float32 blob parameter into what the SQLite table stores."""
    return "vec_quantize_binary(vec_f32(%s))" if _bits(dim, connection) else "%s"


def load_sqlite_vec(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: load sqlite-vec into a new SQLite connection."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    try:
        import sqlite_vec

        raw.enable_load_extension(True)
        sqlite_vec.load(raw)
        raw.enable_load_extension(False)
    except Exception as exc:  # noqa: BLE001 - whatever the reason, vectors are unavailable
        connection.photonix_vec_problem = f"sqlite-vec cannot be loaded: {exc}"
    else:
        connection.photonix_vec_problem = ""


def create_extension(connection: Any, *, quiet: bool = False) -> None:
    """PostgreSQL: create the ``vector`` extension when the server has it (the migration, and
    the first search after pgvector was installed; ``quiet``: say nothing when it is not)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            if not quiet:
                logger.warning(
                    "PostgreSQL has no pgvector extension: smart search stays unavailable until "
                    "it is installed (Debian: postgresql-<version>-pgvector)"
                )
            return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except DatabaseError as exc:  # not the owner of the database, say
        logger.warning("cannot create PostgreSQL's vector extension: %s", exc)


def unavailable(connection: Any = default_connection) -> str:
    """Why vectors cannot be searched on this database, or ``""`` when they can."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        problem = getattr(connection, "photonix_vec_problem", None)
        return "sqlite-vec is not loaded" if problem is None else str(problem)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
            installed = cursor.fetchone() is not None
        if not installed:
            # pgvector installed on the server since the migration ran: create it now.
            create_extension(connection, quiet=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
            if cursor.fetchone() is None:
                return (
                    "the PostgreSQL server has no pgvector extension (install "
                    "postgresql-<version>-pgvector, then run 'photonix manage migrate')"
                )
        return ""
    return f"no vector index for {connection.vendor}"


def _literal(vector: bytes) -> str:
    values = array("f")
    values.frombytes(vector)
    return "[" + ",".join(f"{v:.7g}" for v in values) + "]"


def ensure_index(dim: int, connection: Any = default_connection, *, build: bool = True) -> None:
    """Create the index table for ``dim``-d vectors if it is not there yet (PostgreSQL: and its
    HNSW index, unless ``build`` is false: a bulk load builds it afterwards, faster)."""
    name = table(dim, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            column = (
                f"embedding bit[{int(dim)}]"
                if _bits(dim, connection)
                else f"embedding float[{int(dim)}] distance_metric=cosine"
            )
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING vec0({column})")
            if _bits(dim, connection):
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {name}_log (seq INTEGER PRIMARY KEY "
                    "AUTOINCREMENT, id INTEGER NOT NULL, token INTEGER NOT NULL)"
                )
            return
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {name} "
            f"(id bigint PRIMARY KEY, embedding vector({int(dim)}) NOT NULL)"
        )
        if build:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name}_hnsw ON {name} "
                "USING hnsw (embedding vector_cosine_ops)"
            )


def put(embedding_id: int, dim: int, vector: bytes, connection: Any = default_connection) -> None:
    """Index (or re-index) one embedding."""
    ensure_index(dim, connection)
    name, value = table(dim, connection), _sqlite_value(dim, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {name} WHERE rowid = %s", [embedding_id])
            cursor.execute(
                f"INSERT INTO {name}(rowid, embedding) VALUES (%s, {value})",
                [embedding_id, vector],
            )
            _log(cursor, dim, [embedding_id], connection)
        else:
            cursor.execute(
                f"INSERT INTO {name} (id, embedding) VALUES (%s, %s::vector) "
                "ON CONFLICT (id) DO UPDATE SET embedding = EXCLUDED.embedding",
                [embedding_id, _literal(vector)],
            )


def remove(embedding_id: int, dim: int, connection: Any = default_connection) -> None:
    """Take one embedding out of the index (its row was deleted)."""
    if unavailable(connection):
        return
    ensure_index(dim, connection)
    with connection.cursor() as cursor:
        key = "rowid" if connection.vendor == "sqlite" else "id"
        cursor.execute(f"DELETE FROM {table(dim, connection)} WHERE {key} = %s", [embedding_id])
        _log(cursor, dim, [embedding_id], connection)


def on_embedding_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_delete`` receiver of ``PhotoEmbedding``: its index entry goes too (a search also
    skips entries whose embedding is gone)."""
    remove(instance.pk, instance.dim)


def put_many(rows: list[tuple[int, bytes]], dim: int, connection: Any = default_connection) -> None:
    """Index many new embeddings at once (a bulk load: on PostgreSQL the HNSW index is built
    once the rows are in, call :func:`ensure_index` after the last batch)."""
    ensure_index(dim, connection, build=False)
    name, value = table(dim, connection), _sqlite_value(dim, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT INTO {name}(rowid, embedding) VALUES (%s, {value})",
                rows,
            )
            _log(cursor, dim, [i for i, _ in rows], connection)
        else:
            cursor.executemany(
                f"INSERT INTO {name} (id, embedding) VALUES (%s, %s::vector)",
                [(i, _literal(v)) for i, v in rows],
            )


def nearest(
    dim: int, vector: bytes, k: int, connection: Any = default_connection
) -> list[tuple[int, float]]:
    """The ``k`` indexed embeddings nearest ``vector``: (embedding id, cosine distance), nearest
    first. Answered from the index (sqlite-vec's KNN, pgvector's HNSW), never a table scan."""
    ensure_index(dim, connection)
    name = table(dim, connection)
    k = max(1, min(k, KNN_MAX))
    if connection.vendor == "sqlite":
        bits = _bits(dim, connection)
        wanted = min(KNN_MAX, max(k * OVERSAMPLE, MIN_CANDIDATES)) if bits else k
        if bits:
            hits = _BitScan.of(dim, connection).nearest(vector, wanted, connection)
            return _rescored(hits, vector, k)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, distance FROM {name} "
                f"WHERE embedding MATCH {_sqlite_value(dim, connection)} AND k = %s "
                "ORDER BY distance",
                [vector, wanted],
            )
            return [(int(i), float(d)) for i, d in cursor.fetchall()]
    literal = _literal(vector)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL hnsw.ef_search = {max(40, min(k, EF_SEARCH_MAX))}")
        cursor.execute(
            f"SELECT id, embedding <=> %s::vector FROM {name} "
            "ORDER BY embedding <=> %s::vector LIMIT %s",
            [literal, literal, k],
        )
        return [(int(i), float(d)) for i, d in cursor.fetchall()]


def _rescored(hits: list[tuple[int, float]], vector: bytes, k: int) -> list[tuple[int, float]]:
    """The bit index's candidates ranked by exact cosine distance (embeddings are unit length)."""
    import numpy as np

    stored = dict(
        PhotoEmbedding.objects.filter(pk__in=[i for i, _ in hits]).values_list("pk", "vector")
    )
    ids = [i for i, _ in hits if i in stored]
    if not ids:
        return []
    matrix = np.frombuffer(b"".join(bytes(stored[i]) for i in ids), dtype=np.float32)
    query = np.frombuffer(vector, dtype=np.float32)
    distances = 1.0 - matrix.reshape(len(ids), query.size) @ query
    order = np.argsort(distances, kind="stable")[:k]
    return [(ids[j], float(distances[j])) for j in order]


def _log(cursor: Any, dim: int, ids: list[int], connection: Any) -> None:
    """SQLite bit index: note that these embeddings changed (the copies in memory follow)."""
    if not ids or not _bits(dim, connection):
        return
    name = f"{table(dim, connection)}_log"
    cursor.executemany(
        f"INSERT INTO {name} (id, token) VALUES (%s, %s)",
        [(i, secrets.randbits(62)) for i in ids],
    )
    cursor.execute(f"SELECT max(seq) FROM {name}")
    (last,) = cursor.fetchone()
    if last % PRUNE_EVERY < len(ids) or len(ids) >= PRUNE_EVERY:  # now and then
        cursor.execute(f"DELETE FROM {name} WHERE seq <= %s", [last - LOG_KEEP])


class _BitScan:
    """One process's copy of a SQLite bit index: the embedding ids and their sign bits.

    Before each search it reads where the change log ends (one query). A copy that is behind
    applies the changes since it was last in step — rows added, replaced or deleted — reading
    only those rows; a copy the log cannot bring up to date (further behind than the log keeps,
    or its last change is not in the log any more: a rolled-back transaction) reads the index
    again. The search is a brute-force Hamming scan in numpy, the same as sqlite-vec's, without
    its cost per candidate.
    """

    _copies: dict[tuple[str, int], _BitScan] = {}
    _lock = threading.Lock()

    def __init__(self, dim: int) -> None:
        import numpy as np

        self.dim = dim
        self.words = dim // 64 if dim % 64 == 0 else 0  # uint64 words, else bytes are scanned
        self.ids: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self.bits: npt.NDArray[Any] = np.empty((0, dim // 8), dtype=np.uint8)
        self.row: dict[int, int] = {}
        self.seq: int | None = None  # the last change applied; None: never loaded
        self.token = 0
        self.lock = threading.Lock()

    @classmethod
    def of(cls, dim: int, connection: Any) -> _BitScan:
        key = (str(connection.settings_dict["NAME"]), dim)
        with cls._lock:
            scan = cls._copies.get(key)
            if scan is None:
                scan = cls._copies[key] = cls(dim)
        return scan

    def nearest(self, vector: bytes, wanted: int, connection: Any) -> list[tuple[int, float]]:
        import numpy as np

        with self.lock:
            self._sync(connection)
            if not len(self.ids):
                return []
            query = np.packbits(np.frombuffer(vector, dtype=np.float32) > 0, bitorder="little")
            rows, words = self._words(self.bits), self._words(query[np.newaxis, :])
            distances = np.bitwise_count(rows ^ words).sum(axis=1, dtype=np.int32)
            live = self.ids >= 0
            distances[~live] = np.iinfo(np.int32).max
            wanted = min(wanted, int(live.sum()))
            if wanted <= 0:
                return []
            part = np.argpartition(distances, wanted - 1)[:wanted]
            part = part[np.argsort(distances[part], kind="stable")]
            return [(int(self.ids[j]), float(distances[j])) for j in part]

    def _words(self, bits: npt.NDArray[np.uint8]) -> npt.NDArray[Any]:
        import numpy as np

        return bits.view(np.uint64) if self.words else bits

    def _sync(self, connection: Any) -> None:
        name = table(self.dim, connection)
        log = f"{name}_log"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT min(seq) FROM {log}), (SELECT max(seq) FROM {log}), "
                f"(SELECT token FROM {log} WHERE seq = %s)",
                [self.seq or 0],
            )
            first, last, token = cursor.fetchone()
            if self.seq is None:
                in_step = False
            elif self.seq == 0:
                in_step = first is None or first == 1
            else:
                in_step = token == self.token
            if not in_step:
                self._load(cursor, name, last)
                return
            if (last or 0) == self.seq:
                return
            cursor.execute(
                f"SELECT seq, id, token FROM {log} WHERE seq > %s ORDER BY seq", [self.seq]
            )
            changes = cursor.fetchall()
            ids = sorted({int(i) for _, i, _ in changes})
            if len(ids) > APPLY_MAX:  # a bulk change: reading everything is quicker
                self._load(cursor, name, last)
                return
            cursor.execute(
                f"SELECT rowid, embedding FROM {name} WHERE rowid IN "
                f"({','.join(['%s'] * len(ids))})",
                ids,
            )
            self._apply(ids, dict(cursor.fetchall()))
            self.seq, _, self.token = changes[-1]

    def _load(self, cursor: Any, name: str, last: int | None) -> None:
        import numpy as np

        log = f"{name}_log"
        cursor.execute(f"SELECT seq, token FROM {log} WHERE seq = %s", [last or 0])
        row = cursor.fetchone()
        # Read the index after the log's end: a change in between is applied again next time.
        cursor.execute(f"SELECT rowid, embedding FROM {name}")
        found = cursor.fetchall()
        self.ids = np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found))
        self.bits = np.frombuffer(b"".join(r[1] for r in found), dtype=np.uint8).reshape(
            len(found), self.dim // 8
        )
        self.row = {int(i): j for j, i in enumerate(self.ids)}
        self.seq, self.token = (int(row[0]), int(row[1])) if row else (0, 0)

    def _apply(self, ids: list[int], found: dict[int, bytes]) -> None:
        import numpy as np

        added: list[int] = []
        bits = self.bits.copy()
        for embedding_id in ids:
            row = self.row.get(embedding_id)
            value = found.get(embedding_id)
            if row is None:
                if value is not None:
                    added.append(embedding_id)
            elif value is None:
                self.ids[row] = -1  # deleted: skipped by the scan
                del self.row[embedding_id]
            else:
                bits[row] = np.frombuffer(value, dtype=np.uint8)
        if added:
            new = np.frombuffer(b"".join(found[i] for i in added), dtype=np.uint8)
            bits = np.concatenate([bits, new.reshape(len(added), self.dim // 8)])
            start = len(self.ids)
            self.ids = np.concatenate([self.ids, np.array(added, dtype=np.int64)])
            self.row.update({i: start + n for n, i in enumerate(added)})
        self.bits = bits


class SmartSearchUnavailable(PhotonixError):  # noqa: N818 - reads better at the raise site
    """Smart search cannot answer: its model is missing, or the database has no vector index."""

    category = Category.UNAVAILABLE


def require_index() -> None:
    problem = unavailable()
    if problem:
        raise SmartSearchUnavailable(f"Smart search is unavailable: {problem}.")


@transaction.atomic
def photo_store_embedding(photo: Photo, model: str, version: int, vector: bytes) -> PhotoEmbedding:
    """Keep ``photo``'s embedding of ``model`` (replacing an older one) and index it.

    Without a vector index nothing is stored and the stage fails with the reason; it is run
    again once the index is there (retry the failed jobs).
    """
    require_index()
    dim = len(vector) // 4
    embedding, _ = PhotoEmbedding.objects.update_or_create(
        photo=photo, model=model, defaults={"version": version, "dim": dim, "vector": vector}
    )
    put(embedding.pk, dim, vector)
    return embedding
