"""Test runs side by side claim broker databases of their own (tests/slots.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import redis

from tests import slots


def _exited_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _holder(number: int) -> str | None:
    client = redis.Redis.from_url(f"{slots.BASE_URL}/0", decode_responses=True)
    try:
        held: str | None = client.hget(slots.CLAIMS, str(number))  # type: ignore[assignment]
        return held
    finally:
        client.close()


def test_this_run_holds_its_broker_database() -> None:
    number = slots.number_of(os.environ["REDIS_URL"])
    if "PHOTONIX_TEST_REDIS_URL" in os.environ and _holder(number) is None:
        # Chosen by hand for this run, not claimed.
        return
    assert _holder(number) == str(os.getpid())


def test_a_live_run_keeps_its_claim_and_a_dead_one_loses_it() -> None:
    # A second "run": a live process that is not this one (the parent shell or pytest's parent).
    other = os.getppid()
    first = slots.claim(owner=other)
    try:
        assert _holder(first) == str(other)
        second = slots.claim()
        try:
            assert second != first, "a database held by a live run was handed out again"
        finally:
            slots.release(second, str(os.getpid()))
    finally:
        slots.release(first, str(other))
    assert _holder(first) is None

    dead = _exited_pid()
    taken = slots.claim(owner=dead)
    assert _holder(taken) == str(dead)
    mine: list[int] = []
    try:
        # Numbers other runs give back meanwhile may come first; the dead run's must come.
        while taken not in mine:
            mine.append(slots.claim())
        assert _holder(taken) == str(os.getpid())
    finally:
        for number in mine:
            slots.release(number, str(os.getpid()))
        slots.release(taken, str(dead))


def test_giving_back_only_frees_ones_own_claim() -> None:
    other = os.getppid()
    number = slots.claim(owner=other)
    try:
        slots.release(number, "1")
        assert _holder(number) == str(other)
    finally:
        slots.release(number, str(other))


def test_the_database_number_of_a_url() -> None:
    assert slots.number_of("redis://127.0.0.1:6379/7") == 7
    assert slots.number_of("redis://127.0.0.1:6379") == 0
