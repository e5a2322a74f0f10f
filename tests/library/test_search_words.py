"""Free text that understands words: folded, prefixed, forgiving one typo, expanded by WordNet.

Through the HTTP API as the UI asks (the timeline's ``q`` and ``/api/search``), on SQLite and on
PostgreSQL (``make pytest-postgres``). The search index (``SearchTerm``) is kept by the receivers
of ``library.browse.terms`` as the names below are created, renamed and deleted.
"""

from __future__ import annotations

from typing import Any

import pytest

from photonix.albums.models import Album, AlbumPhoto
from photonix.faces.models import Face, Person
from photonix.library.browse import terms
from photonix.library.browse.words import deletions, fold, one_edit, split
from photonix.library.models import SearchTerm
from tests.library import photos as make

pytestmark = pytest.mark.django_db


def _get(client: Any, url: str, params: dict[str, Any] | None = None) -> Any:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world() -> dict[str, Any]:
    """Alice's photos, each with one name worth searching for, and Bob's cat."""
    alice, bob = make.user("alice"), make.user("bob")
    folder = make.library("Alice", alice)
    cat = make.tag(folder, "cat")
    tags = {
        "seashore": make.tag(folder, "seashore"),
        "waterfall": make.tag(folder, "waterfall"),
        "tabby": make.tag(folder, "tabby cat", parent=cat),
        "dog": make.tag(folder, "dog"),
        "benatky": make.tag(folder, "Benátky nad Jizerou", "place"),
        "hyogo": make.tag(folder, "Hyōgo", "place"),
        "grey": make.tag(folder, "grey", "colour"),
    }
    photos: dict[str, Any] = {}
    for year, name in enumerate(tags, start=2001):
        photos[name] = make.photo(folder, make.at(year, 6, 1, 12))
        make.tagged(photos[name], tags[name])
    photos["triple"] = make.photo(
        folder, make.at(2010, 1, 1, 12), lens=make.lens("Meyer Triple 50mm")
    )
    photos["trip"] = make.photo(folder, make.at(2011, 1, 1, 12))
    album = Album.objects.create(library_id=folder.library_id, name="Summer trip")
    AlbumPhoto.objects.create(album=album, photo=photos["trip"], position=1)
    photos["zoe"] = make.photo(folder, make.at(2012, 1, 1, 12))
    zoe = Person.objects.create(library_id=folder.library_id, name="Zoë Ørsted")
    Face.objects.create(
        library_id=folder.library_id, photo=photos["zoe"], person=zoe, x=0, y=0, width=1, height=1
    )
    other = make.library("Bob", bob)
    photos["bob_cat"] = make.photo(other, make.at(2019, 1, 1, 12))
    make.tagged(photos["bob_cat"], make.tag(other, "tabby cat"))
    return {
        "alice": make.client_for(alice),
        "bob": make.client_for(bob),
        "photos": photos,
        "tags": tags,
        "album": album,
        "person": zoe,
    }


def _found(world: dict[str, Any], q: str, who: str = "alice") -> set[str]:
    body = _get(world[who], "/api/timeline", {"q": q})
    ids = {p["id"] for p in body["results"]}
    return {name for name, photo in world["photos"].items() if photo.pk in ids}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("beach", {"seashore"}),  # WordNet: a beach is part of a shore, of which seashore is one
        ("coast", {"seashore"}),  # a synonym
        ("kitty", {"tabby"}),  # an informal word for a house cat: the other house cats
        ("cat", {"tabby"}),  # the tag's descendants
        ("falls", {"waterfall"}),  # a synonym
        ("dogs", {"dog"}),  # a plural
        ("Benatky", {"benatky"}),  # accents are optional
        ("benátky", {"benatky"}),
        ("BENÁTKY JIZEROU", {"benatky"}),
        ("Hyogo", {"hyogo"}),
        ("Hyōgo", {"hyogo"}),
        ("hyo", {"hyogo"}),  # the start of a word
        ("waterfal", {"waterfall"}),  # still typing
        ("waterfsll", {"waterfall"}),  # one letter wrong
        ("watrefall", {"waterfall"}),  # two neighbours swapped
        ("wterfall", {"waterfall"}),  # one letter left out
        ("trip", {"trip"}),  # the album, not the "Triple" lens: lenses match whole words
        ("triple", {"triple"}),
        ("trip 50mm", set()),
        ("zoe", {"zoe"}),
        ("orsted", {"zoe"}),
        ("zoë ørsted", {"zoe"}),
        ("grey", {"grey"}),
        ("gre", {"grey"}),
        ("horse", set()),  # WordNet's "grey" is a horse, but colours are not expanded into
        ("zebra", set()),
    ],
)
def test_words_find_photos(world: dict[str, Any], q: str, expected: set[str]) -> None:
    assert _found(world, q) == expected


def test_a_word_of_bob_finds_nothing_of_his_for_alice(world: dict[str, Any]) -> None:
    assert _found(world, "tabby") == {"tabby"}
    assert _found(world, "tabby", "bob") == {"bob_cat"}
    words = _get(world["alice"], "/api/search", {"q": "tabby"})["words"]
    assert {m["name"] for m in words[0]["matches"]} == {"tabby"}


def test_short_words_are_not_read_as_typos(world: dict[str, Any]) -> None:
    # "dig" is one edit from "dog" but has three letters: a typo is forgiven from five
    assert _found(world, "dig") == set()
    # a word that matches something is never also read as a typo of another
    make.tag(make.library("Other", make.user("carol")), "waterfalls")
    assert _found(world, "waterfall") == {"waterfall"}


def test_search_says_why_each_word_matched(world: dict[str, Any]) -> None:
    body = _get(world["alice"], "/api/search", {"q": "beach"})
    assert body["words"] == [
        {"word": "beach", "matches": [{"name": "seashore", "field": "tag", "relation": "related"}]}
    ]
    assert body["results"] == [{"id": world["photos"]["seashore"].pk, "match": "related"}]
    body = _get(world["alice"], "/api/search", {"q": "waterfsll"})
    assert body["words"][0]["matches"] == [
        {"name": "waterfall", "field": "tag", "relation": "typo"}
    ]
    body = _get(world["alice"], "/api/search", {"q": "Benatky"})
    assert body["words"][0]["matches"] == [
        {"name": "benatky", "field": "place", "relation": "word"}
    ]


def test_results_are_ranked_word_prefix_synonym_narrower(world: dict[str, Any]) -> None:
    folder = make.library("Ranks", make.user("dora"))
    client = make.client_for(folder.library.members.get().user)
    # the weaker the match, the newer the photo: rank comes before date
    ranked = []
    for year, name in enumerate(["cat", "catamaran", "hombre", "wildcat"], start=2001):
        photo = make.photo(folder, make.at(year, 1, 1, 12))
        make.tagged(photo, make.tag(folder, name))
        ranked.append(photo.pk)
    body = _get(client, "/api/search", {"q": "cat"})
    assert [r["id"] for r in body["results"]] == ranked
    assert [r["match"] for r in body["results"]] == ["word", "prefix", "synonym", "related"]
    assert [(m["name"], m["relation"]) for m in body["words"][0]["matches"]] == [
        ("cat", "word"),
        ("catamaran", "prefix"),
        ("hombre", "synonym"),
        ("wildcat", "narrower"),
    ]
    # the timeline keeps its order (newest first) and finds the same photos
    timeline = _get(client, "/api/timeline", {"q": "cat"})["results"]
    assert [p["id"] for p in timeline] == ranked[::-1]
    assert _get(client, "/api/search", {"q": "cat", "limit": 2})["results"] == [
        {"id": ranked[0], "match": "word"},
        {"id": ranked[1], "match": "prefix"},
    ]


def test_broader_words_are_a_fallback_and_find_the_tag_alone(world: dict[str, Any]) -> None:
    folder = make.library("Pets", make.user("erin"))
    client = make.client_for(folder.library.members.get().user)
    animal = make.tag(folder, "animal")
    dog = make.photo(folder, make.at(2001, 1, 1, 12))
    make.tagged(dog, make.tag(folder, "dog", parent=animal))
    cat = make.photo(folder, make.at(2002, 1, 1, 12))
    make.tagged(cat, make.tag(folder, "cat", parent=animal))
    # "dog" names a tag: its broader words ("animal") are not used, nor are the cats under it
    assert [p["id"] for p in _get(client, "/api/timeline", {"q": "dog"})["results"]] == [dog.pk]
    # "canine" names nothing here; "dog" is narrower than it
    assert [p["id"] for p in _get(client, "/api/timeline", {"q": "canine"})["results"]] == [dog.pk]


def test_the_index_follows_names(world: dict[str, Any]) -> None:
    tag = world["tags"]["dog"]
    tag.name = "Pudel"
    tag.save()
    assert _found(world, "dog") == set()
    assert _found(world, "pudel") == {"dog"}
    album = world["album"]
    album.name = "Winter holiday"
    album.save()
    assert _found(world, "trip") == set()
    assert _found(world, "holiday") == {"trip"}
    person = world["person"]
    person.name = "Ada"
    person.save()
    assert _found(world, "zoe") == set()
    assert _found(world, "ada") == {"zoe"}
    person.delete()
    assert not SearchTerm.objects.filter(field="person", target=person.pk).exists()
    # the file name, without its folder and extension
    photo = world["photos"]["triple"]
    path = photo.preferred_file.path
    stem = path.rsplit("/", 1)[1].split(".")[0]
    assert _found(world, stem) == {"triple"}
    assert _found(world, "jpg") == set()


def test_the_backfill_writes_what_the_receivers_wrote(world: dict[str, Any]) -> None:
    def rows() -> set[tuple[Any, ...]]:
        return set(
            SearchTerm.objects.values_list("library_id", "field", "target", "kind", "key", "word")
        )

    kept = rows()
    assert kept
    written = terms.reindex_all()
    assert written == len(kept)
    assert rows() == kept
    SearchTerm.objects.all().delete()
    terms.reindex_if_empty()
    assert rows() == kept


@pytest.mark.parametrize(
    "q",
    [
        "",
        " ",
        "x" * 1000,
        "cat " * 250,
        "!!! ??? ...",
        "%",
        "_",
        "\\",
        "' OR 1=1 --",
        "'; DROP TABLE library_searchterm; --",
        ".*[a-z]+(?:",
        "^$|()",
        "Привет 世界 مرحبا",
        "🐱🐶 cat🐱",
        "\u0301\u0301",  # combining marks alone
        "ﬁsh",  # a ligature: NFKD makes it "fish"
        "a\x00b",
    ],
)
def test_any_text_gets_an_answer(world: dict[str, Any], q: str) -> None:
    for url in ("/api/search", "/api/search/suggest"):
        response = world["alice"].get(url, {"q": q})
        assert response.status_code == 200, (url, response.content)
    response = world["alice"].get("/api/timeline", {"q": q})
    # the timeline's q is at most 200 characters, without NUL: else a 400 on q, never a 500
    refused = len(q) > 200 or "\x00" in q
    assert response.status_code == (400 if refused else 200), response.content
    if refused:
        assert list(response.json()) == ["q"]


def test_places_are_suggested_without_their_accents(world: dict[str, Any]) -> None:
    body = _get(world["alice"], "/api/search/suggest", {"q": "benat"})
    place = world["tags"]["benatky"].pk
    assert body == [{"kind": "place", "label": "Benátky nad Jizerou", "params": {"place": place}}]
    assert [s["label"] for s in _get(world["alice"], "/api/search/suggest", {"q": "Hyogo"})] == [
        "Hyōgo"
    ]


def test_search_limit_is_checked(world: dict[str, Any]) -> None:
    for limit in ("0", "501", "x", "-1"):
        response = world["alice"].get("/api/search", {"q": "cat", "limit": limit})
        assert response.status_code == 400
        assert "limit" in response.json()


def test_words_are_folded_and_typos_bounded() -> None:
    assert split("Benátky nad Jizerou") == ["benatky", "nad", "jizerou"]
    assert split("Hyōgo-ken, Łódź; Straße ﬁsh") == ["hyogo", "ken", "lodz", "strasse", "fish"]
    assert split("IMG_0042.JPG 🐱") == ["img", "0042", "jpg"]
    assert fold("ÆSIR") == "aesir"
    assert one_edit("waterfall", "waterfsll")
    assert one_edit("waterfall", "watrefall")
    assert one_edit("waterfall", "waterfalls")
    assert not one_edit("waterfall", "waterfall")
    assert not one_edit("waterfall", "wterfal")
    assert len(deletions("waterfall")) == 8  # "waterfal" once, whichever "l" is left out
