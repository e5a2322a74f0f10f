"""Library members: owners decide who belongs and with which role; a library keeps an owner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from photonix.core.models import User
from photonix.library.models import LibraryMember
from photonix.library.services import library_add
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tmp_path: Path) -> dict[str, Any]:
    users: dict[str, Any] = {
        name: User.objects.create_user(name, password="x" * 16) for name in ("ann", "bob")
    }
    users["library"], _ = library_add("Home", [str(tmp_path)], owner=users["ann"], scan=False)
    return users


def _as(client: Client, user: User) -> Client:
    return sign_in(client, user)


def test_owner_adds_changes_and_removes_a_member(client: Client, people: dict[str, Any]) -> None:
    library = people["library"]
    url = f"/api/libraries/{library.pk}/members"
    owner = _as(client, people["ann"])
    added = owner.post(url, {"username": "bob", "role": "viewer"}, content_type="application/json")
    assert added.status_code == 201
    assert {m["username"]: m["role"] for m in added.json()} == {"ann": "owner", "bob": "viewer"}

    bob = people["bob"]
    changed = owner.patch(f"{url}/{bob.pk}", {"role": "editor"}, content_type="application/json")
    assert changed.status_code == 200
    assert LibraryMember.objects.get(library=library, user=bob).role == "editor"

    assert owner.delete(f"{url}/{bob.pk}").status_code == 204
    assert not LibraryMember.objects.filter(library=library, user=bob).exists()


def test_members_see_but_only_owners_change(client: Client, people: dict[str, Any]) -> None:
    library = people["library"]
    LibraryMember.objects.create(library=library, user=people["bob"], role="editor")
    url = f"/api/libraries/{library.pk}/members"
    editor = _as(client, people["bob"])
    assert editor.get(url).status_code == 200
    answer = editor.post(url, {"username": "bob", "role": "owner"}, content_type="application/json")
    assert answer.status_code == 403
    assert LibraryMember.objects.get(library=library, user=people["bob"]).role == "editor"


def test_the_last_owner_stays(client: Client, people: dict[str, Any]) -> None:
    library, ann = people["library"], people["ann"]
    url = f"/api/libraries/{library.pk}/members/{ann.pk}"
    owner = _as(client, ann)
    demote = owner.patch(url, {"role": "viewer"}, content_type="application/json")
    assert demote.status_code == 400
    assert "at least one owner" in str(demote.json())
    assert owner.delete(url).status_code == 400
    assert LibraryMember.objects.get(library=library, user=ann).role == "owner"


def test_unknown_user_and_strangers(client: Client, people: dict[str, Any]) -> None:
    library = people["library"]
    url = f"/api/libraries/{library.pk}/members"
    owner = _as(client, people["ann"])
    unknown = owner.post(
        url, {"username": "nobody", "role": "viewer"}, content_type="application/json"
    )
    assert unknown.status_code == 400
    stranger = _as(Client(), people["bob"])
    assert stranger.get(url).status_code == 404
