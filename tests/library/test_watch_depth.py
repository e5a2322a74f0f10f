"""The watcher's inotify observer on a tree a thousand folders deep (real inotify, no worker).

The thread that reads inotify events serves every watched folder: a deep tree must neither stop it
nor keep the watcher from starting, and watches stop at ``PHOTONIX_MAX_FOLDER_DEPTH``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from django.test import override_settings
from watchdog.events import (
    DirCreatedEvent,
    FileClosedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)

from photonix.library.importing.inotify import BoundedInotifyObserver, walk_dirs
from photonix.library.importing.watcher import FolderWatcher
from photonix.library.services import library_add
from tests.library.trees import deep_tree

WAIT_SECONDS = 10.0


class _Closed(FileSystemEventHandler):
    """Collects the paths of files written and closed, and of folders created."""

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.folders: set[str] = set()
        self.cond = threading.Condition()

    def on_closed(self, event: FileSystemEvent) -> None:
        if isinstance(event, FileClosedEvent):
            with self.cond:
                self.paths.add(os.fsdecode(event.src_path))
                self.cond.notify_all()

    def on_created(self, event: FileSystemEvent) -> None:
        if isinstance(event, DirCreatedEvent):
            with self.cond:
                self.folders.add(os.fsdecode(event.src_path))
                self.cond.notify_all()

    def wait_for(self, path: Path) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: str(path) in self.paths, WAIT_SECONDS)

    def wait_for_folder(self, path: Path) -> bool:
        """Whether ``path``'s creation was reported: its watch is added before the report."""
        with self.cond:
            return self.cond.wait_for(lambda: str(path) in self.folders, WAIT_SECONDS)


def test_walk_dirs_stops_at_its_depth_without_recursion(tree_root: Path) -> None:
    deep_tree(tree_root, 1000)
    roots = [root for root, _, _ in walk_dirs(os.fsencode(tree_root), 3)]
    assert roots == [os.fsencode(tree_root.joinpath(*["d"] * n)) for n in range(4)]
    assert sum(1 for _ in walk_dirs(os.fsencode(tree_root), 5000)) == 1001


def test_a_deep_tree_neither_stops_nor_blinds_the_watcher(tree_root: Path) -> None:
    deep_lib, other_lib = tree_root / "deep", tree_root / "other"
    deep_lib.mkdir()
    other_lib.mkdir()
    deep_tree(deep_lib, 1000)  # there before the watch starts
    handler = _Closed()
    observer = BoundedInotifyObserver(8)
    observer.start()
    try:
        observer.schedule(handler, str(deep_lib), recursive=True)
        observer.schedule(handler, str(other_lib), recursive=True)

        # A tree a thousand deep made while watched (mkdir -p) ...
        deep_tree(other_lib, 1000, "n")
        # ... is followed down to the depth limit (the deepest watch exists once its folder's
        # creation is reported) ...
        assert handler.wait_for_folder(other_lib.joinpath(*["n"] * 8)), "no watch at the limit"
        # ... and every watched folder is still heard.
        for path in (
            other_lib / "a.jpg",
            deep_lib / "b.jpg",
            deep_lib.joinpath(*["d"] * 8) / "c.jpg",
            other_lib.joinpath(*["n"] * 8) / "d.jpg",
        ):
            path.write_bytes(b"x")
            assert handler.wait_for(path), f"no event for {path}"
        too_deep = deep_lib.joinpath(*["d"] * 9) / "e.jpg"
        too_deep.write_bytes(b"x")
        marker = other_lib / "after.jpg"
        marker.write_bytes(b"x")
        assert handler.wait_for(marker)
        assert str(too_deep) not in handler.paths
    finally:
        observer.stop()
        observer.join(timeout=5)


@pytest.mark.django_db(transaction=True)
def test_the_watcher_starts_with_a_deep_library_folder(tree_root: Path) -> None:
    deep_lib, other_lib = tree_root / "deep", tree_root / "other"
    deep_lib.mkdir()
    other_lib.mkdir()
    deep_tree(deep_lib, 1000)
    library_add("L", [str(deep_lib), str(other_lib)], scan=False)
    with override_settings(PHOTONIX_MAX_FOLDER_DEPTH=64):
        watcher = FolderWatcher()
    watcher.observer.start()
    try:
        watcher.reload()
        assert set(watcher.watched) == {str(deep_lib), str(other_lib)}
    finally:
        watcher.observer.stop()
        watcher.observer.join(timeout=5)
