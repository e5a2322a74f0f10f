"""Object, colour and style classifiers on real fixture pixels (the shipped model, no network)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from photonix.classifiers import imagenet, store
from photonix.classifiers.colours import ColourClassifier, shares
from photonix.classifiers.objects import (
    ObjectClassifier,
    load_model,
    predictions_from,
    probabilities,
)
from photonix.classifiers.registry import Prediction
from photonix.classifiers.styles import StyleClassifier, statistics_styles

PHOTOS = Path(__file__).parents[1] / "fixtures" / "photos"


def open_rgb(name: str) -> Image.Image:
    with Image.open(PHOTOS / name) as image:
        return image.convert("RGB")


def names(predictions: list[Prediction]) -> dict[str, Prediction]:
    return {p.name: p for p in predictions}


@pytest.fixture(scope="module")
def objects() -> ObjectClassifier:
    classifier = ObjectClassifier()
    classifier.load()
    return classifier


def test_the_shipped_model_is_the_recorded_one() -> None:
    spec = store.MODELS["efficientnet-lite0"]
    assert store.ModelStore(Path("/nonexistent")).verify(spec)


def test_the_cat_is_a_cat(objects: ObjectClassifier) -> None:
    found = names(objects.predict(open_rgb("faces-objects/chelsea_cat.png")))
    assert "Egyptian cat" in found
    assert found["Egyptian cat"].parents == ("cat", "mammal", "animal")
    # Three breeds add up to a confident broader word.
    assert found["cat"].confidence > 0.8
    assert found["cat"].parents == ("mammal", "animal")
    assert "animal" in found


def test_the_coffee_is_coffee_in_a_cup(objects: ObjectClassifier) -> None:
    found = names(objects.predict(open_rgb("faces-objects/coffee_cup.png")))
    assert found["espresso"].confidence > 0.5
    assert found["espresso"].parents == ("coffee", "drink")
    assert "drink" in found
    # The photo shows a cup: the model's espresso is pictured in one, and its own next guesses are
    # "cup" and "coffee mug", which add to it. The espresso is still no cup in the hierarchy.
    assert found["cup"].confidence > found["espresso"].confidence
    assert found["cup"].parents == ("tableware",)
    assert "tableware" in found
    assert "cup" not in imagenet.parents(967)
    assert imagenet.shown_in(967) == ("cup",)
    probs = probabilities(load_model(), open_rgb("faces-objects/coffee_cup.png"))
    ranked = [imagenet.name(int(i)) for i in (-probs).argsort()[:5]]
    assert ranked[:2] == ["espresso", "cup"]
    assert "coffee mug" in ranked
    assert imagenet.parents(imagenet.labels().index("coffee mug")) == ("cup", "tableware")


def test_a_vessel_counts_once_per_class() -> None:
    probs = [0.0] * 1000
    probs[967], probs[968], probs[504] = 0.5, 0.2, 0.1  # espresso, cup, coffee mug
    found = predictions_from(probs, 0.15)
    assert [p.name for p in found].count("cup") == 1  # the class "cup" and the word "cup": one tag
    by_name = {p.name: p for p in found}
    assert by_name["cup"].confidence == pytest.approx(0.8)  # each class counted once
    assert by_name["cup"].extra == {"imagenet": 968}  # still the leaf, with its class
    assert by_name["tableware"].confidence == pytest.approx(0.8)
    assert by_name["coffee"].confidence == pytest.approx(0.5)
    probs[967], probs[968], probs[504] = 0.0, 0.1, 0.1  # two cup classes below the threshold each
    cups = {p.name: p for p in predictions_from(probs, 0.15)}["cup"]
    assert cups.confidence == pytest.approx(0.2)
    probs = [0.0] * 1000
    probs[966] = 0.9  # red wine: a glass, not a cup
    wine = {p.name: p for p in predictions_from(probs, 0.15)}
    assert "glass" in wine and "cup" not in wine


@pytest.mark.parametrize("photo", ["dog_bicycle_truck.jpg", "person_dog_horse.jpg"])
def test_the_dogs_are_dogs(objects: ObjectClassifier, photo: str) -> None:
    found = names(objects.predict(open_rgb(f"faces-objects/{photo}")))
    assert found["dog"].confidence > 0.5, found
    assert all(0 < p.confidence <= 1 for p in found.values())


def test_a_higher_threshold_says_less(
    objects: ObjectClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photonix import conf

    monkeypatch.setenv("PHOTONIX_OBJECT_THRESHOLD", "0.9")
    conf.reset()
    try:
        found = names(objects.predict(open_rgb("faces-objects/chelsea_cat.png")))
    finally:
        monkeypatch.undo()
        conf.reset()
    assert set(found) == {"cat", "mammal", "animal"}


def test_colours_of_a_red_and_blue_image_with_their_shares() -> None:
    image = Image.new("RGB", (300, 200), (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, 90, 200))  # 30 % blue
    assert [n for n, _ in shares(image)] == ["Red", "Blue"]
    found = names(ColourClassifier().predict(image))
    assert set(found) == {"Red", "Blue"}
    assert found["Red"].confidence == pytest.approx(0.7, abs=0.01)
    assert found["Blue"].confidence == pytest.approx(0.3, abs=0.01)
    assert found["Red"].significance == found["Red"].confidence


def test_colours_are_perceptual_not_nearest_rgb() -> None:
    # Dark navy and sky blue are both Blue; olive is Green; a warm light beige is Beige.
    for rgb, expected in [
        ((20, 30, 80), "Blue"),
        ((140, 190, 230), "Blue"),
        ((110, 135, 45), "Green"),
        ((230, 210, 175), "Beige"),
        ((250, 250, 250), "White"),
    ]:
        assert shares(Image.new("RGB", (10, 10), rgb))[0][0] == expected, rgb


def test_colours_of_a_real_photo_add_up_and_are_ordered() -> None:
    found = ColourClassifier().predict(open_rgb("faces-objects/chelsea_cat.png"))
    assert found[0].name == "Brown"
    confidences = [p.confidence for p in found]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) <= 1.0001


def test_statistics_styles() -> None:
    grey = Image.open(PHOTOS / "faces-objects/chelsea_cat.png").convert("L").convert("RGB")
    assert "black and white" in dict(statistics_styles(grey))
    assert "black and white" not in dict(
        statistics_styles(open_rgb("faces-objects/coffee_cup.png"))
    )
    assert "dark" in dict(statistics_styles(Image.new("RGB", (50, 50), (10, 10, 12))))
    flat = dict(statistics_styles(Image.new("RGB", (64, 64), (250, 248, 245))))
    assert {"bright", "low contrast", "minimal"} <= set(flat)
    vivid = Image.new("RGB", (64, 64), (255, 0, 0))
    vivid.paste((0, 200, 0), (0, 0, 32, 64))
    assert "vivid" in dict(statistics_styles(vivid))
    assert "pastel" in dict(statistics_styles(Image.new("RGB", (64, 64), (250, 200, 215))))


SCENES = [
    "gps/gps-2000_southern.jpg",
    "jpeg-exif/el_torcal_rocks.jpg",
    "png-webp-tiff/canon_6d_gps_16bit.tif",
    "png-webp-tiff/denali.webp",
    "png-webp-tiff/norway-kjetil-moe.webp",
]


@pytest.mark.parametrize("name", SCENES)
def test_a_scene_is_one_tag_of_the_object_classifier(name: str, objects: ObjectClassifier) -> None:
    """Style version 1 repeated the object model's scene classes as styles (``landscape`` and
    ``seashore`` twice on a beach); styles are now only how the photo looks."""
    with Image.open(PHOTOS / name) as image:
        image.draft("RGB", (1024, 1024))
        rgb = image.convert("RGB")
    style = StyleClassifier()
    style.load()
    styles = names(style.predict(rgb))
    found = names(objects.predict(rgb))
    assert not set(styles) & set(found), "a name is one tag"
    assert set(styles) <= {
        "black and white",
        "bright",
        "dark",
        "low contrast",
        "vivid",
        "pastel",
        "minimal",
    }
    assert found["landscape"].parents == ()


def test_scenes_keep_the_words_people_search_for(objects: ObjectClassifier) -> None:
    beach = names(objects.predict(open_rgb("gps/gps-2000_southern.jpg")))
    assert beach["seashore"].parents == ("coast", "landscape")
    assert {"coast", "landscape"} <= set(beach)
    valley = names(objects.predict(open_rgb("png-webp-tiff/norway-kjetil-moe.webp")))
    assert valley["valley"].parents == ("landscape",)
    assert imagenet.parents(977) == ("beach", "landscape")  # a sandbar is what people call a beach
    assert imagenet.parents(973) == ("underwater", "landscape")  # coral reef
    assert imagenet.parents(970) == ("mountain", "landscape")  # alp
    indoor = names(objects.predict(open_rgb("faces-objects/coffee_cup.png")))
    assert "landscape" not in indoor


def test_hierarchy() -> None:
    labels = imagenet.labels()
    assert len(labels) == 1000 and len(set(labels)) == 1000, "every class its own tag"
    assert imagenet.name(285) == "Egyptian cat"
    assert imagenet.parents(285) == ("cat", "mammal", "animal")
    assert imagenet.parents(207) == ("dog", "mammal", "animal")  # golden retriever
    assert imagenet.parents(717) == ("vehicle",) or imagenet.parents(717)[-1] == "vehicle"
    assert imagenet.parents(968) == ("tableware",)  # "cup" is not its own parent
    assert imagenet.parents(441) == ("glass", "tableware")  # a beer glass is no cup
    assert imagenet.name(134) != imagenet.name(517)  # the bird and the machine
    assert imagenet.ancestors_of("cat") == ("mammal", "animal")
    assert imagenet.ancestors_of("animal") == ()
    # Every broader word leads to a root in a consistent chain.
    for index in range(1000):
        chain = imagenet.parents(index)
        for i, word in enumerate(chain):
            assert imagenet.ancestors_of(word) == chain[i + 1 :], (index, chain)
