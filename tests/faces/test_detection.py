"""Detection and embeddings on the sample photos, with the real models."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from photonix.faces import clustering
from photonix.faces.detection import DetectedFace, FaceModels, iou
from photonix.media.decode import open_image
from tests.faces.conftest import FACES

Detect = Callable[[str], list[DetectedFace]]


def centre(face: DetectedFace) -> tuple[float, float]:
    x, y, w, h = face.box
    return x + w / 2, y + h / 2


def test_the_solvay_group_photo_yields_at_least_25_faces(detect: Detect) -> None:
    faces = detect("solvay_group_faces.jpg")
    assert len(faces) >= 25
    # Faces of ~35 px are kept but too small to be grouped (their embeddings are noise).
    assert all(f.size < 40 for f in faces if not f.clusterable)


# Where the face is, by hand, as fractions of the displayed image: (x0, y0, x1, y1).
FACE_REGIONS = {
    "hopper_face.jpg": (0.28, 0.12, 0.70, 0.66),
    "astronaut_face.png": (0.33, 0.08, 0.57, 0.38),
}


@pytest.mark.parametrize("name", sorted(FACE_REGIONS))
def test_a_portrait_yields_one_box_on_the_face(detect: Detect, name: str) -> None:
    (face,) = detect(name)
    x0, y0, x1, y1 = FACE_REGIONS[name]
    cx, cy = centre(face)
    assert x0 < cx < x1 and y0 < cy < y1, face.box
    x, y, w, h = face.box
    assert x >= x0 - 0.05 and y >= y0 - 0.05 and x + w <= x1 + 0.05 and y + h <= y1 + 0.05
    assert face.confidence > 0.95
    assert face.clusterable and face.embedding is not None and face.embedding.shape == (128,)


def test_the_rotated_curie_portrait_has_its_boxes_on_the_upright_faces(detect: Detect) -> None:
    upright = sorted(detect("curie_portrait.jpg"), key=lambda f: f.box[0])
    rotated = sorted(detect("curie_portrait_orientation6.jpg"), key=lambda f: f.box[0])
    assert len(upright) == len(rotated) == 2  # Marie and Pierre Curie
    for a, b in zip(upright, rotated, strict=True):
        assert iou(a.box, b.box) > 0.8, (a.box, b.box)
    marie = rotated[0]
    cx, cy = centre(marie)
    assert 0.30 < cx < 0.44 and 0.20 < cy < 0.42, marie.box
    # The same person in both files.
    assert upright[0].embedding is not None and marie.embedding is not None
    assert float(np.linalg.norm(upright[0].embedding - marie.embedding)) < 0.2


def test_orientation_matters_the_stored_pixels_put_the_face_elsewhere(
    face_models: FaceModels, detect: Detect
) -> None:
    stored = open_image(FACES / "curie_portrait_orientation6.jpg", orientation=1, max_size=2048)
    assert stored.image.size == (700, 840)  # sideways as stored
    upright = detect("curie_portrait_orientation6.jpg")
    sideways = face_models.analyse(stored.image)
    assert all(iou(a.box, b.box) < 0.3 for a in upright for b in sideways)


def test_becker_twice_is_one_person_and_beckham_another(detect: Detect) -> None:
    becker_3 = max(detect("Boris_Becker_0003.jpg"), key=lambda f: f.size)
    becker_4 = max(detect("Boris_Becker_0004.jpg"), key=lambda f: f.size)
    (beckham,) = detect("David_Beckham_0001.jpg")
    embeddings = np.stack([f.embedding for f in (becker_3, becker_4, beckham)])  # type: ignore[misc]
    labels = clustering.cluster(embeddings, [1, 2, 3])
    assert labels[0] == labels[1] != -1
    assert labels[2] != labels[0]


@pytest.mark.parametrize("name", ["chelsea_cat.png", "coffee_cup.png"])
def test_no_face_where_there_is_none(detect: Detect, name: str) -> None:
    assert detect(name) == []
