"""Near-duplicates and bursts on real files, through the real stages, and stacks through the API.

The files are made with Pillow from a sample photo: a copy re-encoded at a low JPEG quality, a
copy halved, and a burst (the photo, then a shifted and blurred frame one second later, same
camera, written into the EXIF), plus a control frame as alike but ten seconds later. They are
scanned and recorded (exiftool), get their thumbnails and their likeness from the pipeline's
own stages, and are grouped and stacked through the HTTP API.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image, ImageFilter

from photonix.classifiers.similar import SimilarityClassifier
from photonix.core.models import User
from photonix.library.browse import duplicates
from photonix.library.importing.recording import file_record
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import LibraryMember, Photo, PhotoFile, PhotoLikeness
from photonix.library.services import library_add
from photonix.media import similarity
from photonix.media.exiftool import ExifTool
from photonix.pipeline import stages
from tests.media.conftest import PHOTOS, needs_exiftool

SCENE = PHOTOS / "faces-objects" / "dog_bicycle_truck.jpg"
BURST_SCENE = PHOTOS / "faces-objects" / "person_dog_horse.jpg"


def _save(image: Image.Image, path: Path, *, quality: int = 92, taken: str = "") -> None:
    exif = Image.Exif()
    if taken:
        exif[0x010F] = "Canon"  # Make
        exif[0x0110] = "EOS 5D"  # Model
        exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    image.save(path, "JPEG", quality=quality, exif=exif)


def _files(root: Path) -> None:
    scene = Image.open(SCENE).convert("RGB")
    _save(scene, root / "original.jpg", quality=95)
    _save(scene, root / "reencoded.jpg", quality=25)
    _save(scene.resize((scene.width // 2, scene.height // 2), Image.Resampling.LANCZOS),
          root / "resized.jpg")  # fmt: skip
    burst = Image.open(BURST_SCENE).convert("RGB")
    w, h = burst.size
    moved = burst.crop((12, 8, w, h)).resize((w, h)).filter(ImageFilter.GaussianBlur(1.5))
    _save(burst, root / "burst_1.jpg", taken="2024:05:01 12:00:00")
    _save(moved, root / "burst_2.jpg", taken="2024:05:01 12:00:01")
    # Alike enough to be in the burst (10 and 14 bits apart), but ten seconds after it.
    later = burst.crop((0, 0, w - 24, h - 16)).resize((w, h))
    _save(later, root / "later.jpg", taken="2024:05:01 12:00:11")
    shutil.copy(PHOTOS / "jpeg-exif" / "el_torcal_rocks.jpg", root / "other.jpg")


@pytest.fixture(scope="module")
def exiftool() -> Iterator[ExifTool]:
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    with ExifTool(timeout=60) as et:
        yield et


@pytest.fixture
def library(tmp_path: Path, settings: Any, exiftool: ExifTool) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path / "data"
    root = tmp_path / "photos"
    root.mkdir()
    _files(root)
    owner = User.objects.create_user("owner")
    viewer = User.objects.create_user("viewer")
    stranger = User.objects.create_user("stranger")
    lib, (folder,) = library_add("Family", [str(root)], owner=owner, scan=False)
    LibraryMember.objects.create(library=lib, user=viewer, role="viewer")
    (tmp_path / "elsewhere").mkdir()
    library_add("Other", [str(tmp_path / "elsewhere")], owner=stranger, scan=False)
    folder_scan(folder)
    for file in PhotoFile.objects.all():
        file_record(file.pk, exiftool)
    measure = SimilarityClassifier()
    photos = {}
    for photo in Photo.objects.select_related("preferred_file"):
        stages.make_thumbnails(photo)
        photo.refresh_from_db()
        assert stages.classify(photo, measure) == 1
        assert photo.preferred_file is not None
        photos[Path(photo.preferred_file.path).stem] = photo.pk
    clients = {}
    for who in (owner, viewer, stranger):
        clients[who.username] = Client()
        clients[who.username].force_login(who)
    return {"photos": photos, "library": lib.pk, **clients}


def _groups(client: Client, **query: Any) -> dict[str, Any]:
    response = client.get("/api/duplicates", query)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def _names(photos: dict[str, int], group: dict[str, Any]) -> list[str]:
    by_id = {pk: name for name, pk in photos.items()}
    return [by_id[p["id"]] for p in group["photos"]]


def _timeline(client: Client) -> dict[int, dict[str, Any]]:
    response = client.get("/api/timeline")
    assert response.status_code == 200
    return {item["id"]: item for item in response.json()["results"]}


@needs_exiftool
@pytest.mark.django_db
def test_copies_and_bursts_are_grouped_and_the_sharpest_comes_first(
    library: dict[str, Any],
) -> None:
    photos = library["photos"]
    body = _groups(library["viewer"])
    assert body["count"] == 2
    groups = {g["kind"]: g for g in body["groups"]}
    assert set(groups) == {"duplicate", "burst"}
    copies = groups["duplicate"]
    # The original is sharper than its re-encode and has four times the halved copy's pixels.
    assert _names(photos, copies) == ["original", "reencoded", "resized"]
    assert copies["best"] == photos["original"]
    assert copies["photos"][0]["sharpness"] > copies["photos"][1]["sharpness"]
    assert [p["score"] for p in copies["photos"]] == sorted(
        (p["score"] for p in copies["photos"]), reverse=True
    )
    # The burst: one second apart, same camera; the frame ten seconds later is not in it.
    burst = groups["burst"]
    assert _names(photos, burst) == ["burst_1", "burst_2"]
    assert burst["photos"][0]["sharpness"] > burst["photos"][1]["sharpness"]
    shots = dict(PhotoLikeness.objects.values_list("photo_id", "phash"))
    apart = similarity.hamming(shots[photos["burst_1"]], shots[photos["burst_2"]])
    assert duplicates.NEAR_DISTANCE < apart <= duplicates.BURST_DISTANCE  # only the burst joins
    assert similarity.hamming(shots[photos["burst_1"]], shots[photos["later"]]) <= 14
    # Grouping is per user: the stranger's libraries have none.
    assert _groups(library["stranger"]) == {"count": 0, "groups": []}
    assert _groups(library["viewer"], library=library["library"], limit=1)["count"] == 2


@needs_exiftool
@pytest.mark.django_db
def test_keep_the_best_stack_the_rest_then_undo(library: dict[str, Any]) -> None:
    photos, owner = library["photos"], library["owner"]
    copies = [photos[n] for n in ("resized", "reencoded", "original")]
    # A viewer may look but not stack; a stranger does not see the photos at all.
    refused = library["viewer"].post(
        "/api/stacks", {"photos": copies}, content_type="application/json"
    )
    assert refused.status_code == 403
    hidden = library["stranger"].post(
        "/api/stacks", {"photos": copies}, content_type="application/json"
    )
    assert hidden.status_code == 404
    bad = owner.post(
        "/api/stacks",
        {"photos": copies, "cover": photos["other"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "cover" in bad.json()
    assert owner.post("/api/stacks", {"photos": copies[:1]}, content_type="application/json")\
        .status_code == 400  # fmt: skip

    made = owner.post("/api/stacks", {"photos": copies}, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json() == {"cover": photos["original"], "stack_count": 3}
    timeline = _timeline(library["viewer"])
    assert timeline[photos["original"]]["stack_count"] == 3
    assert photos["resized"] not in timeline and photos["reencoded"] not in timeline
    assert timeline[photos["other"]]["stack_count"] == 0
    # The review page no longer offers the group; the stack opens with the cover first.
    assert [g["kind"] for g in _groups(owner)["groups"]] == ["burst"]
    opened = library["viewer"].get(f"/api/stacks/{photos['original']}").json()
    assert opened["photos"][0]["id"] == photos["original"]
    assert {p["id"] for p in opened["photos"]} == set(copies)
    assert library["viewer"].get(f"/api/stacks/{photos['resized']}").status_code == 404
    assert library["stranger"].get(f"/api/stacks/{photos['original']}").status_code == 404
    assert library["viewer"].delete(f"/api/stacks/{photos['original']}").status_code == 403

    undone = owner.delete(f"/api/stacks/{photos['original']}")
    assert undone.status_code == 200 and undone.json() == {"unstacked": 2}
    timeline = _timeline(library["viewer"])
    assert set(copies) <= set(timeline)
    assert timeline[photos["original"]]["stack_count"] == 0
    assert owner.delete(f"/api/stacks/{photos['original']}").status_code == 404
    assert _groups(owner)["count"] == 2


@needs_exiftool
@pytest.mark.django_db
def test_a_chosen_cover_and_stacks_merged(library: dict[str, Any]) -> None:
    photos, owner = library["photos"], library["owner"]
    first = owner.post(
        "/api/stacks",
        {"photos": [photos["original"], photos["reencoded"]], "cover": photos["reencoded"]},
        content_type="application/json",
    )
    assert first.json() == {"cover": photos["reencoded"], "stack_count": 2}
    # Stacking the cover with another photo takes its stack along.
    second = owner.post(
        "/api/stacks",
        {"photos": [photos["reencoded"], photos["resized"]], "cover": photos["resized"]},
        content_type="application/json",
    )
    assert second.json() == {"cover": photos["resized"], "stack_count": 3}
    assert not Photo.objects.filter(stacked_under_id=photos["reencoded"]).exists()


def test_banded_search_finds_every_pair_within_the_threshold() -> None:
    rng = random.Random(7)
    hashes = [rng.getrandbits(64) for _ in range(3000)]
    for _ in range(300):  # planted near-copies: 0 to 3 bits flipped anywhere
        value = rng.choice(hashes)
        for bit in rng.sample(range(64), rng.randint(0, duplicates.NEAR_DISTANCE)):
            value ^= 1 << bit
        hashes.append(value)
    hashes = [similarity.signed64(h) for h in hashes]
    found = {tuple(sorted(pair)) for pair in duplicates.near_pairs(hashes)}
    brute = {
        (i, j)
        for i in range(len(hashes))
        for j in range(i + 1, len(hashes))
        if similarity.hamming(hashes[i], hashes[j]) <= duplicates.NEAR_DISTANCE
    }
    assert len(brute) >= 300
    assert found == brute


def test_the_stage_version_follows_the_measure() -> None:
    assert SimilarityClassifier.version == similarity.SIMILARITY_VERSION
