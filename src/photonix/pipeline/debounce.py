"""Work that runs once things settle: one pending run per key, however many requests came.

Every photo of an import that stores faces asks for its library's people to be grouped again, and
grouping reads the whole library: it should run once the faces stop changing, not once a photo.
A :class:`Debounce` coalesces such requests in the broker, without polling:

- :meth:`Debounce.request` (after the commit that made the change) records the request in a Redis
  hash (one field per key). Only the request that finds no run pending sends a *timer* task, with
  a countdown of ``delay`` seconds; the others only move the "last request" time on.
- The timer (:meth:`Debounce.due`) runs when its countdown is over. Requests came since: it sends
  itself again for the rest of the quiet spell (``last + delay``), or at the latest for
  ``first + max_delay``, so a long import still gets a run every ``max_delay``. Due: the timer
  sends the real run, and only once it is sent is the field marked ``sent``. A send that fails
  (the broker away for a moment) leaves the field waiting, and the timer's retry sends the run.
- The run reads the request counter before it starts (:meth:`Debounce.seen`) and, when it is
  done — or has failed for good — :meth:`Debounce.settle` removes the field unless a request
  came meanwhile, in which case the field waits again and a new timer is sent: the last run
  always starts after the last request was recorded.

The field exists from the first request until the run covering the last one has finished, so it
is what ``photonix wait`` and the jobs summary count as work still to do (:meth:`pending`).
Times are the broker's own clock (Redis ``TIME``), the same for every host. A field whose timer
or run the broker lost is sent again by the reconciliation (:func:`rearm_stale`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Final

import redis
from django.conf import settings

from photonix.celery import app
from photonix.core.broker_client import broker_redis

WAITING: Final = "waiting"  # requested; the timer counts down the quiet spell
SENT: Final = "sent"  # the run is queued or running

# A field is "first last seq state": times of the first and last request (seconds, broker
# clock), how many requests came, and whether the run was sent.
_PARSE: Final = "local first, last, seq, state = string.match(v, '^(%S+) (%S+) (%S+) (%S+)$')\n"
_NOW: Final = (
    "local t = redis.call('TIME')\nlocal now = tonumber(t[1]) + tonumber(t[2]) / 1000000\n"
)
_REQUEST: Final = (
    _NOW
    + "local v = redis.call('HGET', KEYS[1], ARGV[1])\n"
    + "if not v then\n"
    + "  redis.call('HSET', KEYS[1], ARGV[1], string.format('%.6f %.6f 1 waiting', now, now))\n"
    + "  return 1\n"
    + "end\n"
    + _PARSE
    + "redis.call('HSET', KEYS[1], ARGV[1],"
    + " string.format('%s %.6f %d %s', first, now, tonumber(seq) + 1, state))\n"
    + "return 0\n"
)
# {-1}: nothing waits (settled, or the run was sent); {n}: n ms to wait; {0, first}: due — the
# caller sends the run, then marks it sent with ``first`` (which the run or the reconciliation
# rewrite when the field waits again).
_DUE: Final = (
    _NOW
    + "local v = redis.call('HGET', KEYS[1], ARGV[1])\n"
    + "if not v then return {-1} end\n"
    + _PARSE
    + "if state ~= 'waiting' then return {-1} end\n"
    + "local due = math.min(tonumber(last) + tonumber(ARGV[2]),"
    + " tonumber(first) + tonumber(ARGV[3]))\n"
    + "if due > now then return {math.ceil((due - now) * 1000)} end\n"
    + "return {0, first}\n"
)
# 1: marked sent; 0: the field was settled or waits again since (a new timer covers it).
_SENT: Final = (
    "local v = redis.call('HGET', KEYS[1], ARGV[1])\n"
    + "if not v then return 0 end\n"
    + _PARSE
    + "if state ~= 'waiting' or first ~= ARGV[2] then return 0 end\n"
    + "redis.call('HSET', KEYS[1], ARGV[1], string.format('%s %s %s sent', first, last, seq))\n"
    + "return 1\n"
)
# 0: settled (removed, or already gone); 1: requests came during the run, the field waits again.
_SETTLE: Final = (
    _NOW
    + "local v = redis.call('HGET', KEYS[1], ARGV[1])\n"
    + "if not v then return 0 end\n"
    + _PARSE
    + "if seq == ARGV[2] then\n"
    + "  redis.call('HDEL', KEYS[1], ARGV[1])\n"
    + "  return 0\n"
    + "end\n"
    + "redis.call('HSET', KEYS[1], ARGV[1], string.format('%.6f %s %s waiting', now, last, seq))\n"
    + "return 1\n"
)
# Fields not requested for ARGV[1] seconds wait again from now (their timer is sent again).
_REARM: Final = (
    _NOW
    + "local fields = {}\n"
    + "local all = redis.call('HGETALL', KEYS[1])\n"
    + "for i = 1, #all, 2 do\n"
    + "  local v = all[i + 1]\n"
    + _PARSE
    + "  if tonumber(last) < now - tonumber(ARGV[1]) then\n"
    + "    redis.call('HSET', KEYS[1], all[i],"
    + " string.format('%.6f %s %s waiting', now, last, seq))\n"
    + "    table.insert(fields, all[i])\n"
    + "  end\n"
    + "end\n"
    + "return fields\n"
)


@dataclass(frozen=True)
class Debounce:
    """Requests for ``run`` work on one key (a library id), coalesced into few runs.

    ``timer`` is the name of a task taking the key that calls :meth:`due` and then either sends
    itself again or sends the run; ``delay_setting`` and ``max_delay_setting`` name the Django
    settings (seconds) read at each request, so a test or an operator can change them.
    """

    name: str
    timer: str
    delay_setting: str
    max_delay_setting: str

    @property
    def key(self) -> str:
        return f"photonix:debounce:{self.name}"

    @property
    def delay(self) -> float:
        return float(getattr(settings, self.delay_setting))

    @property
    def max_delay(self) -> float:
        return float(getattr(settings, self.max_delay_setting))

    def _eval(self, client: redis.Redis, script: str, *args: Any) -> Any:
        return client.eval(script, 1, self.key, *args)

    def request(self, key: int) -> None:
        """Ask for a run on ``key``: the first request of a quiet spell sends the timer."""
        client = broker_redis()
        try:
            first = self._eval(client, _REQUEST, key)
        finally:
            client.close()
        if first:
            self.send_timer(key, self.delay)

    def send_timer(self, key: int, countdown: float) -> None:
        app.signature(self.timer, args=(key,)).apply_async(countdown=max(0.0, countdown))

    def due(self, key: int, send: Callable[[], object]) -> float | None:
        """For the timer: None when nothing waits; else the seconds to wait before asking again,
        or 0 when the run was due: ``send`` has sent it and the field is marked sent.

        The run is sent before the field is marked: when ``send`` raises, the field still waits
        and the timer, retried, sends the run then. (A run sent twice — the timer dying between
        the send and the mark — does the same work twice; none is lost.)
        """
        client = broker_redis()
        try:
            answer: Any = self._eval(client, _DUE, key, self.delay, self.max_delay)
            wait = int(answer[0])
            if wait < 0:
                return None
            if wait > 0:
                return wait / 1000
            send()
            self._eval(client, _SENT, key, answer[1])
        finally:
            client.close()
        return 0.0

    def seen(self, key: int) -> str | None:
        """For the run, before it reads anything: which request it covers (None: not asked)."""
        client = broker_redis()
        try:
            value = client.hget(self.key, str(key))
        finally:
            client.close()
        if not isinstance(value, bytes):
            return None
        return value.decode().split()[2]

    def settle(self, key: int, seen: str | None) -> None:
        """For the run, once it is done: remove the request it covered; one that came meanwhile
        waits again for a run of its own."""
        if seen is None:
            return
        client = broker_redis()
        try:
            again = self._eval(client, _SETTLE, key, seen)
        finally:
            client.close()
        if again:
            self.send_timer(key, self.delay)

    def pending(self, among: Collection[int] | None = None) -> dict[str, int]:
        """How many keys (of ``among``, or all) wait for their quiet spell to end (``waiting``)
        or for their run to finish (``sent``)."""
        client = broker_redis()
        try:
            entries: Any = client.hgetall(self.key)
        finally:
            client.close()
        counts = {WAITING: 0, SENT: 0}
        for field, value in entries.items():
            if among is not None and int(field) not in among:
                continue
            state = value.decode().rsplit(" ", 1)[-1]
            counts[state if state in counts else WAITING] += 1
        return counts

    def rearm_stale(self, older_than: float) -> list[int]:
        """Send the timer again for keys not requested for ``older_than`` seconds (their timer
        or run was lost with the broker's queue). Returns the keys."""
        client = broker_redis()
        try:
            fields: Any = self._eval(client, _REARM, older_than)
        finally:
            client.close()
        keys = [int(f) for f in fields]
        for key in keys:
            self.send_timer(key, 0)
        return keys


#: A library's faces changed: group them into people once they settle (``photonix.faces``).
FACES_RECLUSTER: Final = Debounce(
    name="faces-recluster",
    timer="photonix.faces.recluster_soon",
    delay_setting="PHOTONIX_FACES_GROUP_DELAY",
    max_delay_setting="PHOTONIX_FACES_GROUP_MAX_DELAY",
)
DEBOUNCES: Final = (FACES_RECLUSTER,)


def pending_runs() -> int:
    """Keys of every debounce that wait for a run or whose run has not finished."""
    return sum(sum(d.pending().values()) for d in DEBOUNCES)


def rearm_stale(older_than: float) -> int:
    """:meth:`Debounce.rearm_stale` for every debounce; how many keys were sent again."""
    return sum(len(d.rearm_stale(older_than)) for d in DEBOUNCES)
