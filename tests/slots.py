"""Broker databases claimed per test run, so that runs side by side on one machine never meet.

The local Redis has sixteen databases. Database 0 holds a claims table (``photonix-test:claims``:
database number -> process id of the pytest run that holds it); a run takes free numbers from 1 to
15 and gives them back when it ends. A claim whose process is gone (a run that was killed) is free
again. The same number names the run's PostgreSQL test database (``test_<name>_run<N>``, see
``tests/conftest.py``), so two runs never create, flush or drop each other's data.
"""

from __future__ import annotations

import atexit
import os

import redis

BASE_URL = os.environ.get("PHOTONIX_TEST_REDIS_BASE", "redis://127.0.0.1:6379")
CLAIMS = "photonix-test:claims"
DATABASES = range(1, 16)

# Take database ARGV[1] for pid ARGV[2] if it is free, or still held by ARGV[3] (a dead process).
_TAKE = """
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if (not owner) or owner == ARGV[3] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
"""
# Give database ARGV[1] back if pid ARGV[2] still holds it.
_GIVE_BACK = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
"""


class NoFreeDatabaseError(RuntimeError):
    pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim(owner: int | None = None) -> int:
    """A broker database number (1-15) of this run's own, given back when the process exits."""
    pid = str(owner if owner is not None else os.getpid())
    client = redis.Redis.from_url(f"{BASE_URL}/0", decode_responses=True)
    try:
        take = client.register_script(_TAKE)
        for number in DATABASES:
            held_by = client.hget(CLAIMS, str(number))
            if held_by is not None and (held_by == pid or _alive(int(held_by))):
                continue
            if take(keys=[CLAIMS], args=[number, pid, held_by or ""]):
                atexit.register(release, number, pid)
                return number
    finally:
        client.close()
    raise NoFreeDatabaseError(
        f"all {len(DATABASES)} test broker databases on {BASE_URL} are held by running test runs "
        f"(see HGETALL {CLAIMS} in database 0)"
    )


def claim_url(owner: int | None = None) -> str:
    return f"{BASE_URL}/{claim(owner)}"


def release(number: int, pid: str) -> None:
    client = redis.Redis.from_url(f"{BASE_URL}/0", decode_responses=True)
    try:
        client.register_script(_GIVE_BACK)(keys=[CLAIMS], args=[number, pid])
    except redis.RedisError:
        pass  # the claim is freed anyway once this process is gone
    finally:
        client.close()


def number_of(url: str) -> int:
    """The database number in a ``redis://host:port/N`` URL (0 when it names none)."""
    tail = url.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0
