"""A small process supervisor for ``photonix serve``.

Each child runs in its own session (so its own process group) with a parent-death signal, and
inherits the launcher's stdout and stderr, so its logs appear in the console. A child that exits
while the supervisor runs is reported and restarted after an exponential back-off (1 s, 2 s,
4 s … at most 30 s; back to 1 s once a run has lasted 60 s). A *service* — a process the caller
started before the children, the embedded broker — is watched and restarted the same way
(through its own ``respawn()``), but never stopped here: its owner stops it after the children.
SIGINT, SIGTERM or SIGHUP stop every child: SIGTERM to each process group, up to 15 s in total
to exit, then SIGKILL to the groups that remain — process groups, so that the children's own
children (gunicorn workers, Celery pool processes) go too. A second signal while stopping kills
at once.

The loop sleeps in :func:`select.select` on a self-pipe that the signal handlers write to
(``signal.set_wakeup_fd``): it wakes when a child exits (SIGCHLD), when it is told to stop, or when
a restart is due — it never polls.

This module does not import Django.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, Final, Protocol

logger = logging.getLogger("photonix.supervisor")

_PR_SET_PDEATHSIG: Final = 1
STOP_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_Handler = Callable[[int, FrameType | None], Any] | int | None


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes a child receive ``sig`` when the calling thread dies.

    Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere returns ``None``. It also closes the race
    where the parent dies between ``fork`` and ``prctl``: the child then signals itself. The
    signal is tied to the thread that starts the child, so start children from the main thread.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):  # pragma: no cover - every Linux libc has prctl
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), sig)

    return preexec


def describe_exit(returncode: int) -> str:
    """``exit code 3`` or ``signal SIGKILL`` for a :attr:`subprocess.Popen.returncode`."""
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}"


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of process group ``pgid``, read from ``/proc``."""
    members: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        fields = stat.rpartition(b")")[2].split()
        # fields: state, ppid, pgrp, ...
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
            members.append(int(entry.name))
    return members


def group_alive(pgid: int) -> bool:
    """Whether process group ``pgid`` still has a running (non-zombie) member."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if Path("/proc/self").is_dir():
        return bool(_group_members(pgid))
    return True


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


@dataclass(frozen=True)
class ChildSpec:
    """A process to keep running: a name for the logs, its argv and environment."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: Path | None = None


class Service(Protocol):
    """A process the caller started that the supervisor keeps running (the embedded broker)."""

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The process while it runs; ``None`` when there is none."""

    def respawn(self) -> None:
        """Start the process again after it exited. Raise when it cannot; it is tried again."""


@dataclass
class _Watched:
    """A service, with the same restart book-keeping as a child."""

    name: str
    service: Service
    started_at: float
    process: subprocess.Popen[bytes] | None = None
    failures: int = 0
    restart_at: float | None = None


@dataclass
class _Child:
    spec: ChildSpec
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None
    pgid: int | None = None


class Supervisor:
    """Start children, restart those that exit, stop them all on a signal.

    ``services`` are processes the caller started (the embedded broker): one that exits is
    restarted with the same back-off as a child, through its ``respawn()``, and the children
    that use it reconnect by themselves. They are left running when :meth:`run` returns.

    ``run()`` must be called from the main thread (it installs signal handlers, restored when it
    returns).
    """

    def __init__(
        self,
        specs: Sequence[ChildSpec],
        *,
        stop_timeout: float = 15.0,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
        stable_after: float = 60.0,
        services: Mapping[str, Service] | None = None,
    ) -> None:
        names = [spec.name for spec in specs]
        if len(set(names)) != len(names):
            raise ValueError(f"child names must be unique: {names}")
        self.stop_timeout = stop_timeout
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.stable_after = stable_after
        self._children = [_Child(spec) for spec in specs]
        now = time.monotonic()
        self._services = [
            _Watched(name, service, now, service.process)
            for name, service in (services or {}).items()
        ]
        self._stop_signal: int | None = None
        self._signals_received = 0

    # -- public ----------------------------------------------------------------------------------

    @property
    def pids(self) -> dict[str, int]:
        """Pids of the children that run now, by name."""
        return {
            c.spec.name: c.process.pid
            for c in self._children
            if c.process is not None and c.process.returncode is None
        }

    def backoff(self, failures: int) -> float:
        """Seconds to wait before restarting a child after ``failures`` quick exits in a row."""
        exponent = max(failures - 1, 0)
        return float(min(self.backoff_initial * 2.0 ** min(exponent, 30), self.backoff_max))

    def request_stop(self, sig: int = signal.SIGTERM) -> None:
        """Ask :meth:`run` to stop the children and return (what a stop signal does)."""
        self._signals_received += 1
        if self._stop_signal is None:
            self._stop_signal = sig

    def run(self, on_started: Callable[[], None] | None = None) -> int:
        """Start every child and supervise them until a stop signal; then stop them all.

        ``on_started`` is called once all children have been started. Returns 0 once they have
        stopped after a stop signal or :meth:`request_stop`.
        """
        read_fd, write_fd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        previous: dict[int, _Handler] = {}
        old_wakeup = -1
        try:
            old_wakeup = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
            for sig in (*STOP_SIGNALS, signal.SIGCHLD):
                previous[sig] = signal.signal(sig, self._on_signal)
            if self._stop_signal is None:
                for child in self._children:
                    self._start(child)
                if on_started is not None:
                    on_started()
                self._loop(read_fd)
        finally:
            try:
                self._stop_all(read_fd)
            finally:
                for signum, handler in previous.items():
                    signal.signal(signum, signal.SIG_DFL if handler is None else handler)
                signal.set_wakeup_fd(old_wakeup)
                os.close(read_fd)
                os.close(write_fd)
        return 0

    # -- internals -------------------------------------------------------------------------------

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGCHLD:
            return  # the wake-up byte is all we need
        if self._stop_signal is None:
            logger.info("received %s; stopping", signal.Signals(signum).name)
        self.request_stop(signum)

    def _start(self, child: _Child) -> None:
        spec = child.spec
        child.restart_at = None
        child.started_at = time.monotonic()
        try:
            child.process = subprocess.Popen(  # noqa: S603 - argv from our own specs
                list(spec.argv),
                env=None if spec.env is None else dict(spec.env),
                cwd=spec.cwd,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                # The launcher starts children from its only thread, so preexec_fn is safe.
                preexec_fn=die_with_parent(signal.SIGTERM),  # noqa: PLW1509
            )
        except OSError as exc:
            child.process = None
            child.failures += 1
            delay = self.backoff(child.failures)
            logger.error("%s: cannot start (%s); retrying in %.1fs", spec.name, exc, delay)
            child.restart_at = time.monotonic() + delay
            return
        child.pgid = child.process.pid  # its own session: pgid == pid
        logger.info("%s: started (pid %d)", spec.name, child.process.pid)

    def _reap(self) -> None:
        """Notice children that exited; schedule their restart."""
        now = time.monotonic()
        for child in self._children:
            process = child.process
            if process is None or process.poll() is None:
                continue
            child.process = None
            uptime = now - child.started_at
            # Its own children are orphans now; nobody would stop them.
            _signal_group(process.pid, signal.SIGKILL)
            if self._stop_signal is not None:
                continue
            child.failures = 1 if uptime >= self.stable_after else child.failures + 1
            delay = self.backoff(child.failures)
            child.restart_at = now + delay
            logger.error(
                "%s: exited unexpectedly with %s after %.1fs; restarting in %.1fs",
                child.spec.name,
                describe_exit(process.returncode),
                uptime,
                delay,
            )

    def _watch_services(self) -> None:
        """Notice services that exited; schedule their restart."""
        now = time.monotonic()
        for watched in self._services:
            process = watched.process
            if process is None or process.poll() is None or self._stop_signal is not None:
                continue
            watched.process = None
            uptime = now - watched.started_at
            _signal_group(process.pid, signal.SIGKILL)  # a save in progress, forked by it
            watched.failures = 1 if uptime >= self.stable_after else watched.failures + 1
            delay = self.backoff(watched.failures)
            watched.restart_at = now + delay
            logger.error(
                "%s exited unexpectedly with %s after %.1fs; restarting it in %.1fs",
                watched.name,
                describe_exit(process.returncode),
                uptime,
                delay,
            )

    def _respawn(self, watched: _Watched) -> None:
        watched.restart_at = None
        watched.started_at = time.monotonic()
        try:
            watched.service.respawn()
        except Exception as exc:  # noqa: BLE001 - whatever it is, try again later
            watched.failures += 1
            delay = self.backoff(watched.failures)
            watched.restart_at = time.monotonic() + delay
            logger.error("%s: cannot start (%s); retrying in %.1fs", watched.name, exc, delay)
            return
        watched.process = watched.service.process
        pid = watched.process.pid if watched.process is not None else None
        logger.info("%s: started again (pid %s)", watched.name, pid)

    def _loop(self, read_fd: int) -> None:
        while self._stop_signal is None:
            self._watch_services()
            self._reap()
            if self._stop_signal is not None:
                break
            now = time.monotonic()
            # Services first: the children that use the broker find it back sooner.
            for watched in self._services:
                if watched.restart_at is not None and watched.restart_at <= now:
                    self._respawn(watched)
            for child in self._children:
                due_at = child.restart_at
                if child.process is None and due_at is not None and due_at <= now:
                    self._start(child)
            due = [c.restart_at for c in self._children if c.restart_at is not None]
            due += [w.restart_at for w in self._services if w.restart_at is not None]
            timeout = max(min(due) - time.monotonic(), 0.0) if due else None
            self._wait(read_fd, timeout)

    @staticmethod
    def _wait(read_fd: int, timeout: float | None) -> None:
        readable, _, _ = select.select([read_fd], [], [], timeout)
        if readable:
            with contextlib.suppress(BlockingIOError):
                while os.read(read_fd, 512):
                    pass

    def _stop_all(self, read_fd: int) -> None:
        """SIGTERM every child's process group, wait, then SIGKILL what remains."""
        if self._stop_signal is None:
            self._stop_signal = signal.SIGTERM
        groups: dict[int, str] = {}
        for child in self._children:
            child.restart_at = None
            if child.pgid is not None:
                groups[child.pgid] = child.spec.name
        for pgid in groups:
            _signal_group(pgid, signal.SIGTERM)
        forced = False
        deadline = time.monotonic() + self.stop_timeout
        while True:
            for child in self._children:
                if child.process is not None and child.process.poll() is not None:
                    logger.info(
                        "%s: stopped (%s)", child.spec.name, describe_exit(child.process.returncode)
                    )
                    child.process = None
            leaders = [c for c in self._children if c.process is not None]
            alive = [g for g in groups if group_alive(g)]
            if not leaders and not alive:
                break
            now = time.monotonic()
            if not forced and (now >= deadline or self._signals_received > 1):
                names = sorted({groups[g] for g in alive} | {c.spec.name for c in leaders})
                logger.warning("killing %s (still running)", ", ".join(names))
                for pgid in alive:
                    _signal_group(pgid, signal.SIGKILL)
                for child in leaders:
                    assert child.process is not None  # noqa: S101
                    with contextlib.suppress(ProcessLookupError):
                        child.process.kill()
                forced = True
                deadline = now + 5.0
            elif forced and now >= deadline:
                logger.error("processes of groups %s did not exit after SIGKILL", alive)
                break
            # Leaders wake us through SIGCHLD; their children (not ours) are checked every 0.1 s.
            self._wait(read_fd, min(0.1, max(deadline - now, 0.0)))
        for child in self._children:
            child.pgid = None
