"""What a caller may not see is not told, not even indirectly: a face of another library answers
like an id that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from photonix.faces.models import Face, Person
from photonix.library.models import Photo
from tests.security.conftest import World

pytestmark = pytest.mark.django_db


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


# --- A face of another library ----------------------------------------------------------------


def test_a_cover_face_of_another_library_answers_like_a_missing_one(world: World) -> None:
    other_person = Person.objects.create(library=world.other_library, name="Bravo person")
    foreign = Face.objects.create(
        photo=Photo.objects.create(library=world.other_library),
        library=world.other_library,
        person=other_person,
        x=0.1,
        y=0.1,
        width=0.2,
        height=0.2,
    )
    missing = foreign.pk + 1000
    url = f"/api/people/{world.person_id}"
    owner = world.client("owner")

    answers = [_patch(owner, url, {"cover_face": face}) for face in (foreign.pk, missing)]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    # Refused as a whole: a name sent with it does not change either.
    renamed = _patch(owner, url, {"name": "Renamed", "cover_face": foreign.pk})
    assert renamed.status_code == 404
    person = Person.objects.get(pk=world.person_id)
    assert person.name == "Secret person" and person.cover_face_id is None

    # A face the caller can see but that is not this person's is a bad value, as before.
    stranger = Face.objects.create(
        photo=world.photo, library=world.library, x=0.5, y=0.5, width=0.1, height=0.1
    )
    wrong = _patch(owner, url, {"cover_face": stranger.pk})
    assert wrong.status_code == 400
    assert _patch(owner, url, {"cover_face": world.face_id}).json()["cover_face"] == world.face_id
