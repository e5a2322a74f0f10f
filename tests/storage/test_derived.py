"""Derived files: their layout on disk, atomic writes and deletion."""

from __future__ import annotations

import errno
import os
import resource
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from photonix.storage.derived import (
    SIZE_BY_NAME,
    developed_path,
    photo_derived_delete,
    thumbnail_content_type,
    thumbnail_path,
    write_atomically,
    write_atomically_with,
)


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return Path(settings.DATA_DIR)


def _leftovers(folder: Path) -> list[str]:
    """Files in ``folder`` that are not the finished ones (temporary files)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_layout_is_the_one_existing_installs_have(data_dir: Path) -> None:
    assert thumbnail_path(1234, "grid", 2) == data_dir / "thumbnails/0001/1234-grid-v2.jpg"
    assert thumbnail_path(7, "preview", 1) == data_dir / "thumbnails/0000/7-preview-v1.jpg"
    assert developed_path(56789, 2) == data_dir / "developed/0056/56789-v2.jpg"
    assert set(SIZE_BY_NAME) == {"grid", "preview"}
    assert thumbnail_content_type("grid") == "image/jpeg"
    with pytest.raises(KeyError):
        thumbnail_path(1, "../secret", 1)


def test_write_creates_the_folder_and_replaces_the_file(data_dir: Path) -> None:
    target = thumbnail_path(3, "grid", 1)
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert _leftovers(target.parent) == []


@pytest.fixture
def file_size_limit() -> Iterator[int]:
    """Files may grow to 64 KiB only: a longer write fails part-way (EFBIG) as on a full disk."""
    limit = 64 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield limit
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.mark.parametrize("existing", [None, b"the old thumbnail"])
def test_a_write_failing_half_way_leaves_nothing_half_written(
    data_dir: Path, existing: bytes | None, request: pytest.FixtureRequest
) -> None:
    target = thumbnail_path(5, "preview", 2)
    if existing is not None:
        write_atomically(target, existing)
    limit = request.getfixturevalue("file_size_limit")
    with pytest.raises(OSError) as failure:
        write_atomically(target, b"x" * (4 * limit))
    assert failure.value.errno == errno.EFBIG
    if existing is None:
        assert not target.exists()
    else:
        assert target.read_bytes() == existing
    assert _leftovers(target.parent) == []


def test_a_writer_failing_half_way_is_never_seen(data_dir: Path) -> None:
    target = developed_path(42, 2)
    write_atomically(target, b"developed before")
    seen: list[bytes] = []

    def write_half_then_fail(handle: BinaryIO) -> None:
        handle.write(b"half of a new ")
        handle.flush()
        seen.append(target.read_bytes())  # what a reader sees meanwhile
        raise RuntimeError("the encoder crashed")

    with pytest.raises(RuntimeError):
        write_atomically_with(target, write_half_then_fail)
    assert seen == [b"developed before"]
    assert target.read_bytes() == b"developed before"
    assert _leftovers(target.parent) == []


def test_delete_takes_every_size_and_version_of_those_photos_only(data_dir: Path) -> None:
    mine = [thumbnail_path(7, size, version) for size in SIZE_BY_NAME for version in (1, 2)]
    others = [
        thumbnail_path(70, "grid", 1),  # same shard, an id that starts with the same digits
        thumbnail_path(71, "preview", 2),
        thumbnail_path(1007, "grid", 1),  # another shard
        developed_path(7, 2),  # a file id, not a photo id
    ]
    for path in mine + others:
        write_atomically(path, path.name.encode())
    photo_derived_delete([7, 999_999])  # a photo with no files is no error
    assert [p for p in mine if p.exists()] == []
    assert all(p.read_bytes() == p.name.encode() for p in others)


def test_delete_logs_what_it_cannot_delete_and_goes_on(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stuck = thumbnail_path(8, "grid", 1)
    stuck.mkdir(parents=True)  # not a file: unlink fails
    (stuck / "inside").write_bytes(b"")
    gone = thumbnail_path(9, "grid", 1)
    write_atomically(gone, b"x")
    photo_derived_delete([8, 9])
    assert stuck.is_dir() and not gone.exists()
    assert "could not delete" in caplog.text
    assert os.fspath(stuck) in caplog.text
