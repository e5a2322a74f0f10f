"""Smart search end to end with a tiny CLIP-shaped model (tests/classifiers/clipmodel.py):
the real downloader (resume, checksums) against a local server, the manifest, tokenizer, ONNX
sessions, the classifier stage on previews, the vector index and the API."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from PIL import Image

from photonix import cli, conf
from photonix.classifiers import clip, store, vectors
from photonix.classifiers.clip import ClipClassifier
from photonix.classifiers.clip_tokenizer import ClipTokenizer
from photonix.classifiers.models import PhotoEmbedding
from photonix.library.models import Photo
from photonix.media.thumbnails import PREVIEW
from photonix.pipeline import stages
from photonix.pipeline.stages import THUMBNAILER_VERSION
from photonix.storage.derived import thumbnail_path
from tests.classifiers import clipmodel
from tests.library import photos as build

COLOURS = {
    "red": (230, 20, 25),
    "crimson": (190, 10, 40),
    "green": (20, 200, 30),
    "blue": (15, 30, 220),
}


class Served:
    def __init__(self, root: Path, server: clipmodel.RangeServer, models: Path) -> None:
        self.root = root
        self.server = server
        self.models = models

    @property
    def folder(self) -> Path:
        return self.root / "tiny-clip"

    def local(self, path: str) -> Path:
        return self.models / "clip" / "tiny-clip" / path


def _reset() -> None:
    conf.reset()
    store._store = None
    clip.forget()


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    """The tiny model on a local HTTP server, its manifest the configured one, models dir empty."""
    root = tmp_path / "served"
    clipmodel.build(root / "tiny-clip")
    models = tmp_path / "models"
    with clipmodel.serving(root) as server:
        manifest = clipmodel.manifest(root / "tiny-clip", url=f"{server.base}/tiny-clip/{{path}}")
        (tmp_path / "clip.json").write_text(json.dumps(manifest))
        monkeypatch.setenv("PHOTONIX_CLIP_MANIFEST", str(tmp_path / "clip.json"))
        monkeypatch.setenv("PHOTONIX_MODELS_DIR", str(models))
        _reset()
        yield Served(root, server, models)
    monkeypatch.undo()
    _reset()


def test_the_tokenizer_reads_tokenizer_json_and_frames_the_words(tmp_path: Path) -> None:
    clipmodel.build(tmp_path)
    tokenizer = ClipTokenizer.from_files(tmp_path / "textual/tokenizer.json", pad_token="")
    vocab = clipmodel.vocabulary()
    assert tokenizer.ids("Red") == [vocab["red</w>"]]
    words = [vocab["green</w>"], vocab[",</w>"], vocab["blue</w>"]]
    assert tokenizer.ids("  GREEN,  blue ") == words
    # A word the merges do not know is spelled out byte by byte, the last one marked.
    assert tokenizer.ids("rd") == [vocab["r"], vocab["d</w>"]]
    ids = tokenizer.encode("red")
    assert len(ids) == clipmodel.CONTEXT
    assert ids[:3] == [vocab["<|startoftext|>"], vocab["red</w>"], vocab["<|endoftext|>"]]
    assert set(ids[3:]) == {0}
    long = tokenizer.encode("red " * 200)
    assert len(long) == clipmodel.CONTEXT and long[-1] == vocab["<|endoftext|>"]


def test_models_download_clip_resumes_a_partial_file_and_verifies_every_file(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    visual = served.folder / "visual/model.onnx"
    half = visual.read_bytes()[: visual.stat().st_size // 2]
    part = served.local("visual/model.onnx.part")
    part.parent.mkdir(parents=True)
    part.write_bytes(half)

    assert cli.main(["models", "download", "clip"]) == 0
    for path in clipmodel.FILES:
        assert served.local(path).read_bytes() == (served.folder / path).read_bytes()
    assert ("/tiny-clip/visual/model.onnx", f"bytes={len(half)}-") in served.server.requests
    assert not part.exists()
    assert cli.main(["models", "verify", "clip"]) == 0
    out = capsys.readouterr().out
    assert "clip/textual/model.onnx: ok" in out
    assert clip.model_present()


def test_a_corrupt_or_wrong_sized_file_is_refused_with_the_reason(served: Served) -> None:
    model_store = store.default_store()
    pack = store.clip_pack()
    served_tokenizer = served.folder / "textual/tokenizer.json"
    served_tokenizer.write_bytes(served_tokenizer.read_bytes().replace(b"red", b"rod"))
    with pytest.raises(store.ModelUnavailable, match=r"corrupt twice.*does not match"):
        model_store.ensure(pack.spec("textual/tokenizer.json"))
    assert not served.local("textual/tokenizer.json").exists()

    served_tokenizer.write_bytes(served_tokenizer.read_bytes() + b" ")
    with pytest.raises(store.ModelUnavailable, match="size"):
        model_store.ensure(pack.spec("textual/tokenizer.json"))

    # Loading the model (the classifier stage) fails with the same reason.
    with pytest.raises(store.ModelUnavailable, match="does not match"):
        clip.current_model()


def test_a_manifest_without_pins_downloads_nothing(tmp_path: Path) -> None:
    pack = store.load_pack("clip", store.CLIP_MANIFEST)
    assert {s.name for s in pack.files} == {f"clip/{p}" for p in clipmodel.FILES}
    unpinned = [s for s in pack.files if not s.sha256]
    if unpinned:
        with pytest.raises(store.ModelUnavailable, match="pins no size and sha256"):
            store.ModelStore(tmp_path).ensure(unpinned[0])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "x", "files": {"../escape": {}}}))
    with pytest.raises(store.ModelUnavailable, match="leaves the model's folder"):
        store.load_pack("clip", bad)


def _with_preview(photo: Photo, colour: tuple[int, int, int]) -> Photo:
    path = thumbnail_path(photo.pk, PREVIEW.name, THUMBNAILER_VERSION)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (96, 64), colour).save(path)
    Photo.objects.filter(pk=photo.pk).update(thumbnail_version=THUMBNAILER_VERSION)
    photo.refresh_from_db()
    return photo


@pytest.mark.django_db
def test_without_the_model_everything_else_works_and_smart_search_says_how_to_turn_it_on(
    served: Served,
) -> None:
    owner = build.user("ann")
    folder = build.library("home", owner)
    photo = build.photo(folder, build.at(2024))
    client = build.client_for(owner)
    assert not ClipClassifier().applies_to("photo")
    answer = client.get("/api/search/semantic", {"q": "red"})
    assert answer.status_code == 503
    assert "turn it on in Settings" in answer.json()["detail"]
    assert client.get(f"/api/photos/{photo.pk}/similar").status_code == 503
    state = client.get("/api/smart-search").json()
    assert state["available"] is False and state["model"] == "tiny-clip"
    assert "not downloaded" in state["reason"]
    assert client.get("/api/timeline").status_code == 200
    # Turning it on is an administrator's.
    assert client.post("/api/smart-search").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_smart_search_finds_photos_by_meaning_and_similar_photos(served: Served) -> None:
    assert not vectors.unavailable(), "this test needs the vector index of the test database"
    assert cli.main(["models", "download", "clip"]) == 0
    owner, stranger = build.user("ann"), build.user("bob")
    home = build.library("home", owner)
    other = build.library("other", stranger)
    shot = {
        name: _with_preview(build.photo(home, build.at(2024, 1, i + 1)), rgb)
        for i, (name, rgb) in enumerate(COLOURS.items())
    }
    elsewhere = _with_preview(build.photo(other, build.at(2024, 2)), COLOURS["red"])
    classifier = ClipClassifier()
    assert classifier.applies_to("photo")
    for photo in [*shot.values(), elsewhere]:
        assert stages.classify(photo, classifier) == 1
    embedding = PhotoEmbedding.objects.get(photo=shot["red"])
    assert (embedding.model, embedding.version, embedding.dim) == ("tiny-clip", 1, 3)

    client = build.client_for(owner)

    def found(query: str) -> list[int]:
        answer = client.get("/api/search/semantic", {"q": query})
        assert answer.status_code == 200, answer.content
        assert answer.json()["model"] == "tiny-clip"
        return [r["id"] for r in answer.json()["results"]]

    reds = found("red")
    # Not the stranger's red photo, nor the green or blue ones.
    assert set(reds) == {shot["red"].pk, shot["crimson"].pk}
    assert found("a blue") == [shot["blue"].pk]
    assert found("Green!") == [shot["green"].pk]
    assert client.get("/api/search/semantic", {"q": " "}).status_code == 400

    similar = client.get(f"/api/photos/{shot['red'].pk}/similar").json()["results"]
    ids = [r["id"] for r in similar]
    assert ids[0] == shot["crimson"].pk
    assert shot["red"].pk not in ids and elsewhere.pk not in ids
    assert ids.index(shot["blue"].pk) > 0 and similar[0]["score"] > similar[-1]["score"]
    assert client.get(f"/api/photos/{elsewhere.pk}/similar").status_code == 404
    assert client.get(f"/api/photos/{shot['red'].pk}/similar", {"limit": "0"}).status_code == 400

    # Another red photo is indexed as it is classified, and re-classifying replaces, not adds.
    late = _with_preview(build.photo(home, build.at(2024, 3)), (250, 40, 30))
    stages.classify(late, classifier)
    stages.classify(late, classifier)
    assert PhotoEmbedding.objects.filter(photo=late).count() == 1
    assert late.pk in found("red")
    status = client.get("/api/smart-search").json()
    assert status["available"] is True and status["embedded_photos"] == 6

    # A deleted photo leaves the index with its embedding.
    gone = PhotoEmbedding.objects.get(photo=late)
    late.delete()
    assert gone.pk not in {i for i, _ in vectors.nearest(3, bytes(gone.vector), 100)}
    assert late.pk not in found("red")
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_shipped_manifest_is_immichs_layout() -> None:
    data = json.loads(store.CLIP_MANIFEST.read_text())
    assert set(data["files"]) == set(clipmodel.FILES)
    assert "immich-app/ViT-B-32__openai" in data["url"]
    assert shutil.which("true")  # the manifest names files only; no network here


@pytest.mark.django_db
def test_large_vectors_are_found_nearest_first_through_the_index() -> None:
    """512-d vectors (CLIP's): on SQLite the sign-bit index picks candidates and the exact
    cosine ranks them; on PostgreSQL the HNSW index answers."""
    import numpy as np

    assert not vectors.unavailable()
    rng = np.random.default_rng(3)
    folder = build.library("home", build.user("ann"))
    base = rng.standard_normal(512).astype(np.float32)
    noise = [0.1, 0.4, 0.8]
    rows = [base + n * rng.standard_normal(512).astype(np.float32) for n in noise]
    rows += list(rng.standard_normal((60, 512)).astype(np.float32))
    ids = []
    for row in rows:
        unit = (row / np.linalg.norm(row)).astype(np.float32).tobytes()
        photo = build.photo(folder, build.at(2024))
        embedding = PhotoEmbedding.objects.create(photo=photo, model="m", dim=512, vector=unit)
        vectors.put(embedding.pk, 512, unit)
        ids.append(embedding.pk)
    query = (base / np.linalg.norm(base)).astype(np.float32).tobytes()
    found = vectors.nearest(512, query, 3)
    assert [i for i, _ in found] == ids[:3]
    distances = [d for _, d in found]
    assert distances == sorted(distances) and distances[0] < 0.05


@pytest.mark.django_db
def test_an_administrator_turns_smart_search_on_and_the_worker_downloads_the_model(
    served: Served, clean_broker: str, django_capture_on_commit_callbacks: Any
) -> None:
    import redis

    from photonix.core.models import User
    from photonix.pipeline import tasks

    admin = User.objects.create_user("root", is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        answer = build.client_for(admin).post("/api/smart-search")
    assert answer.status_code == 202
    broker = redis.Redis.from_url(clean_broker)
    sent = [broker.lrange(key, 0, -1) for key in broker.keys("classify*")]
    assert any(b"photonix.classify.download_models" in m for messages in sent for m in messages)

    # What the worker then does: the model, verified, and every photo's missing stages.
    folder = build.library("home", admin)
    build.photo(folder, build.at(2024))
    assert tasks.download_models.run(["clip"]) == ["clip"]
    assert clip.model_present()
    assert build.client_for(admin).get("/api/smart-search").json()["model_present"] is True
