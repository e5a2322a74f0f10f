"""Health of the parts Photonix needs: database, broker and workers.

Used by ``GET /api/health`` and ``photonix status``. Each check is bounded in time so a dead broker
makes the report say so quickly instead of hanging.
"""

from __future__ import annotations

import platform
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


def check_workers(timeout: float = 2.0) -> Component:
    """Which workers answer, and that every queue holding work has one of them consuming it.

    A queue with messages and no consumer (a worker host started with the wrong ``--queues``)
    makes this check fail, naming the queue; a queue a person paused is named but does not.
    """

    def run() -> str:
        replies = celery_app.control.inspect(timeout=timeout).active_queues() or {}
        names = sorted(replies)
        if not names:
            raise RuntimeError("no worker answered a ping")
        consumed = {str(queue.get("name")) for queues in replies.values() for queue in queues or ()}
        detail = f"{len(names)} answering: {', '.join(names)}"
        stuck, held = unconsumed_queues(consumed)
        if stuck:
            raise UnconsumedQueueError(f"{detail}; but {'; '.join(stuck + held)}")
        return "; ".join([detail, *held])

    return _timed(run)


def health_report(worker_timeout: float = 2.0) -> HealthReport:
    """Check every part; ``status`` is ``ok`` only when all of them are."""
    components: dict[str, Component] = {"database": check_database()}
    components["broker"] = check_broker()
    if components["broker"]["ok"]:
        components["workers"] = check_workers(worker_timeout)
    else:
        components["workers"] = {
            "ok": False,
            "detail": "not checked: the broker is unreachable",
            "latency_ms": None,
        }
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
