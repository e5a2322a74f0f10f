"""The watcher's inotify observer: recursive watches that stop at a depth and never recurse.

watchdog's inotify observer adds a watch for every folder below a watched one with ``os.walk``,
which before Python 3.12 calls itself once per level. A tree a thousand folders deep then raises
``RecursionError`` in the thread that reads inotify events — one thread for every watched folder,
so live import would stop for every library — or, at start, out of ``schedule``, so the watcher
would not start at all. These subclasses walk with their own stack, add no watch more than
``PHOTONIX_MAX_FOLDER_DEPTH`` folders below a watched folder (scans stop there too), and log
whatever fails while one event is handled instead of letting it end the thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from watchdog.observers.api import DEFAULT_OBSERVER_TIMEOUT, EventQueue, ObservedWatch
from watchdog.observers.inotify import InotifyEmitter, InotifyObserver, InotifyWatchGroup
from watchdog.observers.inotify_c import InotifyConstants, InotifyEvent, Mask

logger = logging.getLogger(__name__)

DIR_CREATED = Mask(InotifyConstants.IN_CREATE | InotifyConstants.IN_ISDIR)
FILE_CREATED = Mask(InotifyConstants.IN_CREATE)
DirWalk = Iterator[tuple[bytes, list[bytes], list[bytes]]]


def walk_dirs(top: bytes, max_depth: int, *, follow_symlinks: bool = False) -> DirWalk:
    """Like ``os.walk(top)`` (top-down), with its own stack instead of recursion.

    Yields ``(folder, subfolder names, other names)`` for ``top`` and the folders at most
    ``max_depth`` levels below it. Symbolic links to folders are listed as folders but only
    entered with ``follow_symlinks``; unreadable folders are left out, as ``os.walk`` does.
    """
    stack = [(top, 0)]
    while stack:
        current, depth = stack.pop()
        dirs: list[bytes] = []
        files: list[bytes] = []
        enter: list[bytes] = []
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                        descend = is_dir and (follow_symlinks or not entry.is_symlink())
                    except OSError:
                        is_dir = descend = False
                    (dirs if is_dir else files).append(entry.name)
                    if descend:
                        enter.append(entry.path)
        except OSError:
            continue
        yield current, dirs, files
        if depth < max_depth:
            stack.extend((path, depth + 1) for path in reversed(enter))


@dataclass
class BoundedWatchGroup(InotifyWatchGroup):
    """The watches of one watched folder, at most ``max_depth`` folders below it."""

    max_depth: int = 64

    def _depth(self, path: bytes) -> int:
        """How many folders ``path`` lies below the watched folder (0: the folder itself)."""
        relative = os.path.relpath(path, self.path)
        return 0 if relative == b"." else relative.count(os.sep.encode()) + 1

    def _add_all_callbacks(self, path: bytes) -> None:
        depth = self._depth(path)
        if depth > self.max_depth:  # too deep: the scan that this folder's event starts says so
            return
        self._add_callback(path)
        is_dir = os.path.isdir(path)  # noqa: PTH112 - a bytes path
        if depth == self.max_depth or not self.is_recursive or not is_dir:
            return
        for root, dirnames, _ in walk_dirs(
            path, self.max_depth - depth - 1, follow_symlinks=self.follow_symlink
        ):
            for dirname in dirnames:
                full_path = os.path.join(root, dirname)  # noqa: PTH118 - bytes
                if not self.follow_symlink and os.path.islink(full_path):  # noqa: PTH114 - bytes
                    continue
                self._add_callback(full_path)

    def _recursive_simulate(self, src_path: bytes) -> list[InotifyEvent]:
        remaining = self.max_depth - self._depth(src_path)
        if remaining < 0:
            return []
        events: list[InotifyEvent] = []
        for root, dirnames, filenames in walk_dirs(
            src_path, remaining, follow_symlinks=self.follow_symlink
        ):
            wd_root = self._active_callbacks_by_path.get(root)
            if wd_root is None:
                continue  # not watched (yet): its own creation event reports its content
            events.extend(InotifyEvent(wd_root, DIR_CREATED, 0, name) for name in dirnames)
            events.extend(InotifyEvent(wd_root, FILE_CREATED, 0, name) for name in filenames)
        return events

    def on_event(self, event: InotifyEvent) -> None:
        try:
            super().on_event(event)
        except Exception:
            logger.exception("watcher could not follow a change below %r", self.path)

    def on_queue_overflow(self) -> None:
        try:
            super().on_queue_overflow()
        except Exception:
            logger.exception("watcher could not rebuild its watches below %r", self.path)


class BoundedEmitter(InotifyEmitter):
    """An inotify emitter whose watch group is bounded, and whose thread outlives a bad event."""

    def __init__(
        self,
        event_queue: EventQueue,
        watch: ObservedWatch,
        *,
        max_depth: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(event_queue, watch, **kwargs)
        self.max_depth = max_depth

    def on_thread_start(self) -> None:
        self._inotify = BoundedWatchGroup(
            self._inotify_fd,
            os.fsencode(self.watch.path),
            is_recursive=self.watch.is_recursive,
            event_mask=self.get_event_mask_from_filter(),
            follow_symlink=self.watch.follow_symlink,
            max_depth=self.max_depth,
        )

    def queue_events(self, timeout: float, *, full_events: bool = False) -> None:
        try:
            super().queue_events(timeout, full_events=full_events)
        except Exception:
            logger.exception("watcher could not report a change below %s", self.watch.path)


class BoundedInotifyObserver(InotifyObserver):
    """The inotify observer, with watches at most ``max_depth`` folders below a watched folder."""

    def __init__(self, max_depth: int, *, timeout: float = DEFAULT_OBSERVER_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self._emitter_class = BoundedEmitter
        self._emitter_kwargs["max_depth"] = max_depth
