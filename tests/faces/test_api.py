"""The faces and people API, as a client uses it: every correction, scoping, crops."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from photonix.core.models import User
from photonix.faces import services
from photonix.faces.detection import DetectedFace
from photonix.faces.models import Face, Person
from photonix.library.models import LibraryMember
from tests.faces.conftest import client_for, make_library, make_photo, store

pytestmark = pytest.mark.django_db
Detect = Callable[[str], list[DetectedFace]]
SAMPLES = ("Boris_Becker_0003.jpg", "Boris_Becker_0004.jpg", "David_Beckham_0001.jpg")


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice")


@pytest.fixture
def tennis(detect: Detect, alice: User) -> dict[str, Face]:
    """Alice's library with the three LFW photos, grouped."""
    folder = make_library("Tennis", alice)
    faces = {}
    for sample in SAMPLES:
        photo = make_photo(folder, sample, preview=True)
        store(photo, detect(sample))
        face = Face.objects.filter(photo=photo).order_by("-size").first()
        assert face is not None
        faces[sample] = face
    services.library_recluster(folder.library_id)
    for face in faces.values():
        face.refresh_from_db()
    return faces


def test_people_are_listed_with_counts_and_a_cover(alice: User, tennis: dict[str, Face]) -> None:
    library_id = tennis[SAMPLES[0]].library_id
    response = client_for(alice).get(f"/api/libraries/{library_id}/people")
    assert response.status_code == 200, response.content
    (group,) = response.json()
    assert group["name"] == "" and group["face_count"] == 2 and group["photo_count"] == 2
    assert group["cover_face"] in {tennis[SAMPLES[0]].pk, tennis[SAMPLES[1]].pk}
    crop = client_for(alice).get(group["cover_url"])
    assert crop.status_code == 200 and crop["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(crop.content))
    assert image.size == (256, 256)


def test_name_rename_and_the_person_pages(alice: User, tennis: dict[str, Face]) -> None:
    client = client_for(alice)
    person_id = tennis[SAMPLES[0]].person_id
    response = client.patch(
        f"/api/people/{person_id}", {"name": "Boris"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["name"] == "Boris"
    response = client.patch(
        f"/api/people/{person_id}", {"name": "Boris Becker"}, content_type="application/json"
    )
    assert response.json() == client.get(f"/api/people/{person_id}").json()
    assert response.json()["name"] == "Boris Becker" and response.json()["confirmed"]
    faces = client.get(f"/api/people/{person_id}/faces").json()
    assert {f["id"] for f in faces} == {tennis[SAMPLES[0]].pk, tennis[SAMPLES[1]].pk}
    assert all(f["person_name"] == "Boris Becker" for f in faces)
    photos = client.get(f"/api/people/{person_id}/photos").json()["photos"]
    assert set(photos) == {tennis[SAMPLES[0]].photo_id, tennis[SAMPLES[1]].photo_id}
    on_photo = client.get(f"/api/photos/{tennis[SAMPLES[0]].photo_id}/faces").json()
    assert [f["person_name"] for f in on_photo if f["id"] == tennis[SAMPLES[0]].pk] == [
        "Boris Becker"
    ]


def test_move_split_merge_remove_reject_confirm(alice: User, tennis: dict[str, Face]) -> None:
    client = client_for(alice)
    becker, beckham = tennis[SAMPLES[0]], tennis[SAMPLES[2]]
    # Split: Beckham's face onto a new person.
    response = client.post(
        f"/api/faces/{beckham.pk}/move",
        {"person": None, "name": "David"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["verdict"] == "moved" and response.json()["person_name"] == "David"
    david_id = response.json()["person"]
    # Move a Becker face onto David, then merge David into Becker's group.
    response = client.post(
        f"/api/faces/{tennis[SAMPLES[1]].pk}/move",
        {"person": david_id},
        content_type="application/json",
    )
    assert response.json()["person"] == david_id
    response = client.post(
        f"/api/people/{becker.person_id}/merge",
        {"person": david_id},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["name"] == "David"
    assert response.json()["face_count"] == 3
    assert not Person.objects.filter(pk=david_id).exists()
    # Confirm, remove, reject.
    response = client.post(f"/api/faces/{becker.pk}/confirm")
    assert response.json()["verdict"] == "confirmed"
    response = client.post(f"/api/faces/{beckham.pk}/remove")
    assert response.json()["verdict"] == "removed" and response.json()["person"] is None
    response = client.post(f"/api/faces/{beckham.pk}/confirm")
    assert response.status_code == 400, "a face on nobody cannot be confirmed"
    response = client.post(f"/api/faces/{tennis[SAMPLES[1]].pk}/reject")
    assert response.json()["verdict"] == "rejected"
    on_photo = client.get(f"/api/photos/{tennis[SAMPLES[1]].photo_id}/faces").json()
    assert tennis[SAMPLES[1]].pk not in {f["id"] for f in on_photo}


def test_other_libraries_are_invisible_and_viewers_cannot_correct(
    alice: User, tennis: dict[str, Face]
) -> None:
    bob = User.objects.create_user("bob")
    face = tennis[SAMPLES[0]]
    bob_client = client_for(bob)
    assert bob_client.get(f"/api/libraries/{face.library_id}/people").status_code == 404
    assert bob_client.get(f"/api/people/{face.person_id}").status_code == 404
    assert bob_client.get(f"/api/faces/{face.pk}/crop").status_code == 404
    assert bob_client.post(f"/api/faces/{face.pk}/reject").status_code == 404
    # Bob's own library: Alice's person is not a target for his faces, nor the other way.
    folder = make_library("Bob's", bob)
    photo = make_photo(folder, "x")
    bob_face = Face.objects.create(
        photo=photo, library_id=folder.library_id, x=0.1, y=0.1, width=0.2, height=0.2
    )
    response = bob_client.post(
        f"/api/faces/{bob_face.pk}/move",
        {"person": face.person_id},
        content_type="application/json",
    )
    assert response.status_code == 404
    # A viewer of Alice's library sees the people but corrects nothing.
    LibraryMember.objects.create(
        library_id=face.library_id, user=bob, role=LibraryMember.Role.VIEWER
    )
    assert bob_client.get(f"/api/libraries/{face.library_id}/people").status_code == 200
    assert bob_client.post(f"/api/faces/{face.pk}/reject").status_code == 403
    response = bob_client.patch(
        f"/api/people/{face.person_id}", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Face.objects.get(pk=face.pk).verdict == "auto"


def test_everything_requires_sign_in(tennis: dict[str, Face]) -> None:
    from django.test import Client

    face = tennis[SAMPLES[0]]
    for url in (
        f"/api/libraries/{face.library_id}/people",
        f"/api/people/{face.person_id}",
        f"/api/faces/{face.pk}/crop",
    ):
        assert Client().get(url).status_code in (401, 403)
