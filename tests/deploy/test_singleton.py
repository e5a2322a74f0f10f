"""Beat and the watcher run once: the single-instance lock on the broker (real Redis)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from photonix.singleton import SingletonLock, lock_key


def test_a_second_instance_is_refused_until_the_first_releases(clean_broker: str) -> None:
    first = SingletonLock("beat", clean_broker, ttl=5)
    second = SingletonLock("beat", clean_broker, ttl=5)
    said: list[str] = []
    assert first.acquire(wait=False)
    assert not second.acquire(wait=False, announce=said.append)
    assert first.token in said[0] and "run exactly one beat" in said[0]
    first.release()
    assert second.acquire(wait=False)
    assert second.holder() == second.token
    second.release()
    assert second.holder() is None


def test_a_dead_holder_is_replaced_once_its_claim_runs_out(clean_broker: str) -> None:
    dead = SingletonLock("watch", clean_broker, ttl=1)
    assert dead.acquire(wait=False)  # and never renewed: its host died
    standby = SingletonLock("watch", clean_broker, ttl=1)
    # Taken once the dead holder's claim runs out (the bound only keeps a broken lock from hanging).
    give_up = time.monotonic() + 60
    assert standby.acquire(
        poll=0.1, announce=lambda _: None, should_stop=lambda: time.monotonic() > give_up
    )
    assert standby.holder() == standby.token
    standby.release()


def test_renewal_keeps_the_lock_and_a_lost_lock_is_reported(clean_broker: str) -> None:
    lock = SingletonLock("beat", clean_broker, ttl=1)
    lost = threading.Event()
    assert lock.acquire(wait=False)
    lock.start_renewing(on_lost=lost.set)
    time.sleep(2.5)  # well past the TTL: still ours thanks to the renewals
    assert lock.holder() == lock.token
    lock.client.delete(lock_key("beat"))  # someone broke it (or it expired during a partition)
    assert lost.wait(3)
    assert lock.lost.is_set()
    lock.release()


@pytest.mark.integration
def test_photonix_beat_will_not_start_twice(clean_broker: str) -> None:
    holder = SingletonLock("beat", clean_broker, ttl=30)
    assert holder.acquire(wait=False)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "photonix", "beat", "--no-wait"],
            env={**os.environ, "REDIS_URL": clean_broker},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        holder.release()
    assert result.returncode == 1, result.stderr
    assert "another instance is running" in result.stderr
    assert holder.token in result.stderr
