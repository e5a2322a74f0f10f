"""Every face can be named: the unnamed faces to review, naming one, suggestions, and a
person's cover that stays one of their own faces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from photonix.core.models import User
from photonix.faces import services
from photonix.faces.detection import DetectedFace
from photonix.faces.models import Face, Person
from photonix.library.models import LibraryFolder, LibraryMember, Photo
from tests.faces.conftest import client_for, make_library, make_photo, store

pytestmark = pytest.mark.django_db
Detect = Callable[[str], list[DetectedFace]]
BECKER_3, BECKER_4, BECKHAM = (
    "Boris_Becker_0003.jpg",
    "Boris_Becker_0004.jpg",
    "David_Beckham_0001.jpg",
)
CURIE = "curie_portrait.jpg"
HOPPER = "hopper_face.jpg"


def main_face(photo: Photo) -> Face:
    face = Face.objects.filter(photo=photo).order_by("-size").first()
    assert face is not None
    return face


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice")


@pytest.fixture
def folder(alice: User) -> LibraryFolder:
    return make_library("Portraits", alice)


def add(detect: Detect, folder: LibraryFolder, sample: str, *, preview: bool = False) -> Face:
    photo = make_photo(folder, sample, preview=preview)
    store(photo, detect(sample))
    return main_face(photo)


def unassigned(client: Client, library_id: int, **params: int) -> dict[str, object]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/api/faces?unassigned=1&library={library_id}&{query}")
    assert response.status_code == 200, response.content
    data: dict[str, object] = response.json()
    return data


def ids(page: dict[str, object]) -> set[int]:
    results = page["results"]
    assert isinstance(results, list)
    return {face["id"] for face in results}


def test_every_face_of_a_group_photo_is_listed_to_name_a_page_at_a_time(
    detect: Detect, alice: User, folder: LibraryFolder
) -> None:
    photo = make_photo(folder, "solvay_group_faces.jpg")
    stored = store(photo, detect("solvay_group_faces.jpg"))
    services.library_recluster(folder.library_id)
    # Strangers to each other: no group of two, so before this list they could not be named.
    waiting = Face.objects.filter(photo=photo, person__isnull=True).count()
    assert waiting == len(stored) >= 25
    client = client_for(alice)
    first = unassigned(client, folder.library_id, page_size=10)
    assert first["count"] == waiting and len(ids(first)) == 10
    second = unassigned(client, folder.library_id, page_size=10, page=2)
    assert not ids(first) & ids(second)
    sizes = [face["size"] for face in first["results"]]  # type: ignore[attr-defined]
    assert sizes == sorted(sizes, reverse=True), "the clearest faces come first"


def test_suggestions_are_the_nearest_people_first(
    detect: Detect, alice: User, folder: LibraryFolder
) -> None:
    boris = services.face_name(add(detect, folder, BECKER_3), name="Boris Becker").person
    david = services.face_name(add(detect, folder, BECKHAM), name="David Beckham").person
    marie = services.face_name(add(detect, folder, CURIE), name="Marie Curie").person
    assert boris is not None and david is not None and marie is not None
    other_boris = add(detect, folder, BECKER_4)
    other_boris.person = None  # as if it had not been grouped (singles wait to be named)
    other_boris.save()
    response = client_for(alice).get(f"/api/faces/{other_boris.pk}/suggestions")
    assert response.status_code == 200, response.content
    suggestions = response.json()
    assert suggestions[0]["person"] == boris.pk
    assert {s["person"] for s in suggestions} == {boris.pk, david.pk, marie.pk}
    distances = [s["distance"] for s in suggestions]
    assert distances == sorted(distances) and distances[0] < 0.55 < distances[1]
    assert suggestions[0]["name"] == "Boris Becker"
    boris_face = Face.objects.get(person=boris)
    assert suggestions[0]["cover_url"] == f"/api/faces/{boris_face.pk}/crop"
    limited = client_for(alice).get(f"/api/faces/{other_boris.pk}/suggestions?limit=1").json()
    assert [s["person"] for s in limited] == [boris.pk]
    # A face already on someone is not offered its own person.
    mine = client_for(alice).get(f"/api/faces/{boris_face.pk}/suggestions")
    assert boris.pk not in {s["person"] for s in mine.json()}
    assert (
        client_for(alice).get(f"/api/faces/{other_boris.pk}/suggestions?limit=0").status_code == 400
    )

    # The list of faces to name carries the same suggestions, read once for the whole page.
    listed = unassigned(client_for(alice), folder.library_id)["results"]
    assert isinstance(listed, list)
    (row,) = [f for f in listed if f["id"] == other_boris.pk]
    assert [s["person"] for s in row["suggestions"]] == [s["person"] for s in suggestions]
    # Elsewhere a face carries none (null): they are only worked out for the faces to name.
    face = client_for(alice).get(f"/api/faces?library={folder.library_id}").json()["results"][0]
    assert face["suggestions"] is None


def test_the_faces_to_name_come_with_suggestions_in_a_few_queries(
    detect: Detect,
    alice: User,
    folder: LibraryFolder,
    django_assert_max_num_queries: Any,
) -> None:
    services.face_name(add(detect, folder, BECKER_3), name="Boris Becker")
    services.face_name(add(detect, folder, CURIE), name="Marie Curie")
    waiting = [add(detect, folder, sample) for sample in (BECKER_4, BECKHAM, HOPPER) * 4]
    Face.objects.filter(pk__in=[face.pk for face in waiting]).update(person=None)
    client = client_for(alice)
    client.get("/api/people")  # the session and its user, read once before counting
    with django_assert_max_num_queries(8):
        page = unassigned(client, folder.library_id, page_size=24)
    results = page["results"]
    assert isinstance(results, list)
    listed = [face for face in results if face["id"] in {f.pk for f in waiting}]
    assert len(listed) == len(waiting)
    assert all(len(face["suggestions"]) == 2 for face in listed), "Boris and Marie, each time"


def test_a_face_is_named_with_a_new_name_or_an_existing_person(
    detect: Detect, alice: User, folder: LibraryFolder
) -> None:
    client = client_for(alice)
    beckham, curie, hopper = (add(detect, folder, s) for s in (BECKHAM, CURIE, HOPPER))
    services.library_recluster(folder.library_id)
    assert ids(unassigned(client, folder.library_id)) >= {beckham.pk, curie.pk, hopper.pk}
    # A new name makes a person.
    response = client.post(
        f"/api/faces/{beckham.pk}/assign",
        {"name": " David Beckham "},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["person_name"] == "David Beckham"
    assert response.json()["verdict"] == "moved"
    david = response.json()["person"]
    # The same name, in another case, is the same person: no second David.
    response = client.post(
        f"/api/faces/{hopper.pk}/assign", {"name": "david beckham"}, content_type="application/json"
    )
    assert response.json()["person"] == david
    assert (
        Person.objects.filter(library_id=folder.library_id, name__iexact="david beckham").count()
        == 1
    )
    # An existing person, by id.
    marie = Person.objects.create(library_id=folder.library_id, name="Marie Curie")
    response = client.post(
        f"/api/faces/{curie.pk}/assign", {"person": marie.pk}, content_type="application/json"
    )
    assert response.json()["person"] == marie.pk
    assert not ids(unassigned(client, folder.library_id)) & {beckham.pk, curie.pk, hopper.pk}
    people = client.get(f"/api/libraries/{folder.library_id}/people").json()
    assert {p["name"]: p["face_count"] for p in people} == {"David Beckham": 2, "Marie Curie": 1}
    # Neither, or both: refused, nothing changes.
    for body in ({}, {"name": "  "}, {"person": marie.pk, "name": "X"}):
        response = client.post(
            f"/api/faces/{curie.pk}/assign", body, content_type="application/json"
        )
        assert response.status_code == 400, body
    assert Face.objects.get(pk=curie.pk).person_id == marie.pk


def test_naming_needs_an_editor_and_stays_in_the_library(
    detect: Detect, alice: User, folder: LibraryFolder
) -> None:
    face = add(detect, folder, CURIE)
    bob = User.objects.create_user("bob")
    bobs = make_library("Bob's", bob)
    theirs = Person.objects.create(library_id=bobs.library_id, name="Bob")
    client = client_for(alice)
    response = client.post(
        f"/api/faces/{face.pk}/assign", {"person": theirs.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    LibraryMember.objects.create(library_id=folder.library_id, user=bob, role="viewer")
    bob_client = client_for(bob)
    assert bob_client.get(f"/api/faces/{face.pk}/suggestions").status_code == 200
    assert face.pk in ids(unassigned(bob_client, folder.library_id))
    response = bob_client.post(
        f"/api/faces/{face.pk}/assign", {"name": "Marie"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert bob_client.post(f"/api/faces/{face.pk}/ignore").status_code == 403


def test_a_removed_face_waits_among_the_unnamed_and_an_ignored_one_does_not(
    detect: Detect, alice: User, folder: LibraryFolder
) -> None:
    client = client_for(alice)
    first = add(detect, folder, CURIE)
    second = add(detect, folder, HOPPER)
    third = add(detect, folder, BECKHAM)
    marie = Person.objects.create(library_id=folder.library_id, name="Marie Curie")
    for face in (first, second, third):
        services.face_move(face, marie)
    others = ids(unassigned(client, folder.library_id))  # the smaller faces on their photos
    assert not others & {first.pk, second.pk, third.pk}
    client.post(f"/api/faces/{second.pk}/remove")
    client.post(f"/api/faces/{third.pk}/remove")
    assert ids(unassigned(client, folder.library_id)) - others == {second.pk, third.pk}
    # Re-clustering leaves it there: it is not put back on anyone by the machine.
    services.library_recluster(folder.library_id)
    assert ids(unassigned(client, folder.library_id)) - others == {second.pk, third.pk}
    # Ignored (a stranger): out of the list, still a box on its photo.
    response = client.post(f"/api/faces/{second.pk}/ignore")
    assert response.status_code == 200 and response.json()["verdict"] == "ignored"
    assert ids(unassigned(client, folder.library_id)) - others == {third.pk}
    on_photo = client.get(f"/api/photos/{second.photo_id}/faces").json()
    assert second.pk in {f["id"] for f in on_photo}
    # Not a face: gone from both.
    client.post(f"/api/faces/{third.pk}/reject")
    assert ids(unassigned(client, folder.library_id)) == others
    # An ignored face can still be named later.
    response = client.post(
        f"/api/faces/{second.pk}/assign", {"person": marie.pk}, content_type="application/json"
    )
    assert response.json()["person"] == marie.pk


def test_the_cover_stays_one_of_the_persons_own_faces(
    detect: Detect, alice: User, folder: LibraryFolder
) -> None:
    """After a merge the person keeps their face, not the largest face of a group that joined
    them; after a removal, and whatever the stored cover says, it is one of their faces."""
    client = client_for(alice)
    curie = add(detect, folder, CURIE, preview=True)
    marie = services.face_name(curie, name="Marie Curie").person
    assert marie is not None
    becker_3 = add(detect, folder, BECKER_3, preview=True)
    becker_4 = add(detect, folder, BECKER_4, preview=True)
    becker_3.refresh_from_db()
    becker_4.refresh_from_db()
    group = Person.objects.create(library_id=folder.library_id)
    Face.objects.filter(pk__in=[becker_3.pk, becker_4.pk]).update(person=group)
    # Becker's faces are larger than Marie's: before the merge they would take her cover.
    assert min(becker_3.size, becker_4.size) > curie.size
    client.post(
        f"/api/people/{marie.pk}/merge", {"person": group.pk}, content_type="application/json"
    )
    person = client.get(f"/api/people/{marie.pk}").json()
    assert person["face_count"] == 3
    assert person["cover_face"] == curie.pk
    crop = client.get(f"/api/people/{marie.pk}/crop")
    assert crop.status_code == 200 and crop["Content-Type"] == "image/jpeg"
    # Her face taken off her: the cover is another of her faces, never the removed one.
    client.post(f"/api/faces/{curie.pk}/remove")
    person = client.get(f"/api/people/{marie.pk}").json()
    assert person["cover_face"] in {becker_3.pk, becker_4.pk}
    # A stored cover that is no longer hers is not shown.
    other = Person.objects.create(library_id=folder.library_id, name="Other")
    services.face_move(Face.objects.get(pk=becker_4.pk), other)
    Person.objects.filter(pk=marie.pk).update(cover_face=becker_4.pk)
    assert client.get(f"/api/people/{marie.pk}").json()["cover_face"] == becker_3.pk


def test_a_person_without_faces_has_no_crop(alice: User, folder: LibraryFolder) -> None:
    nobody = Person.objects.create(library_id=folder.library_id, name="Nobody")
    assert client_for(alice).get(f"/api/people/{nobody.pk}/crop").status_code == 404
