"""The model store against a local HTTP server: download, verify, refetch once, offline."""

from __future__ import annotations

import hashlib
import http.server
import logging
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from photonix.classifiers.store import ModelSpec, ModelStore, ModelUnavailable

PAYLOAD = b"not really weights, but bytes all the same\n" * 50_000


class Server:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[str] = []
        handler = partial(self._Handler, directory=str(root))
        handler.func.server_log = self.requests  # type: ignore[attr-defined]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    class _Handler(http.server.SimpleHTTPRequestHandler):
        server_log: list[str]

        def do_GET(self) -> None:
            self.server_log.append(self.path)
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{name}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    root = tmp_path / "served"
    root.mkdir()
    (root / "model.onnx").write_bytes(PAYLOAD)
    server = Server(root)
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def spec_for(server: Server, **changes: object) -> ModelSpec:
    values: dict[str, object] = {
        "name": "tiny",
        "filename": "tiny.onnx",
        "sha256": hashlib.sha256(PAYLOAD).hexdigest(),
        "size": len(PAYLOAD),
        "url": server.url("model.onnx"),
    }
    values.update(changes)
    return ModelSpec(**values)  # type: ignore[arg-type]


def test_downloads_on_first_use_with_progress_then_uses_the_copy(
    server: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ModelStore(tmp_path / "models")
    spec = spec_for(server)
    with caplog.at_level(logging.INFO, logger="photonix.classifiers.store"):
        path = store.ensure(spec)
    assert path == tmp_path / "models" / "tiny.onnx"
    assert path.read_bytes() == PAYLOAD
    assert any("100%" in r.getMessage() for r in caplog.records)
    assert any("verified" in r.getMessage() for r in caplog.records)
    assert store.ensure(spec) == path
    assert server.requests == ["/model.onnx"], "the second use reads the local copy"
    assert not list(path.parent.glob("*.part")), "no partial file is left"
    assert store.verify(spec)


def test_a_corrupt_local_file_is_deleted_and_fetched_again(server: Server, tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models")
    spec = spec_for(server)
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "tiny.onnx").write_bytes(b"half a download")
    assert not store.verify(spec)
    assert store.ensure(spec).read_bytes() == PAYLOAD
    assert len(server.requests) == 1


def test_a_corrupt_download_is_fetched_once_more_then_fails_clearly(
    server: Server, tmp_path: Path
) -> None:
    store = ModelStore(tmp_path / "models")
    spec = spec_for(server, sha256="0" * 64)
    with pytest.raises(ModelUnavailable, match="corrupt twice"):
        store.ensure(spec)
    assert server.requests == ["/model.onnx", "/model.onnx"]
    assert not (tmp_path / "models" / "tiny.onnx").exists(), "nothing corrupt is kept"


def test_a_download_that_is_right_the_second_time_is_kept(server: Server, tmp_path: Path) -> None:
    # The server's file is replaced after the first (bad) answer, as a flaky mirror would.
    good = PAYLOAD
    (server.root / "model.onnx").write_bytes(b"garbage" * 10)
    store = ModelStore(tmp_path / "models")
    spec = spec_for(server)
    original = store._download

    def download(spec: ModelSpec, target: Path) -> None:
        original(spec, target)
        (server.root / "model.onnx").write_bytes(good)

    store._download = download  # type: ignore[method-assign]
    assert store.ensure(spec).read_bytes() == good
    assert len(server.requests) == 2


def test_unreachable_server_is_a_clear_error(tmp_path: Path, server: Server) -> None:
    store = ModelStore(tmp_path / "models")
    spec = spec_for(server, url=server.url("missing.onnx"))
    with pytest.raises(ModelUnavailable, match="cannot download"):
        store.ensure(spec)


def test_offline_uses_only_what_is_present(server: Server, tmp_path: Path) -> None:
    spec = spec_for(server)
    offline = ModelStore(tmp_path / "models", offline=True)
    with pytest.raises(ModelUnavailable, match="PHOTONIX_OFFLINE"):
        offline.ensure(spec)
    assert server.requests == []
    ModelStore(tmp_path / "models").ensure(spec)  # fetched while online
    assert offline.ensure(spec).read_bytes() == PAYLOAD
    assert len(server.requests) == 1


def test_bundled_models_are_present_by_definition(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "shipped.onnx").write_bytes(b"x")
    spec = ModelSpec("shipped", "shipped.onnx", hashlib.sha256(b"x").hexdigest(), 1, bundled=True)
    store = ModelStore(tmp_path / "models", offline=True, assets=assets)
    assert store.ensure(spec) == assets / "shipped.onnx"
    assert store.status([spec])[0][1] == "bundled"
    (assets / "shipped.onnx").unlink()
    with pytest.raises(ModelUnavailable, match="reinstall"):
        store.ensure(spec)


def test_a_classifier_whose_model_is_missing_fails_permanently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photonix.classifiers import store as store_module
    from photonix.classifiers.objects import ObjectClassifier
    from photonix.pipeline.base import PermanentError

    monkeypatch.setitem(
        store_module.MODELS,
        "detector",
        ModelSpec("detector", "detector.onnx", "0" * 64, 10, url="http://127.0.0.1:9/x"),
    )
    monkeypatch.setattr(store_module, "_store", ModelStore(tmp_path, offline=True))
    with pytest.raises(PermanentError, match=r"model detector is not in .* PHOTONIX_OFFLINE is on"):
        ObjectClassifier(model="detector").load()


def test_models_command(capsys: pytest.CaptureFixture[str]) -> None:
    from photonix.cli import main

    assert main(["models", "list"]) == 0
    assert "efficientnet-lite0\tbundled" in capsys.readouterr().out
    assert main(["models", "verify", "efficientnet-lite0"]) == 0
    assert "efficientnet-lite0: ok" in capsys.readouterr().out
    assert main(["models", "verify", "nope"]) == 2


DOWNLOADABLE = ["face-detection-yunet", "face-recognition-sface"]


@pytest.mark.parametrize("name", DOWNLOADABLE)
def test_the_catalogue_describes_real_downloads(name: str) -> None:
    """Each is a pinned https URL (a commit, not a branch), a sha256 and a size, with a licence."""
    import re

    from photonix.classifiers.store import MODELS

    spec = MODELS[name]
    assert not spec.bundled and spec.licence and spec.description
    assert re.fullmatch(r"[0-9a-f]{64}", spec.sha256)
    assert spec.size > 100_000
    assert re.fullmatch(
        r"https://github\.com/opencv/opencv_zoo/raw/[0-9a-f]{40}/.+\.onnx", spec.url
    )
    assert spec.url.endswith("/" + spec.filename)


def test_models_command_lists_and_verifies_the_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from photonix.classifiers import store as store_module
    from photonix.cli import main

    monkeypatch.setattr(store_module, "_store", ModelStore(tmp_path / "models", offline=True))
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "face-detection-yunet\tmissing\t0.2 MB\tMIT\t" in out
    assert "face-recognition-sface\tmissing\t38.7 MB\tApache-2.0\t" in out
    assert main(["models", "verify", *DOWNLOADABLE]) == 1
    assert capsys.readouterr().out.count("MISSING OR CORRUPT") == 2
    # Offline: a clear reason, and nothing fetched.
    assert main(["models", "download", "face-detection-yunet"]) == 1
    assert "PHOTONIX_OFFLINE is on" in capsys.readouterr().err


def test_a_catalogue_download_is_checked_against_its_real_checksum(
    server: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """YuNet's entry fetched from a local server that serves other bytes: refused twice."""
    from dataclasses import replace

    from photonix.classifiers.store import MODELS

    (server.root / "face_detection_yunet_2023mar.onnx").write_bytes(PAYLOAD)
    spec = replace(
        MODELS["face-detection-yunet"], url=server.url(MODELS["face-detection-yunet"].filename)
    )
    store = ModelStore(tmp_path / "models")
    with caplog.at_level(logging.INFO), pytest.raises(ModelUnavailable, match="corrupt twice"):
        store.ensure(spec)
    assert server.requests == ["/face_detection_yunet_2023mar.onnx"] * 2
    assert not store.is_present(spec)
    # The same bytes described by their own checksum are accepted: only the checksum decided.
    good = replace(spec, sha256=hashlib.sha256(PAYLOAD).hexdigest(), size=len(PAYLOAD))
    assert store.ensure(good).read_bytes() == PAYLOAD
