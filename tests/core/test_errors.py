"""Domain errors as HTTP answers: one category each (invalid 400, forbidden 403, not found 404,
conflict 409, unavailable 503), ``{"detail": message}`` or ``{field: [message]}``.

The first tests drive the exception handler through a DRF view of their own; the others pin the
exact answers (status and body bytes) of the endpoints whose domain errors the handler answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.test import Client, override_settings
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from photonix.albums import services as album_services
from photonix.albums.models import AlbumMember
from photonix.core.errors import Category, PhotonixError
from photonix.core.models import User
from photonix.faces.models import Person
from photonix.library.members import LAST_OWNER
from photonix.library.models import Library, LibraryMember, Photo, PhotoFile
from photonix.library.services import library_add
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

STRONG = "correct horse battery staple"


# The handler, through a view of this test ---------------------------------------------------


class _InvalidError(PhotonixError, ValueError):
    pass


class _ForbiddenError(PhotonixError):
    category = Category.FORBIDDEN


class _MissingError(PhotonixError):
    category = Category.NOT_FOUND


class _ConflictError(PhotonixError):
    category = Category.CONFLICT
    default_message = "It changed meanwhile."


class _UnavailableError(PhotonixError):
    category = Category.UNAVAILABLE


class _RaisingView(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()
    errors: ClassVar[dict[str, Exception]] = {
        "invalid": _InvalidError("That will not do."),
        "forbidden": _ForbiddenError("Not for you."),
        "missing": _MissingError("No such thing."),
        "conflict": _ConflictError(),
        "unavailable": _UnavailableError("Try again later."),
        "field": _InvalidError("Too long.", field="name"),
        "plain": ValueError("not ours"),
        "drf": NotFound(),
    }

    def get(self, request: Request, which: str) -> Response:
        raise self.errors[which]


def _ask(which: str) -> Any:
    response = _RaisingView.as_view()(APIRequestFactory().get(f"/{which}"), which=which)
    return response.render()


@pytest.mark.parametrize(
    ("which", "code", "body"),
    [
        ("invalid", 400, {"detail": "That will not do."}),
        ("forbidden", 403, {"detail": "Not for you."}),
        ("missing", 404, {"detail": "No such thing."}),
        ("conflict", 409, {"detail": "It changed meanwhile."}),
        ("unavailable", 503, {"detail": "Try again later."}),
        ("field", 400, {"name": ["Too long."]}),
        ("drf", 404, {"detail": "Not found."}),
    ],
)
def test_each_category_has_its_status_and_body(which: str, code: int, body: Any) -> None:
    response = _ask(which)
    assert response.status_code == code
    assert json.loads(response.content) == body


def test_other_exceptions_are_not_answered() -> None:
    with pytest.raises(ValueError, match="not ours"):
        _ask("plain")


def test_a_domain_error_keeps_its_message_and_other_base() -> None:
    error = _InvalidError("That will not do.", field="name")
    assert isinstance(error, ValueError)
    assert str(error) == "That will not do."
    assert error.field == "name"
    assert _ConflictError().message == str(_ConflictError()) == "It changed meanwhile."
    assert Category.INVALID.status == status.HTTP_400_BAD_REQUEST


# The answers of real endpoints ----------------------------------------------------------------


def _signed_in(user: User) -> Client:
    return sign_in(Client(), user)


def _json(body: Any) -> bytes:
    """The bytes DRF's JSON renderer writes for ``body``."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _answers(response: Any, code: int, body: Any) -> None:
    assert (response.status_code, response.content) == (code, _json(body))


def _photo(library: Library) -> Photo:
    """A photo people can see: it has a recorded file."""
    folder = library.folders.get()
    photo = Photo.objects.create(library=library)
    photo.preferred_file = PhotoFile.objects.create(
        library=library,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/{photo.pk}.jpg",
        kind=PhotoFile.Kind.PHOTO,
        state=PhotoFile.State.OK,
        size=1,
        mtime_ns=1,
    )
    photo.save(update_fields=["preferred_file"])
    return photo


@pytest.fixture
def admin() -> User:
    return User.objects.create_superuser("root", password=STRONG)


@pytest.fixture
def home(tmp_path: Path, admin: User) -> Library:
    (tmp_path / "home").mkdir()
    library, _ = library_add("Home", [str(tmp_path / "home")], owner=admin, scan=False)
    return library


def test_library_errors(tmp_path: Path, admin: User, home: Library) -> None:
    client = _signed_in(admin)
    missing = str(tmp_path / "nowhere")
    _answers(
        client.post("/api/libraries", {"name": "New", "folders": [missing]}, "application/json"),
        400,
        {"detail": f"{missing}: not a folder (it does not exist or is a file)"},
    )
    _answers(
        client.get("/api/server/folders", {"path": "relative"}),
        400,
        {"detail": "relative: use an absolute path (one that starts with /)"},
    )
    Library.objects.create(name="Work")
    _answers(
        client.patch(f"/api/libraries/{home.pk}", {"name": "work"}, "application/json"),
        400,
        {"name": ["another library is already called 'Work'"]},
    )
    _answers(
        client.post(f"/api/libraries/{home.pk}/folders", {"path": "rel"}, "application/json"),
        400,
        {"path": ["rel: use an absolute path (one that starts with /)"]},
    )
    _answers(
        client.post(f"/api/libraries/{home.pk}/folders", {"path": missing}, "application/json"),
        400,
        {"path": [f"{missing}: not a folder (it does not exist or is a file)"]},
    )


def test_last_owner_errors(admin: User, home: Library) -> None:
    client = _signed_in(admin)
    members = f"/api/libraries/{home.pk}/members"
    _answers(
        client.post(members, {"username": "root", "role": "viewer"}, "application/json"),
        400,
        {"role": [LAST_OWNER]},
    )
    _answers(
        client.patch(f"{members}/{admin.pk}", {"role": "viewer"}, "application/json"),
        400,
        {"role": [LAST_OWNER]},
    )
    _answers(client.delete(f"{members}/{admin.pk}"), 400, {"user": [LAST_OWNER]})


def test_cursor_and_stage_errors(admin: User, home: Library) -> None:
    client = _signed_in(admin)
    _answers(
        client.get("/api/timeline", {"cursor": "!!"}),
        400,
        {"cursor": ["not a cursor this server gave out"]},
    )
    _answers(
        client.post("/api/pipeline/process-missing", {"stage": "nope"}, "application/json"),
        400,
        {
            "stage": [
                "unknown stage 'nope': choose develop_raw, thumbnails, classify or "
                "classify:<classifier name>"
            ]
        },
    )


def test_account_errors(admin: User) -> None:
    _answers(
        Client().post("/api/setup", {"username": "eve", "password": STRONG}, "application/json"),
        409,
        {"detail": "Photonix is already set up; sign in instead."},
    )
    client = _signed_in(admin)
    _answers(
        client.patch(f"/api/users/{admin.pk}", {"is_active": False}, "application/json"),
        400,
        {"detail": "You cannot disable your own account or remove your own admin role."},
    )
    _answers(
        client.post(
            "/api/auth/password",
            {"old_password": "wrong", "new_password": STRONG + "!"},
            "application/json",
        ),
        400,
        {"old_password": ["Your current password is not this one."]},
    )


def test_face_errors(admin: User, home: Library) -> None:
    person = Person.objects.create(library=home, name="Ann")
    _answers(
        _signed_in(admin).post(
            f"/api/people/{person.pk}/merge", {"person": person.pk}, "application/json"
        ),
        400,
        {"detail": "a person cannot be merged with itself"},
    )


def test_album_errors(admin: User, home: Library) -> None:
    viewer = User.objects.create_user("vic", password=STRONG)
    LibraryMember.objects.create(library=home, user=viewer, role=LibraryMember.Role.VIEWER)
    photo = _photo(home)
    album = album_services.album_create(admin, home, "Trip", photo_ids=[photo.pk])
    album_services.album_member_set(album, viewer, AlbumMember.Role.VIEWER)
    owner, guest = _signed_in(admin), _signed_in(viewer)
    reorder = f"/api/albums/{album.pk}/reorder"
    _answers(
        guest.patch(f"/api/albums/{album.pk}", {"name": "Mine"}, "application/json"),
        403,
        {"detail": "Your role in this album does not allow that."},
    )
    _answers(
        owner.post(reorder, {"ids": [photo.pk, photo.pk]}, "application/json"),
        400,
        {"detail": "The list names a photo twice."},
    )
    _answers(
        owner.post(reorder, {"ids": [photo.pk + 1]}, "application/json"),
        409,
        {"detail": "The album's photos changed; reload it and try again."},
    )
    own = album_services.album_create(viewer, home, "Mine")
    _answers(
        guest.post("/api/shares", {"album": own.pk}, "application/json"),
        403,
        {"detail": "Your role in this library does not allow sharing its photos by link."},
    )


def test_photo_role_errors(admin: User, home: Library) -> None:
    viewer = User.objects.create_user("vic", password=STRONG)
    LibraryMember.objects.create(library=home, user=viewer, role=LibraryMember.Role.VIEWER)
    photo = _photo(home)
    guest = _signed_in(viewer)
    _answers(
        guest.patch(f"/api/photos/{photo.pk}", {"rating": 3}, "application/json"),
        403,
        {"detail": "Your role in this library does not allow changing its photos."},
    )
    _answers(
        guest.post(f"/api/photos/{photo.pk}/tags", {"type": "G", "name": "x"}, "application/json"),
        403,
        {"detail": "Your role in this library does not allow this."},
    )
    _answers(
        guest.post(f"/api/libraries/{home.pk}/events", {}, "application/json"),
        403,
        {"detail": "Your role in this library does not allow this."},
    )


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shares": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }
)
def test_share_passwords_unchecked_without_counters(admin: User, home: Library) -> None:
    photo = _photo(home)
    _, token = album_services.share_create(admin, photo_ids=[photo.pk], password="open sesame")
    _answers(
        Client().post(f"/api/share/{token}/unlock", {"password": "x"}, "application/json"),
        503,
        {"detail": "Passwords cannot be checked right now; try again later."},
    )
