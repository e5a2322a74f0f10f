"""The base class of every Photonix task: retries, time limits, and what a job record needs.

Transient errors (database, broker, network, a full disk, an explicit :class:`TransientError`) are
retried with exponential backoff and jitter, at most ``max_retries`` times; anything else — a
:class:`PermanentError` such as an undecodable file — fails at once. Either way the last outcome
lands in the job record: nothing retries forever, nothing disappears.
"""

from __future__ import annotations

import errno
import random
from collections.abc import Sequence
from typing import Any, ClassVar

import kombu.exceptions
import redis.exceptions
from celery import Task
from celery.exceptions import Retry
from django.db import InterfaceError, OperationalError


class PermanentError(Exception):
    """Retrying cannot help (the file is not an image, the photo is gone): fail at once."""


class TransientError(Exception):
    """A passing problem (a share that hiccupped): retry with backoff."""


class BrokerUnavailableError(Exception):
    """A task could not queue its own retry: the job is lost, not failed (see reconcile)."""


TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    TransientError,
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
    ConnectionError,
    TimeoutError,
)


#: File-system errors that pass once someone makes room: "no space left on device" (ENOSPC) and
#: "disk quota exceeded" (EDQUOT) while a thumbnail or a developed RAW is written. Another
#: ``OSError`` (a file too large for a limit, a read-only folder) does not pass by waiting.
TRANSIENT_ERRNOS: frozenset[int] = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_transient(exc: BaseException) -> bool:
    """Whether retrying ``exc`` later can succeed (see :data:`TRANSIENT_ERRORS`)."""
    if isinstance(exc, TRANSIENT_ERRORS):
        return True
    return isinstance(exc, OSError) and exc.errno in TRANSIENT_ERRNOS


BROKER_ERRORS: tuple[type[Exception], ...] = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)


class PhotonixTask(Task[Any, Any]):
    """A task that appears on the jobs page under ``stage``.

    Tasks that work on a photo take its id as their first argument (``photo_id``), so the job
    record, the log lines and the reconciliation can name it.
    """

    stage: ClassVar[str] = "other"
    takes_photo: ClassVar[bool] = False
    #: False for beat's housekeeping (reconcile, prune, recluster): the signal handlers write no
    #: job record for it, so an idle installation makes no database write every few minutes.
    records_jobs: ClassVar[bool] = True
    max_retries = 5
    #: first retry after 1–2 s, then 2–4 s, 4–8 s … (never more than ``retry_delay_max``)
    retry_delay_base: ClassVar[float] = 2.0
    retry_delay_max: ClassVar[float] = 300.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.attempt(*args, **kwargs)
        except Exception as exc:
            if not is_transient(exc):
                raise
            if self.request.called_directly or self.request.retries >= self.max_retries:
                raise  # out of attempts: the task fails, visibly
            try:
                raise self.retry(exc=exc, countdown=self.retry_delay(self.request.retries))
            except Retry:
                raise
            except BROKER_ERRORS as publish_error:
                # The retry could not even be queued: the broker is gone. The reconciliation
                # dispatches the photo again once the broker is back.
                raise BrokerUnavailableError(
                    f"{exc}; the retry could not be queued ({publish_error})"
                ) from exc

    def attempt(self, *args: Any, **kwargs: Any) -> Any:
        """One attempt at the task: its body. A subclass wraps it in what belongs to every attempt
        (its errors are retried like the body's); ``self.request`` is the delivered message's."""
        return super().__call__(*args, **kwargs)

    @classmethod
    def retry_delay(cls, retries: int) -> float:
        """Exponential backoff with "equal jitter": spread out, yet never shorter than the last."""
        ceiling = min(cls.retry_delay_max, cls.retry_delay_base * 2.0**retries)
        return float(ceiling / 2 + random.uniform(0, ceiling / 2))  # noqa: S311 - not a secret

    def stage_for(self, args: Sequence[Any], kwargs: dict[str, Any]) -> str:
        return self.stage

    def photo_id_for(self, args: Sequence[Any], kwargs: dict[str, Any]) -> int | None:
        if not self.takes_photo:
            return None
        value = kwargs.get("photo_id", args[0] if args else None)
        return value if isinstance(value, int) else None
