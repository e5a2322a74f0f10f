"""The COCO object detector on real fixture pixels (the shipped model, run by ONNX Runtime)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from photonix.classifiers import runtime, store
from photonix.classifiers.detector import (
    MODEL,
    DetectorClassifier,
    detect,
    labels,
    parents_of,
    predictions_from,
)
from photonix.classifiers.registry import Prediction
from photonix.pipeline.base import PermanentError

PHOTOS = Path(__file__).parents[1] / "fixtures" / "photos"


def open_preview(name: str) -> Image.Image:
    """The photo as the pipeline hands it to classifiers: upright RGB, at most 2048 px."""
    with Image.open(PHOTOS / name) as image:
        rgb = image.convert("RGB")
    rgb.thumbnail((2048, 2048))
    return rgb


@pytest.fixture(scope="module")
def detector() -> DetectorClassifier:
    classifier = DetectorClassifier()
    classifier.load()
    return classifier


def found(detector: DetectorClassifier, name: str) -> dict[str, list[Prediction]]:
    by_name: dict[str, list[Prediction]] = {}
    for prediction in detector.predict(open_preview(name)):
        by_name.setdefault(prediction.name, []).append(prediction)
    return by_name


def test_the_shipped_model_is_the_recorded_one() -> None:
    spec = store.MODELS[MODEL]
    assert spec.bundled and spec.licence == "Apache-2.0"
    assert store.ModelStore(Path("/nonexistent")).verify(spec)
    assets = store.ASSETS
    notice = (assets / "NOTICE.ssd_mobilenet_v2_coco").read_text()
    assert "7046f31a72ec0045a57b94199144c96cf5840c7dc106b808b64a1ed5559aa0cd" in notice
    assert "Apache License" in (assets / "LICENSE.ssd_mobilenet_v2_coco").read_text()
    assert len(labels()) == 80
    assert labels()[0] == "person" and labels()[17] == "dog" and labels()[18] == "horse"


@pytest.mark.parametrize(
    ("photo", "expected"),
    [
        ("faces-objects/person_dog_horse.jpg", {"person", "horse"}),
        ("faces-objects/dog_bicycle_truck.jpg", {"dog", "bicycle", "car"}),
        ("faces-objects/coffee_cup.png", {"cup"}),
        ("faces-objects/astronaut_face.png", {"person"}),
        ("faces-objects/chelsea_cat.png", {"cat"}),
    ],
)
def test_what_the_photos_show_is_found(
    detector: DetectorClassifier, photo: str, expected: set[str]
) -> None:
    tags = found(detector, photo)
    assert expected <= set(tags), tags
    assert "dog" not in tags or "cat" not in expected, "a cat is not a dog"


def test_boxes_are_fractions_of_the_photo_around_the_thing(detector: DetectorClassifier) -> None:
    tags = found(detector, "faces-objects/person_dog_horse.jpg")
    for prediction in (p for group in tags.values() for p in group):
        assert prediction.box is not None
        x, y, w, h = prediction.box
        assert 0 <= x < x + w <= 1 and 0 <= y < y + h <= 1
        assert prediction.significance == pytest.approx(w * h, abs=1e-3)
        assert 0.4 <= prediction.confidence <= 1
    # The rider stands left of the horse's middle, the horse fills the right half.
    (person,) = tags["person"]
    (horse,) = tags["horse"]
    assert person.box is not None and horse.box is not None
    assert person.box[0] + person.box[2] / 2 < horse.box[0] + horse.box[2] / 2
    assert horse.box[0] + horse.box[2] / 2 > 0.5
    assert parents_of("horse") == ("mammal", "animal") == horse.parents
    assert parents_of("car") == ("vehicle",)
    assert parents_of("cup") == ("tableware",)


def test_each_person_of_a_group_is_a_box(detector: DetectorClassifier) -> None:
    people = found(detector, "faces-objects/solvay_group_faces.jpg")["person"]
    assert len(people) >= 8
    assert len({p.box for p in people}) == len(people)


def test_the_threshold_leaves_out_the_unsure() -> None:
    boxes = (0.1, 0.1, 0.5, 0.5)
    raw = [("person", 0.9, boxes), ("computer mouse", 0.34, boxes), ("dog", 0.4, boxes)]
    assert [p.name for p in predictions_from(raw, 0.4)] == ["person", "dog"]
    assert [p.name for p in predictions_from(raw, 0.95)] == []


def test_the_raw_model_output_is_read_as_boxes_classes_and_scores() -> None:
    path = store.model_path(MODEL)
    raw = detect(path, open_preview("faces-objects/dog_bicycle_truck.jpg"))
    assert len(raw) == 20  # the model always returns its 20 best boxes, sure or not
    assert raw == sorted(raw, key=lambda r: -r[1])
    assert raw[0][0] == "dog" and raw[0][1] > 0.9


def _damaged_store(tmp_path: Path, content: bytes | None = None) -> store.ModelStore:
    assets = tmp_path / "assets"
    assets.mkdir()
    spec = store.MODELS[MODEL]
    target = assets / spec.filename
    if content is None:
        shutil.copy(store.ASSETS / spec.filename, target)
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one bit pattern flipped in the weights
        target.write_bytes(bytes(data))
    else:
        target.write_bytes(content)
    return store.ModelStore(tmp_path / "models", offline=True, assets=assets)


@pytest.mark.parametrize("damage", ["flipped", "wrong file"])
def test_a_corrupt_or_wrong_model_file_fails_the_stage_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    other = (store.ASSETS / "efficientnet_lite0.onnx").read_bytes()
    damaged = _damaged_store(tmp_path, None if damage == "flipped" else other)
    monkeypatch.setattr(store, "_store", damaged)
    with pytest.raises(PermanentError, match=r"ssd-mobilenet-v2-coco.*corrupt") as failure:
        DetectorClassifier().load()
    reason = str(failure.value)
    assert store.MODELS[MODEL].sha256 in reason and "reinstall" in reason
    assert ("sha256 " in reason) if damage == "flipped" else (f"size {len(other)}" in reason)
    # Nothing of it was loaded.
    assert all(path.parent != damaged.assets for path in runtime._sessions)
