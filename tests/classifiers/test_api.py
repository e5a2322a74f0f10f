"""Tags through the HTTP API and the services behind it.

A person's verdicts survive reprocessing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from photonix.classifiers.models import CalendarEvent, ClassifierSwitch, PhotoTag, Tag
from photonix.classifiers.registry import Prediction
from photonix.classifiers.services import photo_store_predictions
from photonix.core.models import User
from photonix.library.models import Library, LibraryMember, Photo

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.classifiers.urls")]

PASSWORD = "correct horse battery staple"


def user(name: str) -> User:
    return User.objects.create_user(name, password=PASSWORD)


def client_for(who: User) -> Client:
    client = Client()
    assert client.login(username=who.username, password=PASSWORD)
    return client


def library(name: str, owner: User, role: str = LibraryMember.Role.OWNER) -> Library:
    lib = Library.objects.create(name=name)
    LibraryMember.objects.create(library=lib, user=owner, role=role)
    return lib


def photo(lib: Library, **facts: Any) -> Photo:
    return Photo.objects.create(library=lib, **facts)


CAT = [
    Prediction("object", "Egyptian cat", 0.4, parents=("cat", "animal")),
    Prediction("object", "cat", 0.9, parents=("animal",)),
    Prediction("object", "lynx", 0.2, parents=("big cat", "animal")),
]


def test_a_persons_verdicts_survive_reprocessing() -> None:
    owner = user("ann")
    lib = library("Home", owner)
    p = photo(lib)
    assert photo_store_predictions(p, "object", 1, CAT) == 3
    client = client_for(owner)
    lynx = Tag.objects.get(library=lib, name="lynx")
    cat = Tag.objects.get(library=lib, name="cat")
    assert client.post(f"/api/photos/{p.pk}/tags/{lynx.pk}/reject").status_code == 200
    assert client.post(f"/api/photos/{p.pk}/tags/{cat.pk}/confirm").status_code == 200
    response = client.post(
        f"/api/photos/{p.pk}/tags",
        {"type": "object", "name": "Mittens"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["verdict"] == "added"

    # The classifier runs again (a new version that no longer sees a cat at all).
    photo_store_predictions(p, "object", 2, [CAT[2], Prediction("object", "tabby", 0.3)])
    rows = {r.tag.name: r for r in PhotoTag.objects.filter(photo=p).select_related("tag")}
    assert rows["lynx"].verdict == "rejected", "a rejected tag is not put back"
    assert rows["cat"].verdict == "confirmed" and rows["cat"].confidence == 0.9
    assert rows["Mittens"].verdict == "added" and rows["Mittens"].source == "person"
    assert rows["tabby"].verdict == "auto" and rows["tabby"].version == 2
    assert "Egyptian cat" not in rows, "the classifier's own old guesses are replaced"

    body = client.get(f"/api/photos/{p.pk}/tags").json()
    assert {t["name"] for t in body["tags"]["object"]} == {"cat", "Mittens", "tabby"}
    with_rejected = client.get(f"/api/photos/{p.pk}/tags?rejected=true").json()
    assert "lynx" in {t["name"] for t in with_rejected["tags"]["object"]}


def test_adding_a_tag_a_classifier_found_confirms_it() -> None:
    owner = user("ann")
    lib = library("Home", owner)
    p = photo(lib)
    photo_store_predictions(p, "colour", 1, [Prediction("colour", "Red", 0.6)])
    response = client_for(owner).post(
        f"/api/photos/{p.pk}/tags",
        {"type": "colour", "name": "Red"},
        content_type="application/json",
    )
    assert response.json()["verdict"] == "confirmed"
    assert PhotoTag.objects.filter(photo=p).count() == 1


def test_tags_by_type_and_library_counts_are_scoped_to_the_users_libraries() -> None:
    ann, bob = user("ann"), user("bob")
    home, work = library("Home", ann), library("Work", bob)
    for _ in range(2):
        photo_store_predictions(photo(home), "object", 1, CAT[:2])
    photo_store_predictions(photo(home), "colour", 1, [Prediction("colour", "Red", 0.6)])
    other = photo(work)
    photo_store_predictions(other, "object", 1, CAT[:1])
    client = client_for(ann)
    counts = {
        (t["type"], t["name"]): t["photo_count"]
        for t in client.get(f"/api/libraries/{home.pk}/tags").json()
    }
    assert counts == {("object", "Egyptian cat"): 2, ("object", "cat"): 2, ("colour", "Red"): 1}
    objects = client.get(f"/api/libraries/{home.pk}/tags?type=object").json()
    assert [t["name"] for t in objects] == ["Egyptian cat", "cat"] or {
        t["name"] for t in objects
    } == {"Egyptian cat", "cat"}
    cat = next(t for t in objects if t["name"] == "Egyptian cat")
    assert Tag.objects.get(pk=cat["parent_id"]).name == "cat"
    # Another user's library and photo answer 404, as ids that do not exist.
    assert client.get(f"/api/libraries/{work.pk}/tags").status_code == 404
    assert client.get(f"/api/photos/{other.pk}/tags").status_code == 404
    assert (
        client.post(
            f"/api/photos/{other.pk}/tags",
            {"type": "object", "name": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_viewers_read_but_do_not_change() -> None:
    ann, viewer = user("ann"), user("vic")
    lib = library("Home", ann)
    LibraryMember.objects.create(library=lib, user=viewer, role=LibraryMember.Role.VIEWER)
    p = photo(lib)
    client = client_for(viewer)
    assert client.get(f"/api/photos/{p.pk}/tags").status_code == 200
    assert (
        client.post(
            f"/api/photos/{p.pk}/tags",
            {"type": "object", "name": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    put = {"classifiers": [{"name": "object", "enabled": False}]}
    response = client.put(
        f"/api/libraries/{lib.pk}/classifiers", put, content_type="application/json"
    )
    assert response.status_code == 403
    assert Client().get(f"/api/photos/{p.pk}/tags").status_code in (401, 403)


def test_classifier_switches(django_capture_on_commit_callbacks: Any) -> None:
    ann = user("ann")
    lib = library("Home", ann)
    client = client_for(ann)
    state = client.get(f"/api/libraries/{lib.pk}/classifiers").json()["classifiers"]
    assert {c["name"] for c in state} >= {"object", "colour", "place", "style", "event"}
    assert all(c["enabled"] for c in state)
    put = {"classifiers": [{"name": "style", "enabled": False}]}
    response = client.put(
        f"/api/libraries/{lib.pk}/classifiers", put, content_type="application/json"
    )
    assert response.status_code == 200
    assert {c["name"]: c["enabled"] for c in response.json()["classifiers"]}["style"] is False
    assert ClassifierSwitch.objects.get(library=lib, name="style").enabled is False
    bad = {"classifiers": [{"name": "nope", "enabled": True}]}
    assert (
        client.put(
            f"/api/libraries/{lib.pk}/classifiers", bad, content_type="application/json"
        ).status_code
        == 400
    )


def test_installed_classifiers_are_listed_for_signed_in_people() -> None:
    assert Client().get("/api/classifiers").status_code in (401, 403)
    listed = client_for(user("ann")).get("/api/classifiers")
    assert listed.status_code == 200
    by_name = {c["name"]: c for c in listed.json()}
    expected = {"clip", "colour", "detect", "event", "faces", "object", "place", "similar", "style"}
    assert set(by_name) == expected
    assert by_name["object"] == {"name": "object", "version": 3, "queue": "classify"}
    assert by_name["faces"]["queue"] == "faces"
    assert by_name["detect"] == {"name": "detect", "version": 1, "queue": "classify"}


def test_a_birthday_becomes_an_event_tag(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from photonix.classifiers.events import EventClassifier
    from photonix.classifiers.facts import facts_for
    from photonix.pipeline import services as pipeline_services

    dispatched: list[tuple[list[int], list[str]]] = []

    def photos_dispatch(ids: Any, force_stages: Any = ()) -> int:
        dispatched.append((list(ids), list(force_stages)))
        return len(dispatched[-1][0])

    monkeypatch.setattr(pipeline_services, "photos_dispatch", photos_dispatch)
    ann = user("ann")
    lib = library("Home", ann)
    party = photo(lib, taken_local=dt.datetime(2021, 6, 3, 15, tzinfo=dt.UTC))
    photo(lib, taken_local=dt.datetime(2021, 8, 3, 15, tzinfo=dt.UTC))
    client = client_for(ann)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/libraries/{lib.pk}/events",
            {"name": "Ada's birthday", "date": "2015-06-03", "yearly": True},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert dispatched == [([party.pk], ["classify:event"])], "only photos of that day are redone"
    assert [e["name"] for e in client.get(f"/api/libraries/{lib.pk}/events").json()] == [
        "Ada's birthday"
    ]
    found = EventClassifier().predict_facts(facts_for(party.pk))
    assert [p.name for p in found] == ["Ada's birthday"]
    photo_store_predictions(party, "event", 1, found)
    event = CalendarEvent.objects.get()
    assert client.delete(f"/api/libraries/{lib.pk}/events/{event.pk}").status_code == 204
    assert not PhotoTag.objects.filter(photo=party).exists()
