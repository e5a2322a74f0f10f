"""The folder watcher process (``photonix watch``): inotify on every watched library folder.

- A created or modified file is recorded once it is completely written: when the writer closes it
  (inotify ``IN_CLOSE_WRITE``), or after it has been quiet for ``SETTLE_SECONDS`` with an unchanged
  size (copies over network shares, which send no close event).
- A deleted file or folder makes its files *missing*; a moved or renamed one carries its rows (and
  so its photos, tags and albums) to the new path.
- New or changed library folders reach the watcher over Redis pub/sub on the broker; it reloads
  them. Nothing here polls the database: between events the process sleeps.

Run exactly one watcher per installation. What it cannot see (downtime, network shares without
inotify) the periodic rescan by Celery beat catches.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.db import close_old_connections
from watchdog.events import (
    DirCreatedEvent,
    FileClosedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)

from photonix.core import work
from photonix.core.broker_client import redis_client_url
from photonix.core.queues import FOLDERS_CHANNEL
from photonix.library.importing import services
from photonix.library.importing.inotify import BoundedInotifyObserver
from photonix.library.importing.scanning import max_folder_depth
from photonix.library.models import LibraryFolder

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 1.0
CLOSED_SETTLE_SECONDS = 0.05


def _path(raw: str | bytes) -> str:
    return raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else raw


class _Settler:
    """Waits until files stop changing, then records them. One thread; sleeps between deadlines."""

    def __init__(self) -> None:
        self._pending: dict[str, tuple[float, int]] = {}
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="settler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join(timeout=5)

    def touch(self, path: str, delay: float = SETTLE_SECONDS) -> None:
        with self._cond:
            self._pending[path] = (time.monotonic() + delay, _size(path))
            self._cond.notify()

    def forget(self, path: str) -> None:
        with self._cond:
            self._pending.pop(path, None)

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopped:
                    return
                if not self._pending:
                    self._cond.wait()
                    continue
                now = time.monotonic()
                due = [p for p, (deadline, _) in self._pending.items() if deadline <= now]
                if not due:
                    self._cond.wait(min(d for d, _ in self._pending.values()) - now)
                    continue
                ready = []
                for path in due:
                    _deadline, size = self._pending.pop(path)
                    current = _size(path)
                    if current != size:  # still growing: wait another quiet period
                        self._pending[path] = (now + SETTLE_SECONDS, current)
                    else:
                        ready.append(path)
            for path in ready:
                _handle(_changed, path)


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return -1


def _changed(path: str) -> None:
    services.path_changed(path)


def _handle(func: Any, *args: str) -> None:
    """Run a service call from a watcher thread; one bad event never stops the watcher."""
    close_old_connections()
    try:
        func(*args)
    except Exception:
        logger.exception("watcher could not handle %s %s", getattr(func, "__name__", func), args)
    finally:
        close_old_connections()


class _Handler(FileSystemEventHandler):
    def __init__(self, settler: _Settler) -> None:
        self.settler = settler

    def dispatch(self, event: FileSystemEvent) -> None:
        # The observer thread serves every watched folder: one event it cannot handle is logged.
        try:
            super().dispatch(event)
        except Exception:
            logger.exception("watcher could not handle %s", event)

    def on_created(self, event: FileSystemEvent) -> None:
        if isinstance(event, DirCreatedEvent):
            # Files written before inotify watched the new folder are caught by a scan of it.
            _handle(_dir_appeared, _path(event.src_path))
        else:
            self.settler.touch(_path(event.src_path))

    def on_modified(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.settler.touch(_path(event.src_path))

    def on_closed(self, event: FileSystemEvent) -> None:
        if isinstance(event, FileClosedEvent):
            self.settler.touch(_path(event.src_path), CLOSED_SETTLE_SECONDS)

    def on_deleted(self, event: FileSystemEvent) -> None:
        path = _path(event.src_path)
        self.settler.forget(path)
        _handle(services.path_deleted, path)

    def on_moved(self, event: FileSystemEvent) -> None:
        src, dest = _path(event.src_path), _path(event.dest_path)
        self.settler.forget(src)
        _handle(services.path_moved, src, dest)


def _dir_appeared(path: str) -> None:
    folder = services.folder_for_path(path + "/x")
    if folder is not None:
        work.scan_folders([folder.pk])


class FolderWatcher:
    """Watches every watched library folder; :meth:`reload` re-reads them from the database."""

    def __init__(self) -> None:
        self.settler = _Settler()
        self.handler = _Handler(self.settler)
        self.observer = BoundedInotifyObserver(max_folder_depth())
        self.watched: dict[str, Any] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        self.settler.start()
        self.observer.start()
        self.reload()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
        self.settler.stop()

    def reload(self) -> None:
        close_old_connections()
        wanted = set(LibraryFolder.objects.filter(watched=True).values_list("path", flat=True))
        close_old_connections()
        with self._lock:
            for path in set(self.watched) - wanted:
                self.observer.unschedule(self.watched.pop(path))
                logger.info("stopped watching %s", path)
            for path in sorted(wanted - set(self.watched)):
                if not Path(path).is_dir():
                    logger.warning(
                        "cannot watch %s: not available (the rescan will catch up)", path
                    )
                    continue
                try:
                    self.watched[path] = self.observer.schedule(self.handler, path, recursive=True)
                except OSError as exc:
                    logger.warning("cannot watch %s: %s", path, exc)
                    continue
                except Exception:  # one folder never keeps the others unwatched
                    logger.exception("cannot watch %s", path)
                    continue
                logger.info("watching %s", path)
        if not self.watched:
            logger.info("no watched folders yet")


def _listen_for_reloads(watcher: FolderWatcher, stop: threading.Event) -> None:
    """Reload folders when the API or CLI announces a change. Reconnects with backoff."""
    delay = 1.0
    while not stop.is_set():
        try:
            client = redis.Redis.from_url(redis_client_url(settings.CELERY_BROKER_URL))
            pubsub = client.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
            pubsub.subscribe(FOLDERS_CHANNEL)
            watcher.reload()  # catch up on what changed while not subscribed
            delay = 1.0
            for message in pubsub.listen():
                if stop.is_set():
                    return
                if message.get("type") == "message":
                    watcher.reload()
        except redis.RedisError as exc:
            logger.warning("watcher lost the broker (%s); reconnecting in %.0fs", exc, delay)
            stop.wait(delay)
            delay = min(delay * 2, 30.0)
        except Exception:  # the database away during a reload: try again, keep listening
            logger.exception("watcher could not reload its folders; again in %.0fs", delay)
            stop.wait(delay)
            delay = min(delay * 2, 30.0)


def run_watcher() -> int:
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        logger.info("watcher stopping (%s)", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    watcher = FolderWatcher()
    watcher.start()
    listener = threading.Thread(
        target=_listen_for_reloads, args=(watcher, stop), name="reload-listener", daemon=True
    )
    listener.start()
    stop.wait()
    watcher.stop()
    return 0
