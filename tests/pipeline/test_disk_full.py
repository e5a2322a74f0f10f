"""A full disk while derived files are written: the job waits it out with the pipeline's bounded
backoff, and the photo ends processed, with no failure left over, once there is room again.

The full disk is real: a tiny tmpfs mounted over the thumbnails folder (root only; the test is
skipped where mounting is not allowed).
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import Popen

import pytest
from django.db.models import Q

from photonix.library.browse.export import export_rows
from photonix.library.models import Library
from photonix.pipeline.base import PermanentError, TransientError, is_transient
from photonix.pipeline.models import Job, PhotoPipeline
from photonix.storage.derived import thumbnail_path, thumbnails_root
from tests.pipeline.test_pipeline import GOOD, import_files, jobs_of, photo_of, settled
from tests.waiting import wait_for


def test_a_full_disk_is_worth_a_retry_and_other_file_errors_are_not() -> None:
    assert is_transient(OSError(errno.ENOSPC, "No space left on device"))
    assert is_transient(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert is_transient(TransientError("a share hiccupped"))
    # A file too large for a limit (RLIMIT_FSIZE) or a read-only folder does not pass by waiting.
    assert not is_transient(OSError(errno.EFBIG, "File too large"))
    assert not is_transient(OSError(errno.EROFS, "Read-only file system"))
    assert not is_transient(PermanentError("not an image"))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture
def full_disk() -> Iterator[Path]:
    """The thumbnails folder on a 64 KiB tmpfs, filled up; yields the file that fills it."""
    root = thumbnails_root()
    root.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        [_tool("mount"), "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        filler = root / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
        finally:
            os.close(fd)
        yield filler
    finally:
        subprocess.run([_tool("umount"), "--lazy", str(root)], check=False)


@pytest.mark.integration
def test_thumbnails_wait_for_room_on_a_full_disk(
    full_disk: Path,
    tmp_path: Path,
    clean_broker: str,
    process_env: dict[str, str],
    spawn: Callable[..., Popen[bytes]],
) -> None:
    spawn("worker", "--concurrency", "1", env=process_env)
    library_id, files = import_files(tmp_path, GOOD[:1], enabled=[])
    photo = photo_of(files[Path(GOOD[0]).name])

    # The retry's new message marks the job retrying as it is sent, and the retry's reason is
    # written just after: wait for the reason (or a failure), not for the state alone.
    job = wait_for(
        lambda: (
            Job.objects.filter(photo=photo, stage="thumbnails")
            .filter(Q(state="failed") | Q(state="retrying", error__gt=""))
            .first()
        ),
        60,
        "the thumbnail job to meet the full disk",
    )
    assert job.state == "retrying", job.error  # not failed: room may be made
    assert "No space left on device" in job.error
    assert PhotoPipeline.objects.get(pk=photo.pk).state == "processing"

    full_disk.unlink()  # someone makes room
    assert settled(photo) == "processed"
    (job,) = jobs_of(photo)["thumbnails"]
    assert job.state == "succeeded" and job.attempts >= 2
    photo.refresh_from_db()
    assert thumbnail_path(photo.pk, "grid", photo.thumbnail_version).is_file()
    (row,) = export_rows(Library.objects.get(pk=library_id))
    assert (row["state"], row["failures"]) == ("processed", [])
