from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from photonix.media.exiftool import ExifTool, ExifToolNotFound, ExifToolTimeout

from .conftest import PHOTOS, needs_exiftool

pytestmark = needs_exiftool

GOOD = PHOTOS / "jpeg-exif" / "Canon_40D.jpg"
NIKON = PHOTOS / "jpeg-exif" / "Nikon_D70.jpg"
EMPTY = PHOTOS / "broken" / "zero_bytes.jpg"


def test_batch_keeps_order_and_survives_broken_files(exiftool: ExifTool, tmp_path: Path) -> None:
    missing = tmp_path / "gone.jpg"
    paths = [GOOD, EMPTY, PHOTOS / "broken" / "not_a_png.png", missing, NIKON, GOOD]
    results = exiftool.read(paths)
    assert len(results) == len(paths)
    assert results[0]["IFD0:Model"] == "Canon EOS 40D"
    assert results[1]["ExifTool:Error"] == "File is empty"
    assert "IHDR" in results[2]["ExifTool:Warning"]
    assert results[3]["ExifTool:Error"] == "File not found"
    assert results[4]["IFD0:Model"] == "NIKON D70"
    assert results[5]["IFD0:Model"] == "Canon EOS 40D"  # the same file twice is fine


def test_numeric_and_text_values(exiftool: ExifTool) -> None:
    (raw,) = exiftool.read([PHOTOS / "gps" / "gps-2000_southern.jpg"])
    assert raw["GPS:GPSLatitudeRef"] == "S"  # numeric form, not "South"
    assert isinstance(raw["GPS:GPSLatitude"], float)
    assert raw["GPS:GPSLatitude"] > 0  # unsigned in the GPS IFD: the ref gives the sign
    (raw,) = exiftool.read([GOOD])
    assert raw["ExifIFD:MeteringMode"] == "Multi-segment"  # print conversion kept for labels
    assert raw["ExifIFD:ExposureTime"] == pytest.approx(1 / 160)
    assert "System:FileAccessDate" not in raw  # volatile: excluded so the dump is stable


def test_unusual_file_names(exiftool: ExifTool, tmp_path: Path) -> None:
    names = ["-starts-with-dash.jpg", "spaces and ünïcødé.jpg", "line\nbreak.jpg"]
    paths = []
    for name in names:
        target = tmp_path / name
        target.write_bytes(GOOD.read_bytes())
        paths.append(target if not name.startswith("-") else Path(name))
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        results = exiftool.read(paths)
    finally:
        os.chdir(old)
    assert results[0]["IFD0:Model"] == "Canon EOS 40D"
    assert results[1]["IFD0:Model"] == "Canon EOS 40D"
    assert results[2]["ExifTool:Error"] == "file name contains a line break"


def test_restart_after_kill() -> None:
    with ExifTool() as et:
        first = et.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        time.sleep(0.1)
        (raw,) = et.read([GOOD])
        assert raw["IFD0:Model"] == "Canon EOS 40D"
        assert et.pid not in (None, first)


def test_timeout_kills_and_next_call_works() -> None:
    with ExifTool() as et:
        first = et.pid
        with pytest.raises(ExifToolTimeout):
            et.read([GOOD] * 200, timeout=0.001)
        assert et.pid is None
        (raw,) = et.read([GOOD])
        assert raw["IFD0:Model"] == "Canon EOS 40D"
        assert et.pid != first


def test_thread_safe() -> None:
    errors: list[BaseException] = []
    with ExifTool() as et:

        def work(path: Path, model: str) -> None:
            try:
                for _ in range(5):
                    assert et.read([path])[0]["IFD0:Model"] == model
            except BaseException as exc:  # noqa: BLE001 - collected and re-raised below
                errors.append(exc)

        threads = [
            threading.Thread(target=work, args=(p, m))
            for p, m in [(GOOD, "Canon EOS 40D"), (NIKON, "NIKON D70")] * 3
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors


def test_close_stops_the_process() -> None:
    et = ExifTool()
    et.read([GOOD])
    pid = et.pid
    assert pid is not None
    et.close()
    assert et.pid is None
    # The process has exited (waited for), so its pid no longer exists as our child.
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: None)
    with pytest.raises(ExifToolNotFound, match="apt-get install libimage-exiftool-perl"):
        ExifTool()
    with pytest.raises(ExifToolNotFound):
        ExifTool("/nonexistent/exiftool").read([GOOD])


def test_media_package_does_not_import_django() -> None:
    code = (
        "import sys, photonix.media.metadata, photonix.media.formats, photonix.media.exiftool; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'celery')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
