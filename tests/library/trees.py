"""Folder trees deeper than Python's recursion limit, made and removed without recursion."""

from __future__ import annotations

import os
from pathlib import Path


def deep_tree(root: Path, levels: int, name: str = "d") -> Path:
    """``root/d/d/…/d``, ``levels`` folders deep (one level at a time: each path stays short)."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
    finally:
        os.close(fd)
    return root.joinpath(*[name] * levels)


def remove_tree(root: Path) -> None:
    """Remove ``root`` and everything below it, deepest first (``shutil.rmtree`` recurses)."""
    folders: list[bytes] = []
    stack = [os.fsencode(root)]
    while stack:
        current = stack.pop()
        folders.append(current)
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)  # noqa: PTH108 - a bytes path
    for folder in reversed(folders):
        os.rmdir(folder)  # noqa: PTH106 - a bytes path
