"""A long-lived ``exiftool`` process in stay-open batch mode.

Starting exiftool costs ~130 ms (Perl start-up and module loading); a file read through a process
that stays open costs a few milliseconds. :class:`ExifTool` keeps one ``exiftool -stay_open True
-@ -`` process, sends it one command per batch of files and reads the JSON answer.

Protocol: every command is written to exiftool's stdin as one argument per line and ends with
``-execute<N>``. exiftool then prints ``{ready<N>}`` on stdout when the command is done; we add
``-echo4 {ready<N>}`` so that the same marker also ends that command's stderr, which lets us
read both pipes without guessing where one command's messages stop.

Values: print conversion stays ON (the dump shown in the API is human-readable, e.g.
``"MeteringMode": "Multi-segment"``, and lens names are resolved), and the tags our parser computes
with are requested with a ``#`` suffix *before* ``-all``, which makes exiftool return exactly those
tags as plain numbers (e.g. ``GPSLatitude`` unsigned decimal degrees, ``ExposureTime`` in seconds).
See :data:`NUMERIC_TAGS`.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

log = logging.getLogger(__name__)

INSTALL_HINT: Final = "exiftool is not installed: apt-get install libimage-exiftool-perl"

#: Tags returned as numbers (``-TAG#``) because :mod:`photonix.media.metadata` computes with them.
NUMERIC_TAGS: Final[tuple[str, ...]] = (
    "GPSLatitude",
    "GPSLongitude",
    "GPSLatitudeRef",
    "GPSLongitudeRef",
    "GPSAltitude",
    "GPSAltitudeRef",
    "GPSTimeStamp",
    "GPSDateStamp",
    "GPSDateTime",
    "ExposureTime",
    "FNumber",
    "ApertureValue",
    "ISO",
    "FocalLength",
    "FocalLengthIn35mmFormat",
    "FocalLength35efl",
    "Flash",
    "Orientation",
    "Rating",
    "RatingPercent",
    "ImageWidth",
    "ImageHeight",
    "ExifImageWidth",
    "ExifImageHeight",
    "ImageSize",
    "ImageSpatialExtent",
    "Rotation",
    "FileSize",
    "SubSecTimeOriginal",
    "SubSecTimeDigitized",
    "SubSecTime",
)

#: Arguments sent with every read. ``-struct`` keeps XMP structures (face regions) as JSON objects;
#: ``-a`` keeps same-named tags from different groups (XMP and EXIF dates both matter);
#: ``-G1`` prefixes each key with its specific group (``ExifIFD:DateTimeOriginal``);
#: the volatile file-system times are left out so that reading a file twice gives the same dump.
READ_ARGS: Final[tuple[str, ...]] = (
    "-json",
    "-G1",
    "-a",
    "-struct",
    "-q",
    "-charset",
    "filename=utf8",
    *(f"-{tag}#" for tag in NUMERIC_TAGS),
    "-all",
    "--System:FileAccessDate",
    "--System:FileInodeChangeDate",
    "--System:Directory",
    "--System:FilePermissions",
)


class ExifToolError(RuntimeError):
    """exiftool could not run a command (crashed twice, sent garbage...)."""


class ExifToolNotFound(ExifToolError):  # noqa: N818 - the name the issue asks for
    """The exiftool executable is missing."""


class ExifToolTimeout(ExifToolError):  # noqa: N818 - reads better than ExifToolTimeoutError
    """A command did not finish in time; the process was killed and will be restarted."""


class ExifTool:
    """One exiftool process in stay-open mode, shared safely between threads.

    Use as a context manager, or call :meth:`close` when done::

        with ExifTool() as et:
            results = et.read([Path("a.jpg"), Path("b.heic")])

    The process starts on first use and is restarted transparently after a crash or a timeout.
    """

    def __init__(self, executable: str | None = None, *, timeout: float = 60.0) -> None:
        """Find exiftool (``shutil.which`` unless *executable* is given); do not start it yet.

        *timeout* is the default limit in seconds for one :meth:`read` call.
        """
        found = executable or shutil.which("exiftool")
        if not found:
            raise ExifToolNotFound(INSTALL_HINT)
        self.executable = found
        self.timeout = timeout
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._counter = 0

    # -- life cycle -------------------------------------------------------------------------
    def __enter__(self) -> Self:
        """Start the process (so a missing Perl module fails here, not mid-scan)."""
        with self._lock:
            self._ensure_started()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the process."""
        self.close()

    @property
    def pid(self) -> int | None:
        """Process id of the running exiftool, or None when not started."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def close(self) -> None:
        """Ask exiftool to exit, kill it if it does not within 5 s."""
        with self._lock:
            self._stop()

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        if self._proc is not None:
            log.warning(
                "exiftool (pid %s) died with code %s; restarting",
                self._proc.pid,
                self._proc.returncode,
            )
            self._stop()
        try:
            self._proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                [self.executable, "-stay_open", "True", "-@", "-"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                # exiftool may inherit a non-UTF-8 locale; -charset options make it explicit.
                env={**os.environ, "LC_ALL": "C.UTF-8"},
            )
        except FileNotFoundError as exc:
            raise ExifToolNotFound(INSTALL_HINT) from exc
        return self._proc

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.poll() is None and proc.stdin is not None:
                proc.stdin.write(b"-stay_open\nFalse\n")
                proc.stdin.flush()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()

    # -- commands ---------------------------------------------------------------------------
    def execute(self, args: Sequence[str], *, timeout: float | None = None) -> tuple[str, str]:
        """Run one exiftool command; return its (stdout, stderr) decoded as UTF-8.

        Invalid UTF-8 in exiftool's output is replaced (U+FFFD) rather than raising. If the
        process has died it is restarted and the command sent once more; a timeout kills the
        process (the next call starts a new one) and raises :class:`ExifToolTimeout`.
        """
        for arg in args:
            if "\n" in arg or "\r" in arg:
                raise ValueError(f"exiftool arguments cannot contain a newline: {arg!r}")
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            try:
                return self._execute_locked(args, limit)
            except (BrokenPipeError, _ProcessDied):
                # A crash between two calls (or an external kill) is not the caller's fault:
                # start afresh and try once more.
                log.warning("exiftool process died; restarting and retrying once")
                self._stop()
                try:
                    return self._execute_locked(args, limit)
                except (BrokenPipeError, _ProcessDied) as exc:
                    self._stop()
                    raise ExifToolError(f"exiftool died while running a command: {exc}") from exc

    def _execute_locked(self, args: Sequence[str], limit: float) -> tuple[str, str]:
        proc = self._ensure_started()
        if proc.stdin is None or proc.stdout is None or proc.stderr is None:  # pragma: no cover
            raise ExifToolError("exiftool was started without pipes")
        self._counter += 1
        marker = f"{{ready{self._counter}}}"
        lines = [*args, "-echo4", marker, f"-execute{self._counter}"]
        payload = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
        proc.stdin.write(payload)
        proc.stdin.flush()
        deadline = time.monotonic() + limit
        end = (marker + "\n").encode()
        out = bytearray()
        err = bytearray()
        pending = {proc.stdout.fileno(): out, proc.stderr.fileno(): err}
        while pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._kill_locked()
                raise ExifToolTimeout(f"exiftool did not answer within {limit:g} s")
            ready, _, _ = select.select(list(pending), [], [], remaining)
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise _ProcessDied("exiftool closed its output")
                buf = pending[fd]
                buf += chunk
                if buf.endswith(end):
                    del buf[-len(end) :]
                    del pending[fd]
        return out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    def _kill_locked(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()

    def read(self, paths: Sequence[Path], *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Read the metadata of many files in one round trip; one dict per path, same order.

        Each dict is exiftool's JSON for that file (keys ``Group:Tag``, see :data:`READ_ARGS`).
        A problem with one file never fails the batch: exiftool's per-file messages end up in that
        file's dict as ``ExifTool:Error`` (e.g. "File is empty", "File not found") and
        ``ExifTool:Warning``. Raises :class:`ExifToolTimeout` if the whole command is too slow.
        """
        if not paths:
            return []
        results: list[dict[str, Any] | None] = [None] * len(paths)
        args: list[str] = []
        wanted: dict[str, list[int]] = {}
        for index, path in enumerate(paths):
            name = _arg_for_path(path)
            if name is None:
                results[index] = {
                    "SourceFile": str(path),
                    "ExifTool:Error": "file name contains a line break",
                }
                continue
            args.append(name)
            wanted.setdefault(name, []).append(index)
        if args:
            stdout, stderr = self.execute([*READ_ARGS, *args], timeout=timeout)
            for entry in _parse_json(stdout):
                indexes = wanted.get(str(entry.get("SourceFile", "")))
                if indexes:
                    results[indexes.pop(0)] = entry
            missing = _errors_by_file(stderr)
            for name, indexes in wanted.items():
                for index in indexes:
                    reason = missing.get(name, "exiftool returned nothing for this file")
                    results[index] = {"SourceFile": name, "ExifTool:Error": reason}
        return [r if r is not None else {} for r in results]


@functools.cache
def shared() -> ExifTool:
    """This process's exiftool for occasional work outside the import tasks (a web process
    writing a shared download's copy): its process starts on first use and stays."""
    return ExifTool()


class _ProcessDied(Exception):  # noqa: N818 - internal signal, never escapes this module
    pass


def _arg_for_path(path: Path) -> str | None:
    """The argument line for *path*, or None when it cannot be passed through ``-@``."""
    # Absolute, because the long-lived process keeps the working directory it started in; this
    # also means no name can start with "-" and be taken for an option.
    name = os.path.abspath(os.fsdecode(path))  # noqa: PTH100 - str in, str out, no I/O
    if "\n" in name or "\r" in name:
        return None
    return name


def _parse_json(stdout: str) -> list[dict[str, Any]]:
    text = stdout.strip()
    if not text:
        return []  # every file failed: exiftool prints no JSON array at all
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExifToolError(f"exiftool sent output that is not JSON: {text[:200]!r}") from exc
    if not isinstance(data, list):
        raise ExifToolError("exiftool sent JSON that is not a list")
    return [entry for entry in data if isinstance(entry, dict)]


def _errors_by_file(stderr: str) -> dict[str, str]:
    """Map file name → message from exiftool's ``Error: <message> - <file>`` lines."""
    found: dict[str, str] = {}
    for line in stderr.splitlines():
        if line.startswith("Error: ") and " - " in line:
            message, _, name = line[len("Error: ") :].rpartition(" - ")
            found[name] = message
    return found
