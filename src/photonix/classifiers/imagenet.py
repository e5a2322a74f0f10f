"""ImageNet's 1000 classes as words people search for, and the broader words above them.

The class names are the first WordNet lemma of each ILSVRC-2012 synset. A few are renamed where
the lemma alone misleads ("crane" is a bird and a machine; "mouse" here is the computer's) or two
classes would share a tag. The hierarchy is small and made by hand, following WordNet's hypernyms
where they are words a person would type: "Egyptian cat" → cat → animal, "malamute" → dog → animal,
"pickup" → car → vehicle. Classes ImageNet ordered by kind (0–397 are animals) are mapped by
index range; objects by explicit lists.

Pure code: no Django, no numpy.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

LABELS_FILE: Final = Path(__file__).parent / "assets" / "imagenet_labels.txt"

RENAMED: Final[dict[int, str]] = {
    7: "rooster",
    134: "crane (bird)",
    263: "Pembroke corgi",
    264: "Cardigan corgi",
    281: "tabby cat",
    339: "sorrel horse",
    517: "crane (machine)",
    553: "filing cabinet",
    606: "clothes iron",
    638: "swimsuit",
    639: "one-piece swimsuit",
    673: "computer mouse",
    714: "guitar pick",
    726: "plane (tool)",
    836: "sunglass lens",
    916: "website",
    934: "hot dog",
    948: "Granny Smith apple",
    989: "rose hip",
    998: "ear of corn",
    492: "chest (box)",
    847: "tank (military)",
}

ANIMAL: Final = ("animal",)
_RANGES: Final[list[tuple[int, int, tuple[str, ...]]]] = [
    # inclusive index ranges, narrowest words first
    (0, 1, ("fish", *ANIMAL)),
    (2, 4, ("shark", "fish", *ANIMAL)),
    (5, 6, ("ray", "fish", *ANIMAL)),
    (7, 24, ("bird", *ANIMAL)),
    (25, 29, ("salamander", "amphibian", *ANIMAL)),
    (30, 32, ("frog", "amphibian", *ANIMAL)),
    (33, 37, ("turtle", "reptile", *ANIMAL)),
    (38, 48, ("lizard", "reptile", *ANIMAL)),
    (49, 50, ("crocodile", "reptile", *ANIMAL)),
    (51, 51, ("dinosaur", *ANIMAL)),
    (52, 68, ("snake", "reptile", *ANIMAL)),
    (69, 69, ANIMAL),
    (70, 77, ("spider", *ANIMAL)),
    (78, 79, ANIMAL),
    (80, 100, ("bird", *ANIMAL)),
    (101, 101, ("elephant", "mammal", *ANIMAL)),
    (102, 106, ("mammal", *ANIMAL)),
    (107, 117, ("sea creature", *ANIMAL)),
    (118, 126, ("crustacean", "sea creature", *ANIMAL)),
    (127, 146, ("bird", *ANIMAL)),
    (147, 149, ("whale", "mammal", *ANIMAL)),
    (150, 150, ("seal", "mammal", *ANIMAL)),
    (151, 268, ("dog", "mammal", *ANIMAL)),
    (269, 271, ("wolf", "mammal", *ANIMAL)),
    (272, 276, ("wild dog", "mammal", *ANIMAL)),
    (277, 280, ("fox", "mammal", *ANIMAL)),
    (281, 285, ("cat", "mammal", *ANIMAL)),
    (286, 293, ("big cat", "mammal", *ANIMAL)),
    (294, 297, ("bear", "mammal", *ANIMAL)),
    (298, 299, ("mammal", *ANIMAL)),
    (300, 307, ("beetle", "insect", *ANIMAL)),
    (308, 320, ("insect", *ANIMAL)),
    (321, 326, ("butterfly", "insect", *ANIMAL)),
    (327, 329, ("sea creature", *ANIMAL)),
    (330, 332, ("rabbit", "mammal", *ANIMAL)),
    (333, 338, ("rodent", "mammal", *ANIMAL)),
    (339, 339, ("horse", "mammal", *ANIMAL)),
    (340, 340, ("mammal", *ANIMAL)),
    (341, 343, ("pig", "mammal", *ANIMAL)),
    (344, 344, ("mammal", *ANIMAL)),
    (345, 347, ("cattle", "mammal", *ANIMAL)),
    (348, 350, ("sheep and goats", "mammal", *ANIMAL)),
    (351, 353, ("antelope", "mammal", *ANIMAL)),
    (354, 355, ("camel", "mammal", *ANIMAL)),
    (356, 364, ("mammal", *ANIMAL)),
    (365, 369, ("ape", "primate", "mammal", *ANIMAL)),
    (370, 382, ("monkey", "primate", "mammal", *ANIMAL)),
    (383, 384, ("lemur", "primate", "mammal", *ANIMAL)),
    (385, 386, ("elephant", "mammal", *ANIMAL)),
    (387, 388, ("panda", "mammal", *ANIMAL)),
    (389, 397, ("fish", *ANIMAL)),
    (924, 935, ("food",)),
    (936, 946, ("vegetable", "food")),
    (948, 957, ("fruit", "food")),
    (959, 965, ("food",)),
    (970, 970, ("mountain", "landscape")),
    (972, 980, ("landscape",)),
    (981, 983, ("person",)),
    (984, 990, ("plant",)),
    (991, 997, ("mushroom", "plant")),
]

_GROUPS: Final[dict[tuple[str, ...], tuple[int, ...]]] = {
    ("car", "vehicle"): (407, 436, 468, 511, 575, 609, 627, 656, 661, 751, 817),
    ("truck", "vehicle"): (555, 569, 595, 675, 717, 734, 864, 866, 867),
    ("bus", "vehicle"): (654, 779, 874),
    ("bicycle", "vehicle"): (444, 671, 870, 880),
    ("motorcycle", "vehicle"): (665, 670),
    ("train", "vehicle"): (466, 547, 565, 705, 820, 829),
    ("boat", "vehicle"): (
        403, 472, 484, 510, 554, 576, 625, 628, 694, 724, 780, 814, 833, 871, 913, 914,
    ),
    ("aircraft", "vehicle"): (404, 405, 812, 895, 908),
    # A coffee mug is a cup; a beer glass or a goblet is a glass, not a cup.
    ("cup", "tableware"): (504, 968),
    ("glass", "tableware"): (441, 572),
    ("coffee", "drink"): (967,),
    ("wine", "drink"): (966,),
    ("drink",): (969,),
    ("bottle",): (440, 720, 737, 898, 901, 907),
    ("tableware",): (659, 809, 849, 923),
    ("musical instrument",): (
        401, 402, 420, 432, 486, 494, 513, 541, 546, 558, 566, 577, 579, 593, 594, 641, 642,
        683, 684, 687, 699, 776, 822, 875, 889,
    ),
    ("building",): (410, 425, 449, 483, 497, 498, 580, 663, 668, 698, 743, 832, 915),
    ("bridge",): (821, 839, 888),
    ("computer", "electronics"): (508, 527, 590, 620, 664, 673, 681, 782),
    ("telephone", "electronics"): (487, 528, 707),
    ("camera", "electronics"): (732, 759),
    ("electronics",): (482, 485, 632, 754, 851),
    ("furniture",): (423, 453, 493, 495, 520, 526, 532, 559, 564, 703, 765, 831, 857, 894),
    ("ball", "sports equipment"): (429, 430, 522, 574, 722, 768, 805, 852, 890),
    ("clock",): (409, 530, 531, 826, 892),
    ("toy",): (850, 611),
    ("flower", "plant"): (985, 986),
    ("mushroom", "plant"): (947,),
    ("plant",): (998,),
    # Scenes, by the words people search for (the style classifier used to add them as styles).
    ("underwater", "landscape"): (973,),  # coral reef
    ("coast", "landscape"): (976, 978),  # promontory, seashore
    ("beach", "landscape"): (977,),  # sandbar
}  # fmt: skip


# Drinks whose ImageNet class is pictured in its vessel: the class's photos are a cup of espresso
# and a glass of red wine, so a photo the model calls "espresso" shows a cup. This is what the
# photo shows, not what the thing is: "espresso" stays a coffee and a drink, never a cup, in the
# hierarchy above (its tag's parents); only the photo also gets the vessel's tag.
SHOWN_IN: Final[dict[int, tuple[str, ...]]] = {
    966: ("glass",),  # red wine
    967: ("cup",),  # espresso
}


def shown_in(index: int) -> tuple[str, ...]:
    """The vessels a photo of class ``index`` shows besides it ("espresso" → ("cup",))."""
    return SHOWN_IN.get(index, ())


def counts_towards(index: int) -> tuple[str, ...]:
    """Every broader word class ``index``'s confidence adds to, each once.

    Its own chain (the class "cup" counts towards the word "cup" and "tableware"), and the vessel it
    is pictured in with that vessel's broader words (espresso → coffee, drink, cup, tableware).
    """
    words = list(_parents().get(index, ()))
    for vessel in shown_in(index):
        words += [vessel, *ancestors_of(vessel)]
    return tuple(dict.fromkeys(words))


@cache
def labels() -> tuple[str, ...]:
    names = LABELS_FILE.read_text(encoding="utf-8").splitlines()
    if len(names) != 1000:
        raise ValueError(f"{LABELS_FILE} has {len(names)} names, not 1000")
    return tuple(RENAMED.get(i, name) for i, name in enumerate(names))


@cache
def _parents() -> dict[int, tuple[str, ...]]:
    table: dict[int, tuple[str, ...]] = {}
    for start, end, chain in _RANGES:
        for index in range(start, end + 1):
            table[index] = chain
    for chain, indices in _GROUPS.items():
        for index in indices:
            table[index] = chain
    return table


def name(index: int) -> str:
    """The readable name of class ``index``."""
    return labels()[index]


def parents(index: int) -> tuple[str, ...]:
    """The broader words of class ``index``, narrowest first ("cat", "mammal", "animal").

    A class whose own name is its broader word ("cup" is a cup) does not repeat it.
    """
    chain = _parents().get(index, ())
    return chain[1:] if chain and chain[0] == name(index) else chain


def ancestors_of(word: str) -> tuple[str, ...]:
    """The broader words above a broader word ("cat" → ("mammal", "animal"))."""
    for chain in _parents().values():
        if word in chain:
            return chain[chain.index(word) + 1 :]
    return ()
