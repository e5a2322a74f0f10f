from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.library.trees import remove_tree


@pytest.fixture
def tree_root(tmp_path: Path) -> Iterator[Path]:
    """A folder for deep trees, removed after the test (pytest's clean-up would recurse)."""
    root = tmp_path / "tree"
    root.mkdir()
    yield root
    remove_tree(root)
