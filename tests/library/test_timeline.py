"""The timeline API: keyset pages, the shared filters, the month index, facets, map and search.

Everything goes through the HTTP API with a signed-in user, the way the UI asks. Lists are one
query each (plus the session and the user), whatever the filters and however many photos.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from photonix.classifiers.models import PhotoTag
from photonix.core.models import User
from photonix.library.browse import people, timeline
from photonix.library.browse.search import month_range, parse_query
from photonix.library.models import PhotoFile
from tests.library import photos as make

pytestmark = pytest.mark.django_db

# Signing in costs two queries per request (the session, the user); the list itself is one.
AUTH_QUERIES = 2
# A ``q`` of one word costs two queries before the list's one: the word's lookup in the search
# index, and the descendants of the tags it names (months and years cost none).
WORD_QUERIES = 2


def _get(client: Client, url: str, params: dict[str, Any] | None = None) -> Any:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def _ids(client: Client, **params: Any) -> set[int]:
    body = _get(client, "/api/timeline", params)
    assert body["next_cursor"] is None
    return {p["id"] for p in body["results"]}


@pytest.fixture
def world() -> dict[str, Any]:
    """Alice's library of a few photos that differ in every filterable way, and Bob's."""
    alice, bob = make.user("alice"), make.user("bob")
    folder = make.library("Alice", alice)
    canon, nikon = make.camera("Canon", "EOS 40D"), make.camera("Nikon", "D750")
    fifty = make.lens("EF 50mm f/1.8")
    animal = make.tag(folder, "animal")
    cat = make.tag(folder, "cat", parent=animal)
    egyptian = make.tag(folder, "Egyptian cat", parent=cat)
    dog = make.tag(folder, "dog", parent=animal)
    france = make.tag(folder, "France", "place")
    paris = make.tag(folder, "Paris", "place", parent=france)
    red = make.tag(folder, "red", "colour")
    p: dict[str, Any] = {}
    p["cat"] = make.photo(
        folder,
        make.at(2019, 7, 14, 9),
        camera=canon,
        lens=fifty,
        aperture=1.8,
        exposure_time=1 / 250,
        iso=100,
        focal_length=50,
        flash_fired=False,
        rating=5,
        latitude=48.85,
        longitude=2.35,
        taken_offset=120,
    )
    make.tagged(p["cat"], egyptian)
    make.tagged(p["cat"], paris)
    make.tagged(p["cat"], red)
    p["dog"] = make.photo(
        folder,
        make.at(2019, 7, 2, 18),
        camera=nikon,
        aperture=8,
        exposure_time=1 / 30,
        iso=3200,
        focal_length=24,
        flash_fired=True,
        rating=2,
    )
    make.tagged(p["dog"], dog)
    make.tagged(p["dog"], red)
    p["both"] = make.photo(
        folder, make.at(2020, 1, 5), camera=canon, aperture=4, iso=400, focal_length=85
    )
    make.tagged(p["both"], cat)
    make.tagged(p["both"], dog)
    p["rejected"] = make.photo(folder, make.at(2018, 7, 30), camera=nikon)
    make.tagged(p["rejected"], cat, verdict="rejected")  # a person said: no cat here
    p["hidden"] = make.photo(folder, make.at(2021, 3, 1), camera=canon, hidden=True)
    make.tagged(p["hidden"], cat)
    p["pending"] = make.photo(folder, make.at(2021, 3, 2), camera=canon)
    PhotoFile.objects.filter(photo=p["pending"]).update(state="pending")

    bobs = make.library("Bob", bob)
    bob_cat = make.tag(bobs, "cat")
    p["bob"] = make.photo(bobs, make.at(2019, 7, 20), camera=canon)
    make.tagged(p["bob"], bob_cat)
    return {
        "alice": make.client_for(alice),
        "bob": make.client_for(bob),
        "library": folder.library_id,
        "bob_library": bobs.library_id,
        "photos": {k: v.pk for k, v in p.items()},
        "tags": {
            "animal": animal.pk,
            "cat": cat.pk,
            "egyptian": egyptian.pk,
            "dog": dog.pk,
            "france": france.pk,
            "paris": paris.pk,
            "red": red.pk,
            "bob_cat": bob_cat.pk,
        },
        "cameras": {"canon": canon.pk, "nikon": nikon.pk},
        "lens": fifty.pk,
    }


def _names(world: dict[str, Any], ids: set[int]) -> set[str]:
    by_id = {v: k for k, v in world["photos"].items()}
    return {by_id[i] for i in ids}


def test_the_timeline_is_newest_first_with_the_contracts_fields(world: dict[str, Any]) -> None:
    body = _get(world["alice"], "/api/timeline")
    assert [p["id"] for p in body["results"]] == [
        world["photos"][k] for k in ("both", "cat", "dog", "rejected")
    ]
    assert body["next_cursor"] is None
    cat = body["results"][1]
    assert set(cat) == {
        "id",
        "taken_at",
        "width",
        "height",
        "placeholder",
        "thumbnail_version",
        "rating",
        "hidden",
        "archived",
        "favourite",
        "trashed_at",
        "failed",
        "failure",
        "caption",
        "undated",
        "stack_count",
    }
    assert (cat["failed"], cat["failure"]) == (False, None)
    assert (cat["archived"], cat["favourite"], cat["trashed_at"]) == (False, False, None)
    # The wall-clock time, with the offset the camera recorded; naive when it recorded none.
    assert cat["taken_at"] == "2019-07-14T09:00:00+02:00"
    assert body["results"][0]["taken_at"] == "2020-01-05T12:00:00"
    assert cat["rating"] == 5 and cat["hidden"] is False


def test_keyset_pages_neither_repeat_nor_skip_photos_that_share_a_time() -> None:
    alice = make.user("alice")
    folder = make.library("Alice", alice)
    # Bursts: many photos in the same second, on both sides of page boundaries.
    times = [make.at(2024, 5, 1, 10)] * 7 + [make.at(2024, 5, 1, 9)] * 5 + [make.at(2023, 1, 1)]
    made = [make.photo(folder, taken) for taken in times]
    client = make.client_for(alice)
    expected = [p.pk for p in sorted(made, key=lambda p: (p.taken_local, p.pk), reverse=True)]

    for limit in (1, 2, 3, 5, 13):
        seen: list[int] = []
        cursor = None
        for _ in range(20):
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            body = _get(client, "/api/timeline", params)
            seen += [p["id"] for p in body["results"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, limit

    # A photo added in the middle of a walk appears on a later page or not at all; nothing
    # already shown comes back.
    first = _get(client, "/api/timeline", {"limit": 4})
    make.photo(folder, make.at(2024, 5, 1, 10))
    rest = _get(client, "/api/timeline", {"cursor": first["next_cursor"], "limit": 100})
    shown = [p["id"] for p in first["results"]]
    assert not set(shown) & {p["id"] for p in rest["results"]}
    assert shown + [p["id"] for p in rest["results"]] == expected


def test_each_photo_says_what_it_shows(world: dict[str, Any]) -> None:
    from photonix.faces.models import Face, Person

    folder_library = world["library"]
    cat = world["photos"]["cat"]
    anna = Person.objects.create(library_id=folder_library, name="Anna")
    ben = Person.objects.create(library_id=folder_library, name="Ben")
    nobody = Person.objects.create(library_id=folder_library, name="")
    for person in (ben, anna, nobody):
        Face.objects.create(
            photo_id=cat, library_id=folder_library, person=person, x=0, y=0, width=0.1, height=0.1
        )
    # A face someone took off its person names nobody.
    Face.objects.create(
        photo_id=world["photos"]["dog"],
        library_id=folder_library,
        person=anna,
        verdict="rejected",
        x=0,
        y=0,
        width=0.1,
        height=0.1,
    )
    body = _get(world["alice"], "/api/timeline")
    texts = {p["id"]: p["caption"] for p in body["results"]}
    photos = world["photos"]
    # Top tags, named people, the most precise place with its country; no colours.
    assert texts[cat] == "Egyptian cat with Anna and Ben in Paris, France"
    assert texts[photos["dog"]] == "Dog"
    assert texts[photos["both"]] in ("Cat and dog", "Dog and cat")
    # A tag a person rejected says nothing of the photo.
    assert texts[photos["rejected"]] == ""


def test_a_timeline_page_is_one_query(world: dict[str, Any], django_assert_max_num_queries) -> None:
    folder = make.library("More", make.user("carol"))
    make.member(folder, User.objects.get(username="alice"), "viewer")
    client = world["alice"]
    for day in range(1, 29):
        make.photo(folder, make.at(2022, 2, day))
    params = {
        "tag": [world["tags"]["animal"], world["tags"]["cat"]],
        "camera": [world["cameras"]["canon"], world["cameras"]["nikon"]],
        "place": world["tags"]["france"],
        "colour": world["tags"]["red"],
        "q": "cat july 2019",
        "rating_min": 1,
        "date_from": "2010-01-01",
    }
    # The page, and one read of the page's tags and people for its captions.
    for query in ({}, params, {"limit": 3}):
        words = 1 if "q" in query else 0  # "cat"
        with django_assert_max_num_queries(AUTH_QUERIES + 2 + WORD_QUERIES * words):
            response = client.get("/api/timeline", query)
        assert response.status_code == 200
    body = client.get("/api/timeline", {"limit": 3}).json()
    with django_assert_max_num_queries(AUTH_QUERIES + 2):
        assert client.get("/api/timeline", {"cursor": body["next_cursor"]}).status_code == 200
    with django_assert_max_num_queries(AUTH_QUERIES + 1 + WORD_QUERIES):
        assert client.get("/api/timeline/months", params).status_code == 200
    with django_assert_max_num_queries(AUTH_QUERIES + 1 + WORD_QUERIES):
        assert client.get("/api/map", params).status_code == 200
    # The facets are one query per list: the aggregates, tags, cameras, lenses (and people)...
    with django_assert_max_num_queries(AUTH_QUERIES + 5):
        assert client.get("/api/timeline/facets").status_code == 200
    # ... and one more for each facet counted without its own filter (camera: with the names),
    # and one for the ids under the tags and the place chosen; the words of ``q`` are looked up
    # once for all of them.
    recounts = {"camera": 2, "place": 1, "colour": 1, "rating_min": 1, "date_from": 1, "trees": 1}
    budget = AUTH_QUERIES + 5 + WORD_QUERIES + sum(recounts.values())
    with django_assert_max_num_queries(budget):
        assert client.get("/api/timeline/facets", params).status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"cat", "dog", "both", "rejected"}),
        ({"camera": "canon"}, {"cat", "both"}),
        ({"camera": ["canon", "nikon"]}, {"cat", "dog", "both", "rejected"}),
        ({"lens": "fifty"}, {"cat"}),
        ({"rating_min": 2}, {"cat", "dog"}),
        ({"rating_min": 3}, {"cat"}),
        ({"rating_min": 0}, {"cat", "dog", "both", "rejected"}),
        ({"flash": "true"}, {"dog"}),
        ({"flash": "false"}, {"cat"}),
        ({"aperture_min": 2, "aperture_max": 5}, {"both"}),
        ({"exposure_max": 0.01}, {"cat"}),
        ({"exposure_min": 0.01}, {"dog"}),
        ({"iso_min": 400}, {"dog", "both"}),
        ({"iso_max": 400}, {"cat", "both"}),
        ({"focal_min": 50, "focal_max": 50}, {"cat"}),
        ({"date_from": "2019-07-02", "date_to": "2019-07-14"}, {"cat", "dog"}),  # inclusive
        ({"date_from": "2019-07-03"}, {"cat", "both"}),
        ({"date_to": "2019-07-13"}, {"dog", "rejected"}),
        ({"has_gps": "true"}, {"cat"}),
        ({"has_gps": "false"}, {"dog", "both", "rejected"}),
        ({"hidden": "true"}, {"hidden"}),
        ({"hidden": "false"}, {"cat", "dog", "both", "rejected"}),
        ({"library": "mine"}, {"cat", "dog", "both", "rejected"}),
        ({"library": "bobs"}, set()),  # another user's library: nothing, not Bob's photos
        # Tags: a tag finds its descendants; a rejected tag finds nothing.
        ({"tag": "cat"}, {"cat", "both"}),
        ({"tag": "egyptian"}, {"cat"}),
        ({"tag": "animal"}, {"cat", "dog", "both"}),
        ({"tag": ["cat", "dog"]}, {"both"}),  # AND across tags
        ({"tag": ["animal", "red"]}, {"cat", "dog"}),
        ({"tag": "bob_cat"}, set()),
        ({"place": "france"}, {"cat"}),
        ({"place": "paris"}, {"cat"}),
        ({"colour": "red"}, {"cat", "dog"}),
        # Combined.
        ({"tag": "animal", "camera": "nikon", "date_from": "2019-01-01"}, {"dog"}),
        ({"tag": "cat", "rating_min": 1}, {"cat"}),
    ],
)
def test_each_filter_and_combinations(
    world: dict[str, Any], params: dict[str, Any], expected: set[str]
) -> None:
    lookup = {
        "camera": world["cameras"],
        "lens": {"fifty": world["lens"]},
        "tag": world["tags"],
        "place": world["tags"],
        "colour": world["tags"],
        "library": {"mine": world["library"], "bobs": world["bob_library"]},
    }
    query: dict[str, Any] = {}
    for key, value in params.items():
        if key in lookup:
            values = value if isinstance(value, list) else [value]
            query[key] = [lookup[key][v] for v in values]
        else:
            query[key] = value
    assert _names(world, _ids(world["alice"], **query)) == expected


def test_persons_filter_needs_the_faces_app(world: dict[str, Any]) -> None:
    if people.installed():
        pytest.skip("the faces app is installed: its own tests cover people")
    assert _ids(world["alice"], person=1) == set()
    assert _get(world["alice"], "/api/timeline/facets")["people"] == []
    assert _get(world["alice"], f"/api/photos/{world['photos']['cat']}")["people"] == []


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"rating_min": 6}, {"rating_min"}),
        ({"rating_min": "x"}, {"rating_min"}),
        ({"camera": "canon"}, {"camera"}),
        ({"tag": ["1", "nope"]}, {"tag"}),
        ({"date_from": "2019-13-01"}, {"date_from"}),
        ({"date_from": "14/07/2019"}, {"date_from"}),
        ({"date_from": "2020-01-01", "date_to": "2019-01-01"}, {"date_to"}),
        ({"aperture_min": 8, "aperture_max": 2}, {"aperture_max"}),
        ({"iso_min": -1}, {"iso_min"}),
        ({"flash": "sometimes"}, {"flash"}),
        ({"limit": 0}, {"limit"}),
        ({"limit": 501}, {"limit"}),
        ({"cursor": "not-a-cursor"}, {"cursor"}),
        ({"bbox": "1,2,3"}, {"bbox"}),
        ({"bbox": "a,b,c,d"}, {"bbox"}),
        ({"bbox": "0,0,nan,10"}, {"bbox"}),
        ({"bbox": "-181,0,10,10"}, {"bbox"}),
        ({"bbox": "0,-91,10,10"}, {"bbox"}),
        ({"bbox": "0,50,10,40"}, {"bbox"}),
    ],
)
def test_bad_filter_values_are_400_with_field_errors(
    world: dict[str, Any], params: dict[str, Any], fields: set[str]
) -> None:
    response = world["alice"].get("/api/timeline", params)
    assert response.status_code == 400
    assert set(response.json()) == fields
    if "limit" not in params and "cursor" not in params:
        for url in ("/api/timeline/months", "/api/timeline/facets", "/api/map"):
            assert world["alice"].get(url, params).status_code == 400, url


def test_everything_needs_sign_in_and_sees_only_the_users_libraries(
    world: dict[str, Any],
) -> None:
    for url in (
        "/api/timeline",
        "/api/timeline/months",
        "/api/timeline/facets",
        "/api/map",
        "/api/search/suggest?q=c",
    ):
        assert Client().get(url).status_code in (401, 403), url
    assert _ids(world["bob"]) == {world["photos"]["bob"]}
    assert _get(world["bob"], "/api/timeline/facets")["total"] == 1
    assert _get(world["bob"], "/api/map")["points"] == []
    assert [s["params"] for s in _get(world["bob"], "/api/search/suggest?q=ca")] == [
        {"tag": world["tags"]["bob_cat"]},
        {"camera": world["cameras"]["canon"]},
    ]


def test_month_index_counts_newest_first(world: dict[str, Any]) -> None:
    assert _get(world["alice"], "/api/timeline/months") == [
        {"month": "2020-01", "count": 1},
        {"month": "2019-07", "count": 2},
        {"month": "2018-07", "count": 1},
    ]
    assert _get(world["alice"], "/api/timeline/months", {"camera": world["cameras"]["nikon"]}) == [
        {"month": "2019-07", "count": 1},
        {"month": "2018-07", "count": 1},
    ]


def test_facets_count_the_current_results(world: dict[str, Any]) -> None:
    everything = _get(world["alice"], "/api/timeline/facets")
    assert everything["total"] == 4
    objects = {t["name"]: t for t in everything["tags"]["object"]}
    # Counts per tag as carried (a rejected tag does not count; hidden photos are not results).
    assert {n: t["count"] for n, t in objects.items()} == {"Egyptian cat": 1, "cat": 1, "dog": 2}
    assert objects["Egyptian cat"]["parent"] == world["tags"]["cat"]
    assert everything["tags"]["place"] == [
        {
            "id": world["tags"]["paris"],
            "name": "Paris",
            "parent": world["tags"]["france"],
            "count": 1,
        }
    ]
    assert everything["cameras"] == [
        {"id": world["cameras"]["canon"], "name": "Canon EOS 40D", "count": 2},
        {"id": world["cameras"]["nikon"], "name": "Nikon D750", "count": 2},
    ]
    assert everything["lenses"] == [{"id": world["lens"], "name": "EF 50mm f/1.8", "count": 1}]
    assert everything["ranges"] == {
        "aperture": [1.8, 8.0],
        "exposure_time": [1 / 250, 1 / 30],
        "iso": [100, 3200],
        "focal_length": [24.0, 85.0],
    }
    assert everything["flash"] == {"fired": 1, "not_fired": 1}
    assert everything["ratings"] == {"0": 2, "1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert everything["dates"] == ["2018-07-30", "2020-01-05"]
    assert everything["people"] == []

    # Filtering by the dog tag narrows every facet to the dog photos.
    dogs = _get(world["alice"], "/api/timeline/facets", {"tag": world["tags"]["dog"]})
    assert dogs["total"] == 2
    assert {t["name"]: t["count"] for t in dogs["tags"]["object"]} == {"dog": 2, "cat": 1}
    assert {t["name"] for t in dogs["tags"]["colour"]} == {"red"}
    assert "place" not in dogs["tags"]
    assert [c["name"] for c in dogs["cameras"]] == ["Canon EOS 40D", "Nikon D750"]
    assert dogs["lenses"] == []
    assert dogs["ranges"]["iso"] == [400, 3200]
    assert dogs["dates"] == ["2019-07-02", "2020-01-05"]

    nothing = _get(world["alice"], "/api/timeline/facets", {"date_from": "2030-01-01"})
    assert nothing["total"] == 0
    # The dates are the span the other filters leave (none here), so the range can be widened.
    assert nothing["dates"] == ["2018-07-30", "2020-01-05"]
    assert nothing["ranges"] == {
        "aperture": None,
        "exposure_time": None,
        "iso": None,
        "focal_length": None,
    }
    assert nothing["tags"] == {} and nothing["cameras"] == []


# The three ways SQLite counts tags, which must agree: from the tag index testing each photo
# (tag share 0), from the selected photos (2, 2), and from every photo less the unselected (0).
@pytest.mark.parametrize(("share", "complement_share"), [(0.0, 2.0), (2.0, 2.0), (2.0, 0.0)])
def test_facets_count_each_photo_once_per_tag(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch, share: float, complement_share: float
) -> None:
    monkeypatch.setattr(timeline, "TAG_DRIVEN_SHARE", share)
    monkeypatch.setattr(timeline, "COMPLEMENT_SHARE", complement_share)
    photos, tags = world["photos"], world["tags"]

    def tag(photo: str, name: str, source: str, verdict: str = "auto") -> None:
        PhotoTag.objects.create(
            photo_id=photos[photo], tag_id=tags[name], source=source, verdict=verdict
        )

    tag("dog", "dog", "other")  # a second classifier found the dog too
    tag("both", "cat", "other", "rejected")  # shown by the first classifier all the same
    tag("rejected", "cat", "other", "rejected")  # still rejected from every source
    tag("hidden", "dog", "other")  # hidden photos are not results
    tag("both", "red", "person", "added")
    tag("both", "red", "other", "confirmed")
    tag("rejected", "red", "other", "rejected")

    def counts(params: dict[str, Any] | None = None) -> dict[str, dict[str, int]]:
        body = _get(world["alice"], "/api/timeline/facets", params)
        return {kind: {t["name"]: t["count"] for t in rows} for kind, rows in body["tags"].items()}

    assert counts() == {
        "object": {"Egyptian cat": 1, "cat": 1, "dog": 2},
        "colour": {"red": 3},
        "place": {"Paris": 1},
    }
    everything = _get(world["alice"], "/api/timeline/facets")
    assert [t["count"] for t in everything["tags"]["object"]] == [2, 1, 1]  # most first
    # Every count narrows to the results.
    assert counts({"tag": tags["dog"]}) == {
        "object": {"cat": 1, "dog": 2},
        "colour": {"red": 2},
    }
    assert counts({"camera": world["cameras"]["canon"]}) == {
        "object": {"Egyptian cat": 1, "cat": 1, "dog": 1},
        "colour": {"red": 2},
        "place": {"Paris": 1},
    }
    assert counts({"camera": world["cameras"]["nikon"]}) == {
        "object": {"dog": 1},
        "colour": {"red": 1},
    }
    assert counts({"date_from": "2030-01-01"}) == {}


def _counts(options: list[dict[str, Any]]) -> dict[str, int]:
    return {o["name"]: o["count"] for o in options}


@pytest.mark.parametrize(("share", "complement_share"), [(0.5, 0.8), (2.0, 2.0), (2.0, 0.0)])
def test_or_facets_count_without_their_own_filter(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch, share: float, complement_share: float
) -> None:
    """Cameras, lenses and the single choices count as if their own filter were not set."""
    monkeypatch.setattr(timeline, "TAG_DRIVEN_SHARE", share)
    monkeypatch.setattr(timeline, "COMPLEMENT_SHARE", complement_share)
    from photonix.library.models import LibraryFolder

    folder = LibraryFolder.objects.get(library_id=world["library"])
    photos, tags, cameras = world["photos"], world["tags"], world["cameras"]
    london = make.tag(folder, "London", "place")
    PhotoTag.objects.create(photo_id=photos["dog"], tag=london, source="test")
    blue = make.tag(folder, "blue", "colour")
    PhotoTag.objects.create(photo_id=photos["both"], tag=blue, source="test")

    def facets(**params: Any) -> Any:
        return _get(world["alice"], "/api/timeline/facets", params)

    # One camera picked: the others are still offered, with what adding them would add.
    canon = facets(camera=cameras["canon"])
    assert canon["total"] == 2
    assert _counts(canon["cameras"]) == {"Canon EOS 40D": 2, "Nikon D750": 2}
    # Everything else narrows to the Canon photos.
    assert _counts(canon["tags"]["object"]) == {"Egyptian cat": 1, "cat": 1, "dog": 1}
    assert _counts(canon["tags"]["colour"]) == {"red": 1, "blue": 1}
    assert _counts(canon["lenses"]) == {"EF 50mm f/1.8": 1}
    assert canon["ratings"] == {"0": 1, "1": 0, "2": 0, "3": 0, "4": 0, "5": 1}
    assert canon["flash"] == {"fired": 0, "not_fired": 1}
    assert canon["ranges"]["iso"] == [100, 400]
    assert canon["dates"] == ["2019-07-14", "2020-01-05"]
    # Both picked (ORed): the same camera counts, every photo.
    both = facets(camera=[cameras["canon"], cameras["nikon"]])
    assert both["total"] == 4
    assert _counts(both["cameras"]) == {"Canon EOS 40D": 2, "Nikon D750": 2}

    # The camera counts follow the other filters: with the dog tag, one photo each.
    dog_nikon = facets(camera=cameras["nikon"], tag=tags["dog"])
    assert dog_nikon["total"] == 1
    assert _counts(dog_nikon["cameras"]) == {"Canon EOS 40D": 1, "Nikon D750": 1}
    assert _counts(dog_nikon["tags"]["object"]) == {"dog": 1}  # tags are ANDed: they narrow

    # A lens: every lens of the photos; the cameras narrow to the lens's photos.
    fifty = facets(lens=world["lens"])
    assert fifty["total"] == 1
    assert _counts(fifty["lenses"]) == {"EF 50mm f/1.8": 1}
    assert _counts(fifty["cameras"]) == {"Canon EOS 40D": 1}

    # A place or a colour is one choice: the others are offered instead of it.
    paris = facets(place=tags["paris"])
    assert paris["total"] == 1
    assert _counts(paris["tags"]["place"]) == {"Paris": 1, "London": 1}
    assert _counts(paris["tags"]["colour"]) == {"red": 1}
    blue_only = facets(colour=blue.pk)
    assert blue_only["total"] == 1
    assert _counts(blue_only["tags"]["colour"]) == {"red": 2, "blue": 1}
    assert _counts(blue_only["tags"]["object"]) == {"cat": 1, "dog": 1}

    # A rating, flash, a range, dates: counted over the photos the other filters leave.
    three = facets(rating_min=3)
    assert three["total"] == 1
    assert three["ratings"] == {"0": 2, "1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert _counts(three["cameras"]) == {"Canon EOS 40D": 1}
    fired = facets(flash="true")
    assert fired["total"] == 1 and fired["flash"] == {"fired": 1, "not_fired": 1}
    iso = facets(iso_min=400)
    assert iso["total"] == 2
    assert iso["ranges"]["iso"] == [100, 3200]
    assert iso["ranges"]["aperture"] == [4.0, 8.0]  # another range narrows
    later = facets(date_from="2019-07-03")
    assert later["total"] == 2 and later["dates"] == ["2018-07-30", "2020-01-05"]

    # Two of them: each counts under the other.
    canon_three = facets(camera=cameras["canon"], rating_min=3)
    assert canon_three["total"] == 1
    assert _counts(canon_three["cameras"]) == {"Canon EOS 40D": 1}
    assert canon_three["ratings"] == {"0": 1, "1": 0, "2": 0, "3": 0, "4": 0, "5": 1}
    # A tag that does not exist finds nothing, and leaves the cameras to count nothing.
    unknown = facets(tag=999_999, camera=cameras["canon"])
    assert unknown["total"] == 0 and unknown["cameras"] == []
    # No photo is both: the camera that would bring some back is still offered.
    assert facets(camera=cameras["nikon"], tag=tags["egyptian"])["cameras"] == [
        {"id": cameras["canon"], "name": "Canon EOS 40D", "count": 1}
    ]


@pytest.mark.skipif(not people.installed(), reason="needs the faces app")
def test_people_facet_narrows_and_a_second_person_can_be_added(world: dict[str, Any]) -> None:
    from photonix.faces.models import Face, Person

    photos, library = world["photos"], world["library"]
    ada = Person.objects.create(library_id=library, name="Ada Lovelace")
    bob = Person.objects.create(library_id=library, name="Bob Dylan")
    box = {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.2}
    for photo, person in (("cat", ada), ("both", ada), ("both", bob), ("dog", bob)):
        Face.objects.create(photo_id=photos[photo], library_id=library, person=person, **box)

    def facets(**params: Any) -> Any:
        return _get(world["alice"], "/api/timeline/facets", params)

    assert _counts(facets()["people"]) == {"Ada Lovelace": 2, "Bob Dylan": 2}
    # People are ANDed: Ada's photos, on which Bob can be added (he is on one of them).
    with_ada = facets(person=ada.pk)
    assert with_ada["total"] == 2
    assert _counts(with_ada["people"]) == {"Ada Lovelace": 2, "Bob Dylan": 1}
    together = facets(person=[ada.pk, bob.pk])
    assert together["total"] == 1
    assert _counts(together["people"]) == {"Ada Lovelace": 1, "Bob Dylan": 1}
    assert _names(world, _ids(world["alice"], person=[ada.pk, bob.pk])) == {"both"}
    # The search box: a person's name as a word, and as a suggestion.
    assert _names(world, _ids(world["alice"], q="bob")) == {"both", "dog"}
    assert _names(world, _ids(world["alice"], q="ada bob")) == {"both"}
    assert _get(world["alice"], "/api/search/suggest", {"q": "lovel"}) == [
        {"kind": "person", "label": "Ada Lovelace", "params": {"person": ada.pk}}
    ]


@pytest.mark.django_db(transaction=True)
def test_facets_are_kept_until_anything_is_committed() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from photonix.library.models import Photo

    alice, bob = make.user("alice"), make.user("bob")
    folder = make.library("Alice", alice)
    canon = make.camera("Canon", "EOS 40D")
    photo = make.photo(folder, make.at(2020, 1, 1), camera=canon, rating=1)
    client = make.client_for(alice)
    first = _get(client, "/api/timeline/facets", {"camera": canon.pk})
    assert first["ratings"]["1"] == 1 and first["total"] == 1
    # Asked again with nothing changed: no counting, only the change marker (a query on
    # PostgreSQL; SQLite's is read on a connection of its own). PostgreSQL's marker is the
    # server's snapshot, which a commit in any database of the server changes (other tests
    # share it here), so there it is enough that one of a few tries is served from the cache.
    marker = 1 if connection.vendor == "postgresql" else 0
    served = []
    for _ in range(1 if connection.vendor == "sqlite" else 20):
        assert _get(client, "/api/timeline/facets", {"camera": canon.pk}) == first
        with CaptureQueriesContext(connection) as queries:
            assert _get(client, "/api/timeline/facets", {"camera": canon.pk}) == first
        served.append(len(queries) <= AUTH_QUERIES + marker)
        if served[-1]:
            break
    assert served[-1], served
    # Kept per user: Bob sees none of Alice's photos.
    assert _get(make.client_for(bob), "/api/timeline/facets", {"camera": canon.pk})["total"] == 0

    # A change committed by this process...
    Photo.objects.filter(pk=photo.pk).update(rating=5)
    second = _get(client, "/api/timeline/facets", {"camera": canon.pk})
    assert (second["ratings"]["1"], second["ratings"]["5"]) == (0, 1)
    # What was counted before that commit (Alice's and Bob's) is gone, not only passed over.
    from photonix.library.browse import timeline

    assert len({seen for seen, _ in timeline._CACHE.values()}) == 1
    # ... or by another one, a worker, on a connection of its own.
    table = Photo._meta.db_table
    if connection.vendor == "sqlite":
        import sqlite3

        worker = sqlite3.connect(connection.settings_dict["NAME"])
        with worker:
            worker.execute(f"UPDATE {table} SET rating = 3 WHERE id = ?", (photo.pk,))  # noqa: S608
        worker.close()
    else:
        import psycopg

        db = connection.settings_dict
        with psycopg.connect(
            host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
        ) as other:
            other.execute(f"UPDATE {table} SET rating = 3 WHERE id = %s", (photo.pk,))  # noqa: S608
    third = _get(client, "/api/timeline/facets", {"camera": canon.pk})
    assert (third["ratings"]["3"], third["ratings"]["5"]) == (1, 0)


def test_map_points_are_the_photos_with_a_location(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder_id = world["library"]
    from photonix.library.models import LibraryFolder

    folder = LibraryFolder.objects.get(library_id=folder_id)
    north = make.photo(folder, make.at(2022, 1, 1), latitude=60.1, longitude=24.9)
    body = _get(world["alice"], "/api/map")
    assert body == {
        "points": [
            {
                "id": north.pk,
                "lat": 60.1,
                "lon": 24.9,
                "thumbnail_version": 0,
                "taken_at": "2022-01-01T12:00:00",
            },
            {
                "id": world["photos"]["cat"],
                "lat": 48.85,
                "lon": 2.35,
                "thumbnail_version": 0,
                "taken_at": "2019-07-14T09:00:00+02:00",
            },
        ],
        "truncated": False,
    }
    assert [
        p["id"] for p in _get(world["alice"], "/api/map", {"tag": world["tags"]["cat"]})["points"]
    ] == [world["photos"]["cat"]]
    monkeypatch.setattr(timeline, "MAP_LIMIT", 1)
    assert _get(world["alice"], "/api/map") == {
        "points": [
            {
                "id": north.pk,
                "lat": 60.1,
                "lon": 24.9,
                "thumbnail_version": 0,
                "taken_at": "2022-01-01T12:00:00",
            }
        ],
        "truncated": True,
    }


def test_bbox_keeps_the_photos_taken_inside_the_area_on_every_list(
    world: dict[str, Any],
) -> None:
    from photonix.library.models import LibraryFolder

    folder = LibraryFolder.objects.get(library_id=world["library"])
    fiji = make.photo(folder, make.at(2022, 2, 1), latitude=-17.8, longitude=178.4)
    samoa = make.photo(folder, make.at(2022, 3, 1), latitude=-13.8, longitude=-171.8)
    helsinki = make.photo(folder, make.at(2022, 4, 1), latitude=60.1, longitude=24.9)
    cat = world["photos"]["cat"]  # Paris, 48.85 2.35
    client = world["alice"]

    europe = {"bbox": "-10,35,30,61"}
    assert _ids(client, **europe) == {cat, helsinki.pk}
    assert {p["id"] for p in _get(client, "/api/map", europe)["points"]} == {cat, helsinki.pk}
    assert _get(client, "/api/timeline/facets", europe)["total"] == 2
    assert sum(m["count"] for m in _get(client, "/api/timeline/months", europe)) == 2
    # The edges belong to the area; other filters still apply.
    assert _ids(client, bbox="2.35,48.85,24.9,60.1") == {cat, helsinki.pk}
    assert _ids(client, bbox="-10,35,30,61", tag=world["tags"]["cat"]) == {cat}
    # West greater than east: the area across the antimeridian, both sides of it.
    assert _ids(client, bbox="170,-20,-170,-10") == {fiji.pk, samoa.pk}
    assert _ids(client, bbox="-170,-20,170,-10") == set()
    # Photos without a location are never inside an area.
    assert _ids(client, bbox="-180,-90,180,90") == {cat, fiji.pk, samoa.pk, helsinki.pk}


def test_free_text_is_parsed_into_names_months_and_years() -> None:
    parsed = parse_query("Cats in Paris July 2019")
    assert (parsed.words, parsed.months, parsed.years) == (["cats", "paris"], [7], [2019])
    parsed = parse_query("  jul, aug 2018 2019 sept ")
    assert (parsed.words, parsed.months, parsed.years) == ([], [7, 8, 9], [2018, 2019])
    assert parse_query("canon 5d 1700").words == ["canon", "5d", "1700"]  # not a year: a word
    assert parse_query("").words == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # "cat", "Egyptian cat", and the rejected one excluded; a search finds archived photos
        ("cat", {"cat", "both", "hidden"}),
        ("Egyptian", {"cat"}),
        ("animal", {"cat", "dog", "both", "hidden"}),  # a tag's descendants
        ("paris", {"cat"}),
        ("france", {"cat"}),  # places are a hierarchy too
        ("canon", {"cat", "both", "hidden"}),
        ("eos", {"cat", "both", "hidden"}),
        ("d750", {"dog", "rejected"}),
        ("50mm", {"cat"}),
        ("july", {"cat", "dog", "rejected"}),
        ("july 2019", {"cat", "dog"}),
        ("2019", {"cat", "dog"}),
        ("jan 2020", {"both"}),
        ("dog canon", {"both"}),
        ("red dogs in july", {"dog"}),  # a plural finds the singular
        ("red dog in july", {"dog"}),
        ("scat", set()),  # a word must start a word of the name
        ("100%", set()),
        ("", {"cat", "dog", "both", "rejected"}),
    ],
)
def test_free_text_q_turns_words_into_filters(
    world: dict[str, Any], q: str, expected: set[str]
) -> None:
    assert _names(world, _ids(world["alice"], q=q)) == expected


def test_suggestions_are_prefix_matches_with_the_filters_they_stand_for(
    world: dict[str, Any],
) -> None:
    def suggest(text: str) -> list[tuple[str, str, dict[str, Any]]]:
        body = _get(world["alice"], "/api/search/suggest", {"q": text})
        return [(s["kind"], s["label"], s["params"]) for s in body]

    tags = world["tags"]
    assert suggest("ca") == [
        ("tag", "cat", {"tag": tags["cat"]}),
        ("tag", "Egyptian cat", {"tag": tags["egyptian"]}),
        ("camera", "Canon EOS 40D", {"camera": world["cameras"]["canon"]}),
    ]
    assert suggest("PAR") == [("place", "Paris", {"place": tags["paris"]})]
    assert suggest("ef") == [("lens", "EF 50mm f/1.8", {"lens": world["lens"]})]
    assert suggest("d7") == [("camera", "Nikon D750", {"camera": world["cameras"]["nikon"]})]
    assert suggest("july") == [  # within the dates of the photos, newest first
        ("month", "July 2019", {"date_from": "2019-07-01", "date_to": "2019-07-31"}),
        ("month", "July 2018", {"date_from": "2018-07-01", "date_to": "2018-07-31"}),
    ]
    assert suggest("jul 2019") == [
        ("month", "July 2019", {"date_from": "2019-07-01", "date_to": "2019-07-31"})
    ]
    assert suggest("201") == [
        ("year", "2019", {"date_from": "2019-01-01", "date_to": "2019-12-31"}),
        ("year", "2018", {"date_from": "2018-01-01", "date_to": "2018-12-31"}),
    ]
    assert [label for _, label, _ in suggest("20")] == ["2020", "2019", "2018"]
    assert suggest("zebra") == []
    assert suggest("") == []
    # Bob's "cat" tag is not Alice's to see.
    assert tags["bob_cat"] not in [p.get("tag") for _, _, p in suggest("cat")]


def test_a_camera_is_suggested_by_its_make_and_model_together(world: dict[str, Any]) -> None:
    canon = ("camera", "Canon EOS 40D", {"camera": world["cameras"]["canon"]})
    for text in ("canon eos", "Canon EOS 40D", "eos 40", "canon"):
        body = _get(world["alice"], "/api/search/suggest", {"q": text})
        assert [(s["kind"], s["label"], s["params"]) for s in body] == [canon], text


@pytest.mark.parametrize(
    ("text", "label", "params", "found"),
    [
        ("cat paris", "cat · Paris", {"tag": ["cat"], "place": "paris"}, {"cat"}),
        ("dog canon", "dog · Canon EOS 40D", {"tag": ["dog"], "camera": ["canon"]}, {"both"}),
        ("cat dog", "cat · dog", {"tag": ["cat", "dog"]}, {"both"}),
        ("red july 2019", "red · July 2019", {"tag": ["red"], "month": "2019-07"}, {"cat", "dog"}),
        ("egyptian 2019", "Egyptian cat · 2019", {"tag": ["egyptian"], "year": 2019}, {"cat"}),
        ("2020 cat", "cat · 2020", {"tag": ["cat"], "year": 2020}, {"both"}),
        (
            "d750 in july 2019",
            "Nikon D750 · July 2019",
            {"camera": ["nikon"], "month": "2019-07"},
            {"dog"},
        ),
        ("cat par", "cat · Paris", {"tag": ["cat"], "place": "paris"}, {"cat"}),  # still typing
    ],
)
def test_several_words_are_suggested_as_one_filter_each(
    world: dict[str, Any], text: str, label: str, params: dict[str, Any], found: set[str]
) -> None:
    tags, cameras = world["tags"], world["cameras"]
    expected: dict[str, Any] = {}
    for key, value in params.items():
        if key == "tag":
            expected["tag"] = [tags[v] for v in value]
        elif key == "place":
            expected["place"] = tags[value]
        elif key == "camera":
            expected["camera"] = [cameras[v] for v in value]
        elif key == "month":
            year, month = map(int, value.split("-"))
            first, last = month_range(year, month)
            expected |= {"date_from": first.isoformat(), "date_to": last.isoformat()}
        else:
            expected |= {"date_from": f"{value}-01-01", "date_to": f"{value}-12-31"}
    body = _get(world["alice"], "/api/search/suggest", {"q": text})
    assert body[0] == {"kind": "words", "label": label, "params": expected}
    # The suggestion's filters find what the words find as free text.
    assert _names(world, _ids(world["alice"], **expected)) == found
    assert _names(world, _ids(world["alice"], q=text)) == found


@pytest.mark.parametrize(
    "text",
    [
        "cat zebra",  # a word that names nothing
        "cat july",  # July of any year is not one span of dates: free text does it
        "cat 2018 2019",
        "paris france",  # two places: a photo is in one of them (France holds Paris: q finds it)
        "canon d750",  # two cameras, likewise
    ],
)
def test_words_that_are_not_one_filter_each_are_not_suggested_together(
    world: dict[str, Any], text: str
) -> None:
    body = _get(world["alice"], "/api/search/suggest", {"q": text})
    assert "words" not in {s["kind"] for s in body}


def test_at_most_ten_suggestions(world: dict[str, Any]) -> None:
    from photonix.library.models import LibraryFolder

    folder = LibraryFolder.objects.get(library_id=world["library"])
    photo = make.photo(folder, make.at(2022, 1, 1))
    for i in range(15):
        make.tagged(photo, make.tag(folder, f"boat {i:02d}"))
    body = _get(world["alice"], "/api/search/suggest", {"q": "boat"})
    assert len(body) == 10
    assert body[0]["label"] == "boat 00"


def test_dates_filter_on_the_local_date_taken() -> None:
    alice = make.user("alice")
    folder = make.library("Alice", alice)
    # 23:30 local on 1 May at UTC-5 is 2 May in UTC; it is a 1 May photo all the same.
    late = make.photo(folder, dt.datetime(2024, 5, 1, 23, 30, tzinfo=dt.UTC), taken_offset=-300)
    client = make.client_for(alice)
    assert _ids(client, date_from="2024-05-01", date_to="2024-05-01") == {late.pk}
    assert _ids(client, date_from="2024-05-02") == set()
    assert _get(client, "/api/timeline/months") == [{"month": "2024-05", "count": 1}]
