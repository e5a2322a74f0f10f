"""One instance per installation: a lock in Redis for ``photonix beat`` and ``photonix watch``.

Each of those roles must run exactly once, whatever the number of hosts. Before it starts, the
role takes the key ``photonix:lock:<role>`` on the broker with ``SET NX`` and a time to live
(``PHOTONIX_LOCK_TTL``), and a thread renews it every third of that time. A second instance
started by accident — on this host or another — finds the key taken, says who holds it, and
waits: it takes over within one TTL when the first one stops or its host dies, so a standby
beat or watcher is safe to run.

If the holder cannot renew the lock for a whole TTL (the broker unreachable, or the key gone),
another instance may already have taken over: the holder stops itself (``on_lost``) rather than
run twice. Periodic tasks are idempotent anyway (docs/deploy.md), so an overlap costs only
duplicate work.

This module does not import Django.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import redis

logger = logging.getLogger("photonix.singleton")

KEY_PREFIX = "photonix:lock:"

# Renew only while we still hold it; release only our own lock.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"  # noqa: E501
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"  # noqa: E501


def lock_key(role: str) -> str:
    return f"{KEY_PREFIX}{role}"


def client_url(broker_url: str) -> str:
    """The redis-py form of a Celery broker URL (``redis+socket://`` becomes ``unix://``)."""
    if broker_url.startswith("redis+socket://"):
        return "unix://" + broker_url.removeprefix("redis+socket://")
    return broker_url


class SingletonLock:
    """The lock of one role (``beat``, ``watch``) on the broker at ``url``."""

    def __init__(self, role: str, url: str, ttl: float, *, client: Any = None) -> None:
        self.role = role
        self.key = lock_key(role)
        self.ttl = float(ttl)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.client: redis.Redis = client or redis.Redis.from_url(
            url, socket_timeout=max(1.0, self.ttl / 3), socket_connect_timeout=5
        )
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_renewed = 0.0

    @property
    def _ttl_ms(self) -> int:
        return int(self.ttl * 1000)

    def holder(self) -> str | None:
        """Who holds the lock (``host:pid:nonce``), or None."""
        value = self.client.get(self.key)
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    def try_acquire(self) -> bool:
        acquired = bool(self.client.set(self.key, self.token, nx=True, px=self._ttl_ms))
        if acquired:
            self._last_renewed = time.monotonic()
        return acquired

    def acquire(
        self,
        *,
        wait: bool = True,
        poll: float | None = None,
        announce: Callable[[str], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> bool:
        """Take the lock, waiting for it unless ``wait`` is false. True once held."""
        say = announce or logger.warning
        poll = poll if poll is not None else max(1.0, min(5.0, self.ttl / 3))
        told: str | None = None
        last_told = 0.0
        while not should_stop():
            try:
                if self.try_acquire():
                    if told is not None:
                        say(f"photonix {self.role}: took over the lock {self.key}")
                    return True
                holder = self.holder() or "(expiring)"
                message = (
                    f"photonix {self.role}: another instance is running (lock {self.key} held by "
                    f"{holder}); run exactly one {self.role} per installation."
                )
            except redis.RedisError as exc:
                holder = f"broker unreachable: {exc}"
                message = f"photonix {self.role}: cannot reach the broker for {self.key} ({exc})"
            if not wait:
                say(message)
                return False
            now = time.monotonic()
            if holder != told or now - last_told > 60:
                say(f"{message} Waiting to take over.")
                told, last_told = holder, now
            time.sleep(poll)
        return False

    def renew(self) -> bool:
        """Extend the lock; False when it is no longer ours."""
        ok = bool(self.client.eval(_RENEW, 1, self.key, self.token, self._ttl_ms))
        if ok:
            self._last_renewed = time.monotonic()
        return ok

    def start_renewing(self, on_lost: Callable[[], None]) -> None:
        """Renew every third of the TTL in a daemon thread; call ``on_lost`` if it slips away."""

        def loop() -> None:
            while not self._stop.wait(self.ttl / 3):
                try:
                    if self.renew():
                        continue
                    reason = "the lock was taken or expired"
                except redis.RedisError as exc:
                    if time.monotonic() - self._last_renewed < self.ttl:
                        logger.warning("could not renew %s (%s); retrying", self.key, exc)
                        continue
                    reason = f"the broker was unreachable for {self.ttl:g} s ({exc})"
                logger.error(
                    "photonix %s: lost the lock %s (%s); stopping so that it never runs twice",
                    self.role,
                    self.key,
                    reason,
                )
                self.lost.set()
                on_lost()
                return

        self._thread = threading.Thread(target=loop, name=f"lock-{self.role}", daemon=True)
        self._thread.start()

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            self.client.eval(_RELEASE, 1, self.key, self.token)
        except redis.RedisError as exc:
            logger.warning("could not release %s (%s); it expires by itself", self.key, exc)
        finally:
            self.client.close()
