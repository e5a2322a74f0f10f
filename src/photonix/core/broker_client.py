"""The broker as Redis holds it: its queues, their lengths, the paused set and the folders channel.

One place below every app that reads the broker's state directly (health, progress, the jobs
page, the watcher and the faces debounce all need a Redis client on the Celery broker). It sends
no task and imports no app: queue names and keys are plain data.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings

from photonix.core.queues import FOLDERS_CHANNEL, PAUSED_KEY, QUEUE_NAMES

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps one list per priority step: "queue", "queue\x06\x163", ...
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (0, 3, 6, 9)


def redis_client_url(broker_url: str) -> str:
    """The redis-py form of a Celery broker URL (``redis+socket://`` becomes ``unix://``)."""
    if broker_url.startswith("redis+socket://"):
        return "unix://" + broker_url.removeprefix("redis+socket://")
    return broker_url


def broker_redis(socket_timeout: float = 5) -> redis.Redis:
    """A client on the Celery broker; the caller closes it."""
    return redis.Redis.from_url(
        redis_client_url(settings.CELERY_BROKER_URL), socket_timeout=socket_timeout
    )


def broker_outstanding() -> tuple[dict[str, int], int]:
    """Messages waiting in each queue, and messages delivered but not yet acknowledged."""
    client = broker_redis()
    try:
        pipe = client.pipeline(transaction=False)
        for queue in QUEUE_NAMES:
            for step in PRIORITY_STEPS:
                pipe.llen(queue if step == 0 else f"{queue}{PRIORITY_SEPARATOR}{step}")
        pipe.hlen("unacked")
        counts = pipe.execute()
    finally:
        client.close()
    per_queue = {
        queue: sum(counts[i * len(PRIORITY_STEPS) : (i + 1) * len(PRIORITY_STEPS)])
        for i, queue in enumerate(QUEUE_NAMES)
    }
    return per_queue, int(counts[-1])


def paused_queues() -> set[str]:
    client = broker_redis()
    try:
        return {q.decode() for q in client.smembers(PAUSED_KEY)}  # type: ignore[union-attr]
    finally:
        client.close()


def publish_folders_changed() -> None:
    """Ask a running watcher to reload its folders. Harmless when none runs."""
    client = broker_redis(socket_timeout=2)
    try:
        client.publish(FOLDERS_CHANNEL, "reload")
    except redis.RedisError as exc:
        logger.warning(
            "could not tell the watcher about new folders (%s); it reloads at start", exc
        )
    finally:
        client.close()
