"""Each worker writes what it is doing to the broker; health reads it there.

A Celery bootstep in every worker's main process writes, every :data:`REPORT_INTERVAL` seconds, a
key ``photonix:worker:<name>`` holding the queues it consumes, which expires after
:data:`REPORT_TTL` seconds, and adds its name to the set ``photonix:workers``. A worker that
stops cleanly removes its key once its last task has finished; one that dies or hangs (its main
thread no longer runs, so it would not answer a broadcast either) disappears when its key
expires.

During a warm shutdown a worker consumes nothing and answers no broadcast, but still runs, and
holds the messages of, the tasks it had started — for up to the hard time limit. Its last report
says so (``stopping``, no queue) and lasts that long: health does not count it, and nobody takes
its messages for a dead worker's (``photonix.pipeline.services.restore_orphans``).

So the health endpoint learns which workers run, and which queues have a consumer, from two
reads on the broker instead of a broadcast that waits for every worker to answer (a second or
more, holding a web worker all that time).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from typing import Any, Final

import redis
from celery import bootsteps

from photonix.core.broker_client import broker_redis, redis_client_url
from photonix.core.queues import WORKER_KEY_PREFIX, WORKERS_KEY

logger = logging.getLogger(__name__)

#: Seconds between two reports of one worker.
REPORT_INTERVAL: Final = 5.0
#: Seconds a report stays: a worker silent this long is taken for gone.
REPORT_TTL: Final = 15


@dataclass(frozen=True)
class WorkerReport:
    """What a worker last said about itself."""

    queues: tuple[str, ...]
    stopping: bool = False


def worker_report(
    client: redis.Redis,
    name: str,
    queues: list[str],
    *,
    stopping: bool = False,
    ttl: int = REPORT_TTL,
) -> None:
    """Record that worker ``name`` runs and consumes ``queues`` (or is stopping), for ``ttl`` s."""
    state = {"queues": sorted(queues), "pid": os.getpid(), "stopping": stopping}
    pipe = client.pipeline(transaction=False)
    pipe.set(WORKER_KEY_PREFIX + name, json.dumps(state), ex=ttl)
    pipe.sadd(WORKERS_KEY, name)
    pipe.execute()


def worker_forget(client: redis.Redis, name: str) -> None:
    """Worker ``name`` stopped: it no longer counts, without waiting for its report to expire."""
    pipe = client.pipeline(transaction=False)
    pipe.delete(WORKER_KEY_PREFIX + name)
    pipe.srem(WORKERS_KEY, name)
    pipe.execute()


def reported_workers(socket_timeout: float = 2.0) -> dict[str, WorkerReport]:
    """The workers whose report has not expired, by name."""
    client = broker_redis(socket_timeout=socket_timeout)
    try:
        members: set[bytes] = client.smembers(WORKERS_KEY)  # type: ignore[assignment]
        names = sorted(member.decode() for member in members)
        values = client.mget([WORKER_KEY_PREFIX + name for name in names]) if names else []
    finally:
        client.close()
    workers: dict[str, WorkerReport] = {}
    for name, value in zip(names, values, strict=True):
        if value is None:
            continue  # gone: its report expired
        try:
            state = json.loads(value)
            report = WorkerReport(
                tuple(str(queue) for queue in state["queues"]), bool(state.get("stopping"))
            )
        except (ValueError, TypeError, KeyError):
            report = WorkerReport(())
        workers[name] = report
    return workers


class WorkerStateStep(bootsteps.StartStopStep):
    """The consumer bootstep that keeps this worker's report fresh (see the module docstring).

    It runs in the worker's event loop, the same thread that consumes messages and answers
    broadcasts: a worker whose loop is stuck stops reporting, as it would stop answering.
    """

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        self._timer: Any = None
        self._client: redis.Redis | None = None
        self._failing = False

    def start(self, parent: Any) -> None:
        if self._client is None:
            self._client = redis.Redis.from_url(
                redis_client_url(parent.app.conf.broker_url),
                socket_timeout=2,
                socket_connect_timeout=2,
            )
        self._report(parent)
        self._timer = parent.timer.call_repeatedly(REPORT_INTERVAL, self._report, (parent,))

    def stop(self, parent: Any) -> None:
        # At the start of a warm shutdown (the running tasks finish after it), and when the
        # broker connection is lost, before the consumer starts again.
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        limit = int(parent.app.conf.task_time_limit or 3600)
        self._report(parent, stopping=True, ttl=limit + 60)

    def shutdown(self, parent: Any) -> None:
        # After the last running task has finished.
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._client is not None:
            # When the broker is away, the report expires by itself.
            with contextlib.suppress(redis.RedisError, OSError):
                worker_forget(self._client, parent.hostname)
            self._client.close()
            self._client = None

    def _report(self, parent: Any, *, stopping: bool = False, ttl: int = REPORT_TTL) -> None:
        if self._client is None:
            return
        consumer = getattr(parent, "task_consumer", None)
        queues = [] if stopping or consumer is None else [queue.name for queue in consumer.queues]
        try:
            worker_report(self._client, parent.hostname, queues, stopping=stopping, ttl=ttl)
        except (redis.RedisError, OSError) as exc:
            if not self._failing:
                logger.warning("cannot report this worker's state to the broker: %s", exc)
            self._failing = True
        else:
            if self._failing:
                logger.info("reporting this worker's state to the broker again")
            self._failing = False
