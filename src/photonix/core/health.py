"""Health of the parts Photonix needs: database, broker and workers.

Used by ``GET /api/health`` and ``photonix status``. Each check is bounded in time so a dead broker
makes the report say so quickly instead of hanging.

Workers are known two ways. ``photonix status`` asks them (a broadcast that waits up to its
timeout for every answer); the web endpoint reads what each worker reports about itself on the
broker (:mod:`photonix.core.worker_state`), so a request never waits for workers to answer, and
callers other than administrators get a report at most :data:`SNAPSHOT_SECONDS` old, checked
once per web process.
"""

from __future__ import annotations

import platform
import threading
import time
from collections.abc import Callable
from typing import Any, TypedDict

import celery
import django
import redis
from django.conf import settings
from django.db import connection

import photonix
from photonix.celery import app as celery_app
from photonix.conf import redact_url
from photonix.core.broker_client import broker_outstanding, paused_queues, redis_client_url
from photonix.core.worker_state import REPORT_TTL, reported_workers

#: How old a report answered to callers other than administrators may be.
SNAPSHOT_SECONDS = 5.0


class Component(TypedDict):
    ok: bool
    detail: str
    latency_ms: float | None


class HealthReport(TypedDict):
    status: str
    version: str
    components: dict[str, Component]
    versions: dict[str, str]


def _timed(check: Callable[[], str]) -> Component:
    start = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # noqa: BLE001 - any failure is the answer here
        return {"ok": False, "detail": f"{type(exc).__name__}: {exc}", "latency_ms": None}
    return {
        "ok": True,
        "detail": detail,
        "latency_ms": round((time.perf_counter() - start) * 1e3, 1),
    }


def check_database() -> Component:
    def run() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if connection.vendor == "postgresql":
            return f"postgresql {connection.pg_version}"  # type: ignore[attr-defined]
        if connection.vendor == "sqlite":
            return f"sqlite {connection.Database.sqlite_version}"  # type: ignore[attr-defined]
        return connection.vendor

    return _timed(run)


def check_broker(timeout: float = 2.0) -> Component:
    url: str = settings.CELERY_BROKER_URL

    def run() -> str:
        client = redis.Redis.from_url(
            redis_client_url(url), socket_timeout=timeout, socket_connect_timeout=timeout
        )
        try:
            client.ping()
            info: dict[str, Any] = client.info("server")
        finally:
            client.close()
        name = "valkey" if "valkey_version" in info else "redis"
        version = info.get("valkey_version") or info.get("redis_version", "?")
        return f"{name} {version} at {redact_url(url)}"

    return _timed(run)


class UnconsumedQueueError(RuntimeError):
    """Work waits in a queue that no running worker consumes: it would wait forever."""


def unconsumed_queues(consumed: set[str]) -> tuple[list[str], list[str]]:
    """Queues holding messages that no worker consumes: (stuck ones, paused ones), described."""
    waiting, _ = broker_outstanding()
    paused = paused_queues()
    stuck: list[str] = []
    held: list[str] = []
    for queue, count in waiting.items():
        if count and queue not in consumed:
            problem = f"queue {queue!r} has {count} waiting and no worker consumes it"
            if queue in paused:
                held.append(problem + " (paused)")
            else:
                stuck.append(problem)
    return stuck, held


def _workers_detail(replies: dict[str, list[str]]) -> str:
    """Describe the workers (name → queues consumed); raise when none, or when work waits unseen."""
    names = sorted(replies)
    consumed = {queue for queues in replies.values() for queue in queues}
    detail = f"{len(names)} answering: {', '.join(names)}"
    stuck, held = unconsumed_queues(consumed)
    if stuck:
        raise UnconsumedQueueError(f"{detail}; but {'; '.join(stuck + held)}")
    return "; ".join([detail, *held])


def check_workers(timeout: float = 2.0) -> Component:
    """Which workers answer, and that every queue holding work has one of them consuming it.

    A queue with messages and no consumer (a worker host started with the wrong ``--queues``)
    makes this check fail, naming the queue; a queue a person paused is named but does not.
    Asks the workers (a broadcast waiting ``timeout`` seconds): for ``photonix status``.
    """

    def run() -> str:
        replies = celery_app.control.inspect(timeout=timeout).active_queues() or {}
        if not replies:
            raise RuntimeError("no worker answered a ping")
        return _workers_detail(
            {
                name: [str(queue.get("name")) for queue in queues or ()]
                for name, queues in replies.items()
            }
        )

    return _timed(run)


def check_reported_workers() -> Component:
    """:func:`check_workers` from what the workers report on the broker: no broadcast, no wait."""

    def run() -> str:
        running = {
            name: list(report.queues)
            for name, report in reported_workers().items()
            if not report.stopping
        }
        if not running:
            raise RuntimeError(f"no worker has reported in the last {REPORT_TTL}s")
        return _workers_detail(running)

    return _timed(run)


def health_report(worker_timeout: float = 2.0, *, ask_workers: bool = True) -> HealthReport:
    """Check every part; ``status`` is ``ok`` only when all of them are.

    With ``ask_workers`` the workers are asked (waiting up to ``worker_timeout``); without, their
    own reports on the broker are read.
    """
    components: dict[str, Component] = {"database": check_database()}
    components["broker"] = check_broker()
    if not components["broker"]["ok"]:
        components["workers"] = {
            "ok": False,
            "detail": "not checked: the broker is unreachable",
            "latency_ms": None,
        }
    elif ask_workers:
        components["workers"] = check_workers(worker_timeout)
    else:
        components["workers"] = check_reported_workers()
    ok = all(component["ok"] for component in components.values())
    return {
        "status": "ok" if ok else "degraded",
        "version": photonix.__version__,
        "components": components,
        "versions": {
            "photonix": photonix.__version__,
            "python": platform.python_version(),
            "django": django.get_version(),
            "celery": celery.__version__,
        },
    }


_snapshot: tuple[float, HealthReport] | None = None
_snapshot_lock = threading.Lock()


def recent_health_report(max_age: float = SNAPSHOT_SECONDS) -> HealthReport:
    """A report of at most ``max_age`` seconds ago, checked again by one caller at a time.

    While one thread checks, the others answer with the previous report instead of queueing
    behind it. The caller must not change the report: it is shared.
    """
    global _snapshot  # noqa: PLW0603 - one snapshot per process is the point
    snapshot = _snapshot
    if snapshot is not None and time.monotonic() - snapshot[0] < max_age:
        return snapshot[1]
    if not _snapshot_lock.acquire(blocking=snapshot is None):
        assert snapshot is not None  # noqa: S101 - acquired with blocking=True otherwise
        return snapshot[1]
    try:
        current = _snapshot
        if current is not None and current is not snapshot:
            return current[1]  # another thread checked while this one waited
        report = health_report(ask_workers=False)
        _snapshot = (time.monotonic(), report)
        return report
    finally:
        _snapshot_lock.release()


def forget_recent_health_report() -> None:
    """Drop the snapshot (tests, after changing what the checks would find)."""
    global _snapshot  # noqa: PLW0603
    _snapshot = None
