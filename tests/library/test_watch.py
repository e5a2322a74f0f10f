"""A real watcher process and a real worker keep a library in step with its folder.

Everything here runs as it does in production: ``photonix watch`` sleeps on inotify and hears about
new library folders over Redis pub/sub; ``photonix worker`` records files from the broker into the
test database. The test changes files on disk and polls the database (bounded) for the outcome.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from subprocess import Popen
from typing import Any

import pytest
import redis

from photonix.classifiers.models import PhotoTag, Tag
from photonix.core.queues import FOLDERS_CHANNEL
from photonix.library.models import LibraryFolder, PhotoFile
from photonix.library.services import library_add

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"
JPEGS = FIXTURES / "jpeg-exif"
FOLLOW_SECONDS = 15.0


def _wait(predicate: Callable[[], Any], what: str, timeout: float = FOLLOW_SECONDS) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}; last: {last!r}")


def _copy(src: Path, dest: Path) -> None:
    """Copy like a user would (the fixtures are read-only; the copies must not be)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _recorded(path: Path) -> PhotoFile | None:
    """The file's row once it is recorded as a photo (state ok, content hash of what is on disk)."""
    file = PhotoFile.objects.filter(path=str(path)).first()
    if file is None or file.state != PhotoFile.State.OK or file.photo_id is None:
        return None
    if not path.exists() or file.content_hash != _sha256(path):
        return None
    return file


def _failed(path: Path) -> PhotoFile | None:
    return PhotoFile.objects.filter(path=str(path), state=PhotoFile.State.FAILED).first()


def _row(pk: int) -> PhotoFile:
    return PhotoFile.objects.get(pk=pk)


def _start(
    root: Path,
    process_env: dict[str, str],
    broker_url: str,
    spawn: Callable[..., Popen[bytes]],
    tmp_path: Path,
) -> None:
    """Start a watcher and a worker, then create the library once the watcher listens."""
    watcher = spawn("watch", env=process_env)
    spawn("worker", "--concurrency", "1", env=process_env)
    client = redis.Redis.from_url(broker_url)
    try:
        _wait(
            lambda: dict(client.pubsub_numsub(FOLDERS_CHANNEL)).get(FOLDERS_CHANNEL.encode()),
            "the watcher to subscribe to folder changes",
            timeout=60,
        )
    finally:
        client.close()
    _, (folder,) = library_add("Watched", [str(root)])  # scans, and tells the watcher
    log = tmp_path / "watch-0.log"
    _wait(
        lambda: watcher.poll() is None and f"watching {root}" in log.read_text(errors="replace"),
        "the watcher to watch the new library folder",
    )
    # The initial scan runs on the worker; what follows is the watcher's work alone.
    _wait(
        lambda: LibraryFolder.objects.get(pk=folder.pk).last_scan_finished_at,
        "the initial scan",
        timeout=60,
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "photos"
    path.mkdir()
    return path


def test_library_follows_its_folder(
    process_env: dict[str, str],
    clean_broker: str,
    spawn: Callable[..., Popen[bytes]],
    tmp_path: Path,
    root: Path,
) -> None:
    # Present before the library exists: found by the initial scan, not by the watcher.
    _copy(JPEGS / "Canon_40D.jpg", root / "seed.jpg")
    (root / "a").mkdir()
    (root / "b").mkdir()
    _start(root, process_env, clean_broker, spawn, tmp_path)
    seed = _wait(lambda: _recorded(root / "seed.jpg"), "the initial scan to record seed.jpg")
    assert seed.photo.camera is not None and seed.photo.camera.model == "EOS 40D"

    # Copy in.
    started = time.monotonic()
    _copy(JPEGS / "Nikon_D70.jpg", root / "a" / "one.jpg")
    one = _wait(lambda: _recorded(root / "a" / "one.jpg"), "a copied-in file to be recorded")
    print(f"copy-in to recorded: {time.monotonic() - started:.2f}s")  # noqa: T201 - informative
    _copy(JPEGS / "Pentax_K10D.jpg", root / "a" / "two.jpg")
    _copy(JPEGS / "Panasonic_DMC-FZ30.jpg", root / "b" / "three.jpg")
    _copy(JPEGS / "Nikon_D300_lens_data.jpeg", root / "b" / "deep" / "four.jpeg")
    two = _wait(lambda: _recorded(root / "a" / "two.jpg"), "two.jpg to be recorded")
    three = _wait(lambda: _recorded(root / "b" / "three.jpg"), "three.jpg to be recorded")
    four = _wait(lambda: _recorded(root / "b" / "deep" / "four.jpeg"), "a file in a new folder")
    assert one.photo.camera.model == "D70"
    assert len({seed.photo_id, one.photo_id, two.photo_id, three.photo_id, four.photo_id}) == 5
    # A person's tag on a photo, to see it travel with the file.
    keyword = Tag.objects.create(library_id=one.library_id, type="keyword", name="holiday")
    PhotoTag.objects.create(photo_id=one.photo_id, tag=keyword, source="person", verdict="added")

    # Broken files end failed with their reason; the files copied in after them are recorded.
    _copy(FIXTURES / "broken" / "corrupted.heic", root / "a" / "corrupted.heic")
    _copy(FIXTURES / "broken" / "not_a_png.png", root / "a" / "not_a_png.png")
    _copy(JPEGS / "el_torcal_rocks.jpg", root / "a" / "after.jpg")
    after = _wait(lambda: _recorded(root / "a" / "after.jpg"), "a good file after broken ones")
    assert after.photo.camera.model == "DSLR-A550"
    for name, reason in (
        ("corrupted.heic", "damaged file: Truncated"),
        ("not_a_png.png", "damaged file: PNG image did not start with IHDR"),
    ):
        failed = _wait(partial(_failed, root / "a" / name), f"{name} to be recorded as failed")
        assert failed.error.startswith(reason), failed.error
        assert failed.photo_id is None
    (root / "a" / "after.jpg").unlink()
    (root / "a" / "corrupted.heic").unlink()
    (root / "a" / "not_a_png.png").unlink()
    _wait(
        lambda: (
            not PhotoFile.objects.filter(path__startswith=f"{root}/a/")
            .exclude(state=PhotoFile.State.MISSING)
            .exclude(pk__in=[one.pk, two.pk])
            .exists()
        ),
        "the broken files and after.jpg to be missing",
    )

    # Modify: the same file (and photo) with the new content's facts.
    (root / "a" / "two.jpg").write_bytes((JPEGS / "Canon_40D.jpg").read_bytes())
    modified = _wait(lambda: _recorded(root / "a" / "two.jpg"), "a modified file to be re-recorded")
    assert (modified.pk, modified.photo_id) == (two.pk, two.photo_id)
    assert modified.photo.camera.model == "EOS 40D"

    # Rename, then move to another subfolder: the same row and the same photo, at the new path.
    os.rename(root / "a" / "one.jpg", root / "a" / "one-renamed.jpg")  # noqa: PTH104
    renamed = _wait(lambda: _recorded(root / "a" / "one-renamed.jpg"), "a rename")
    assert (renamed.pk, renamed.photo_id) == (one.pk, one.photo_id)
    os.rename(root / "a" / "one-renamed.jpg", root / "b" / "one.jpg")  # noqa: PTH104
    moved = _wait(lambda: _recorded(root / "b" / "one.jpg"), "a move between subfolders")
    assert (moved.pk, moved.photo_id) == (one.pk, one.photo_id)

    # Move a whole subfolder (with a nested one): every file inside follows.
    os.rename(root / "b", root / "a" / "b-moved")  # noqa: PTH104
    for before, after in (
        (one, root / "a" / "b-moved" / "one.jpg"),
        (three, root / "a" / "b-moved" / "three.jpg"),
        (four, root / "a" / "b-moved" / "deep" / "four.jpeg"),
    ):
        row = _wait(partial(_recorded, after), f"a folder move to reach {after.name}")
        assert (row.pk, row.photo_id) == (before.pk, before.photo_id)
    assert list(
        PhotoTag.objects.filter(photo_id=one.photo_id, tag__type="keyword").values_list(
            "tag__name", "verdict"
        )
    ) == [("holiday", "added")]  # the person's tag moved with the photo
    assert not PhotoFile.objects.filter(path__startswith=f"{root}/b/").exists()

    # Delete one file: missing (kept for a grace period), its photo stays.
    (root / "a" / "b-moved" / "three.jpg").unlink()
    _wait(lambda: _row(three.pk).state == PhotoFile.State.MISSING, "a deleted file to be missing")
    assert _row(three.pk).photo_id == three.photo_id

    # Delete a folder: every file below it is missing.
    shutil.rmtree(root / "a" / "b-moved")
    _wait(
        lambda: {_row(one.pk).state, _row(four.pk).state} == {PhotoFile.State.MISSING},
        "the files of a deleted folder to be missing",
    )
    assert _row(two.pk).state == PhotoFile.State.OK  # its sibling folder's file is untouched

    # A deleted file copied back elsewhere (same content) is recognised: same row, same photo.
    _copy(JPEGS / "Panasonic_DMC-FZ30.jpg", root / "back" / "three-again.jpg")
    back = _wait(lambda: _recorded(root / "back" / "three-again.jpg"), "a file to come back")
    assert (back.pk, back.photo_id) == (three.pk, three.photo_id)

    # Nothing else appeared on the way: one row per file ever seen, one photo per content.
    assert PhotoFile.objects.count() == 5 + 3  # and after.jpg and the two broken files, gone
    assert set(PhotoFile.objects.values_list("state", flat=True)) == {"ok", "missing"}
    assert dict(PhotoFile.objects.filter(state="ok").values_list("path", "pk")) == {
        str(root / "seed.jpg"): seed.pk,
        str(root / "a" / "two.jpg"): two.pk,
        str(root / "back" / "three-again.jpg"): three.pk,
    }


def test_file_written_slowly_is_recorded_once_complete(
    process_env: dict[str, str],
    clean_broker: str,
    spawn: Callable[..., Popen[bytes]],
    tmp_path: Path,
    root: Path,
) -> None:
    _start(root, process_env, clean_broker, spawn, tmp_path)
    content = (FIXTURES / "gps" / "DSCN0010.jpg").read_bytes()
    target = root / "slow.jpg"
    with target.open("wb") as out:
        for start in range(0, len(content), len(content) // 4 + 1):
            out.write(content[start : start + len(content) // 4 + 1])
            out.flush()
            deadline = time.monotonic() + 0.5
            while time.monotonic() < deadline:  # while it is being written, it is not a photo
                assert not PhotoFile.objects.filter(path=str(target), state="ok").exists()
                time.sleep(0.1)
    file = _wait(lambda: _recorded(target), "the completed file to be recorded")
    assert file.size == len(content)
    assert file.content_hash == hashlib.sha256(content).hexdigest()
    assert file.photo.latitude == pytest.approx(43.4674, abs=1e-3)
    # Recorded exactly once: the watcher waited for the writer to close the file. The worker logs
    # after it commits, so wait until every record task it received has finished and logged.
    log_path = tmp_path / "worker-1.log"

    def _settled_log() -> str | None:
        text = log_path.read_text(errors="replace")
        task = r"Task photonix\.library\.record_file\[[^\]]+\]"
        started = len(re.findall(task + " received", text))
        finished = len(re.findall(task + " (?:succeeded|raised|retry)", text))
        done = started and finished >= started and f"recorded {target} as photo" in text
        return text if done else None

    worker_log = _wait(_settled_log, "the worker to log the finished record task")
    assert worker_log.count(f"recorded {target} as photo") == 1, worker_log[-3000:]
