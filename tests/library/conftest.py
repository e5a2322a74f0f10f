from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from photonix.media.exiftool import ExifTool
from tests.library.trees import remove_tree


@pytest.fixture
def tree_root() -> Iterator[Path]:
    """A folder for deep trees, removed after the test without recursion. It lives outside
    pytest's temporary folders: pytest removes old ones with a recursive ``rmtree``, which a
    tree left behind by a killed run would crash at the end of every later run."""
    root = Path(tempfile.mkdtemp(prefix="photonix-deep-tree-"))
    try:
        yield root
    finally:
        remove_tree(root)


@pytest.fixture(scope="module")
def exiftool() -> Iterator[ExifTool]:
    """One stay-open exiftool for a test module's recordings."""
    with ExifTool() as tool:
        yield tool
