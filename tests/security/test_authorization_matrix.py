"""Every route of the committed OpenAPI file, called as each kind of person, against a table.

The table classifies every operationId; an operation missing from it fails the test, so a new
endpoint cannot ship unclassified. Roles: ``anonymous``; ``outsider`` (owner of another
library); ``viewer``, ``editor`` (of the library under attack, and with the same role in its
album); ``owner`` (owner of that library, its album and its share link); ``admin`` (an
administrator who is not a member of the library); ``admin_viewer`` (an administrator who is a
viewer of the library and of its album: inside the library their role governs what they may do
to photos, while managing the library stays theirs as administrators — docs/accounts.md, ADR 7).

Each cell is exact: the status a role gets, or ``OK`` — a 2xx status, the call succeeded. Every
request carries a valid body (``BODIES``), so an allowed call must succeed, not merely get past
the permission check. Denials are exact too: 401 for anonymous callers, 404 where the caller may
not know the thing exists (not a member), 403 where they may see it but not do this. Whatever an
outsider is allowed to call must not mention the library's name or its file.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.cache import cache
from django.test import Client

import photonix
from photonix.albums import services as album_services
from photonix.conf import OidcConfig
from photonix.core import services as core_services
from photonix.core.models import User
from photonix.faces.models import Person
from photonix.library.models import LibraryMember, Photo
from photonix.urls import urlpatterns
from tests.security.conftest import FIXTURE, SECRET_FILE, SECRET_LIBRARY, World
from tests.security.conftest import ROLES as WORLD_ROLES

OPENAPI = Path(photonix.__file__).parent / "api" / "openapi.yaml"
PASSWORD = "correct horse battery staple"
OK = "2xx"
Cell = int | str
ROLES = (*WORLD_ROLES, "admin_viewer")

# Who may call what, by kind of operation, in the order of ROLES:
#            anonymous outsider viewer editor owner admin admin_viewer
CLASSES: dict[str, tuple[Cell, ...]] = {
    # Anyone: sign-in, session, health; anonymous by design.
    "public": (OK, OK, OK, OK, OK, OK, OK),
    # Public share links: anyone holding the token (the token is the credential).
    "share": (OK, OK, OK, OK, OK, OK, OK),
    # Any signed-in person; lists are scoped to what they may see (leak-checked for outsiders).
    "signed_in": (401, OK, OK, OK, OK, OK, OK),
    # Administrators only.
    "admin": (401, 403, 403, 403, 403, OK, OK),
    # Members of the library (any role). The admin is not a member: libraries are private.
    "member": (401, 404, OK, OK, OK, 404, OK),
    # Members who may change photos, tags, people, albums and shares: a viewer is refused, an
    # administrator who is a viewer too (their role governs inside the library).
    "editor": (401, 404, 403, OK, OK, 404, 403),
    # Managing the library (name, folders, members, scans, classifiers, dates): its owners, and
    # administrators who are members whatever their role. (An administrator who is not a
    # member does not see the library.)
    "owner": (401, 404, 403, 403, OK, 404, OK),
    # Bulk changes naming photos in the body: photos the caller may not see are skipped, so
    # an outsider's or a non-member admin's call succeeds and changes nothing (checked).
    "editor_bulk": (401, OK, 403, OK, OK, OK, 403),
    # Albums go by the album's roles (docs/albums.md): its viewers see it, its editors change
    # its photos, its owners delete it and choose its members; anyone else gets 404.
    "album_member": (401, 404, OK, OK, OK, 404, OK),
    "album_editor": (401, 404, 403, OK, OK, 404, 403),
    "album_owner": (401, 404, 403, 403, OK, 404, 403),
    # A share link is seen only by its creator, its album's owners and the library's owners:
    # to anyone else it does not exist.
    "share_manager": (401, 404, 404, 404, OK, 404, 404),
    # Adding a server folder to a library: an administrator who is a member (made one for
    # this test); its owners who are not administrators are refused.
    "admin_member": (401, 404, 403, 403, 403, OK, OK),
    # A resumable upload is seen only by whoever started it (the library's owner, here): to
    # anyone else it does not exist.
    "uploader": (401, 404, 404, 404, OK, 404, 404),
}

TABLE: dict[str, str] = {
    # core
    "health": "public",
    "auth_session": "public",
    "auth_login": "public",
    "auth_logout": "public",
    "setup_create": "public",
    "auth_password_change": "signed_in",
    "auth_confirm_password": "signed_in",
    "users_list": "admin",
    "users_create": "admin",
    "users_retrieve": "admin",
    "users_update": "admin",
    "users_set_password": "admin",
    "settings_map": "admin",
    "settings_map_update": "admin",
    "tokens_list": "signed_in",
    "tokens_create": "signed_in",
    "tokens_revoke": "signed_in",
    # library
    "libraries_list": "signed_in",
    "libraries_create": "admin",
    "server_folders": "admin",
    "classifiers_list": "signed_in",
    "libraries_retrieve": "member",
    "libraries_update": "owner",
    "libraries_folders_add": "admin_member",
    "libraries_folders_update": "owner",
    "libraries_folders_remove": "owner",
    "libraries_scan": "owner",
    "libraries_members_list": "member",
    "libraries_members_add": "owner",
    "libraries_members_update": "owner",
    "libraries_members_remove": "owner",
    "libraries_errors": "member",
    "libraries_upload": "editor",
    "libraries_upload_check": "member",
    "uploads_tus_create": "editor",
    "uploads_tus_append": "uploader",
    "uploads_tus_terminate": "uploader",
    "photos_list": "signed_in",
    "photos_retrieve": "member",
    "photos_update": "editor",
    "photos_bulk": "editor_bulk",
    # The trash: its size for anyone signed in (their own trash); restoring and emptying name
    # photos in the body like a bulk change (photos the caller may not see are skipped).
    "trash_status": "signed_in",
    "trash_restore": "editor_bulk",
    "trash_empty": "editor_bulk",
    "photos_preferred": "editor",
    "files_metadata": "member",
    "files_original": "member",
    "photos_thumbnail": "member",
    "timeline": "signed_in",
    "duplicates_list": "signed_in",
    "stacks_create": "editor",
    "stacks_retrieve": "member",
    "stacks_delete": "editor",
    "timeline_months": "signed_in",
    "timeline_facets": "signed_in",
    "search": "signed_in",
    "search_suggest": "signed_in",
    "map_points": "signed_in",
    # classifiers
    "libraries_classifiers_get": "member",
    "libraries_classifiers_set": "owner",
    "libraries_events_list": "member",
    "libraries_events_create": "owner",
    "libraries_events_delete": "owner",
    "libraries_tags_list": "member",
    "photos_tags_list": "member",
    "photos_tags_add": "editor",
    "photos_tags_confirm": "editor",
    "photos_tags_reject": "editor",
    # pipeline
    "jobs_list": "admin",
    "jobs_summary": "signed_in",
    "jobs_retry": "admin",
    "jobs_retry_failed": "admin",
    "jobs_dismiss": "admin",
    "pipeline_process_missing": "admin",
    "pipeline_reprocess": "admin",
    "pipeline_queue_state": "admin",
    # albums (album roles: the viewer and the editor have the same role in the album)
    "albums_list": "signed_in",
    "albums_create": "signed_in",
    "albums_retrieve": "album_member",
    "albums_update": "album_editor",
    "albums_destroy": "album_owner",
    "albums_photos": "album_member",
    "albums_photos_add": "album_editor",
    "albums_photos_remove": "album_editor",
    "albums_reorder": "album_editor",
    "albums_members": "album_member",
    "albums_members_set": "album_owner",
    "albums_members_update": "album_owner",
    "albums_members_remove": "album_owner",
    "albums_candidates": "album_owner",
    # faces and people
    "people_list": "member",
    "people_retrieve": "member",
    "people_update": "editor",
    "people_merge": "editor",
    "people_faces": "member",
    "people_photos": "member",
    "photos_faces": "member",
    "faces_crop": "member",
    "faces_confirm": "editor",
    "faces_reject": "editor",
    "faces_move": "editor",
    "faces_remove": "editor",
    "faces_assign": "editor",
    "faces_ignore": "editor",
    "faces_suggestions": "member",
    "people_crop": "member",
    # Lists only the faces of the caller's own libraries (?library=another answers an empty list).
    "faces_list": "signed_in",
    # share links: managing them needs the library; opening them only the token
    "shares_list": "signed_in",
    "shares_create": "album_owner",
    "shares_retrieve": "share_manager",
    "shares_update": "share_manager",
    "shares_revoke": "share_manager",
    "share_info": "share",
    "share_photos": "share",
    "share_photo": "share",
    "share_thumbnail": "share",
    "share_original": "share",
    "share_unlock": "share",
    "share_download": "share",
    # Zip downloads: asking names photos in the body (below); the zip of a ticket is read by
    # the ticket's user, with what they may see then (an outsider's holds nothing).
    "downloads_create": "member",
    "downloads_zip": "signed_in",
    # Smart search: its state for anyone signed in, turning it on for administrators; searches
    # by meaning are scoped to what the caller may see, similar photos need the photo.
    "smart_search_status": "signed_in",
    "smart_search_enable": "admin",
    "search_semantic": "signed_in",
    "photos_similar": "member",
}

METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> list[tuple[str, str, str]]:
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    found = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                found.append((item[method]["operationId"], method, path))
    return sorted(found)


OPERATIONS = operations()


def test_every_operation_is_classified() -> None:
    ids = {op for op, _, _ in OPERATIONS}
    missing = sorted(ids - TABLE.keys())
    assert not missing, (
        f"operations with no entry in the authorization table: {missing}. Classify them in "
        "tests/security/test_authorization_matrix.py (who may call them?)."
    )
    stale = sorted(TABLE.keys() - ids)
    assert not stale, f"table entries for operations that no longer exist: {stale}"
    assert set(TABLE.values()) <= CLASSES.keys()


# Operations whose answer is the same for everyone but is not a success, with the reason.
EXACT: dict[str, tuple[Cell, ...]] = {
    # Set up already: it answers 409 "sign in instead" to anyone, signed in or not.
    "setup_create": (409,) * len(ROLES),
    # The library is named in the body: someone who is not a member of it is told it is not
    # one of theirs (400 on the field), like any other bad value.
    "albums_create": (401, 400, OK, OK, OK, 400, OK),
    # The album editor (the target) may leave the album: anyone may remove themselves.
    "albums_members_remove": (401, 404, 403, OK, OK, 404, 403),
    # The photos are named in the body: someone who may not see them is told so (400).
    "downloads_create": (401, 400, OK, OK, OK, 400, OK),
    # No model in these tests: who may see the photo is checked first (404 for the others),
    # then the members are told smart search is off (503).
    "photos_similar": (401, 404, 503, 503, 503, 404, 503),
    # Without a query anyone signed in is asked for one (the route is scoped, not gated).
    "search_semantic": (401, 400, 400, 400, 400, 400, 400),
}


def _admin_viewer(world: World) -> None:
    """Adds ``admin_viewer`` to the world: an administrator with the viewer role in the library
    and in its album, and an API token."""
    user = User.objects.create_user("amir", password=PASSWORD, is_superuser=True, is_staff=True)
    LibraryMember.objects.create(library=world.library, user=user, role="viewer")
    album_services.album_member_set(world.album, user, "viewer")
    world.users["admin_viewer"] = user
    api_token, raw = core_services.token_create(user, "admin_viewer script")
    world.tokens["admin_viewer"] = (api_token.pk, raw)


@pytest.fixture
def matrix_world(world: World) -> World:
    _admin_viewer(world)
    return world


def _url(path: str, role: str, world: World) -> str:
    values = world.path_values()
    # Album members: the album editor's membership; library members: the viewer's (the owners
    # may change or remove either).
    if path.startswith("/api/albums/"):
        values["user_id"] = world.users["editor"].pk
    values["token_id"] = world.tokens["owner" if role == "anonymous" else role][0]
    if "{key}" in path:
        values["key"] = _download_ticket(world, "owner" if role == "anonymous" else role)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"no value for path parameter {name!r} in {path}"
        return str(values[name])

    return re.sub(r"\{(\w+)\}", fill, path)


def _download_ticket(world: World, role: str) -> str:
    """A download of the library's photo asked for by ``role``'s user, as the API stores it."""
    key = f"matrix-{role}"
    ticket = {"user": world.users[role].pk, "version": "original", "name": "Photonix.zip"}
    cache.set(f"download:{key}", {**ticket, "photos": [world.photo.pk]}, 600)
    return key


def _other_person(world: World) -> int:
    return Person.objects.create(library=world.library, name="Another person").pk


# A valid body for every operation that takes one: an allowed call must succeed.
BODIES: dict[str, Callable[[World], dict[str, Any]]] = {
    "albums_create": lambda w: {"library": w.library.pk, "name": "Mine now"},
    "albums_update": lambda w: {"name": "Renamed album"},
    "albums_members_set": lambda w: {"user_id": w.users["editor"].pk, "role": "viewer"},
    "albums_members_update": lambda w: {"role": "viewer"},
    "albums_photos_add": lambda w: {"ids": [w.photo.pk]},
    "albums_photos_remove": lambda w: {"ids": [w.photo.pk]},
    "albums_reorder": lambda w: {"ids": [w.photo.pk]},
    "auth_login": lambda w: {"username": "olivia", "password": PASSWORD},
    "auth_confirm_password": lambda w: {"password": PASSWORD},
    "auth_password_change": lambda w: {
        "old_password": PASSWORD,
        "new_password": "another horse battery staple",
    },
    "downloads_create": lambda w: {"photos": [w.photo.pk]},
    "faces_move": lambda w: {"person": _other_person(w)},
    "faces_assign": lambda w: {"name": "Someone new"},
    "jobs_dismiss": lambda w: {"ids": [w.job.pk]},
    "jobs_retry_failed": lambda w: {},
    "libraries_create": lambda w: {"name": "Charlie", "folders": [str(w.spare_dir)]},
    "libraries_update": lambda w: {"name": "Renamed library"},
    "libraries_upload_check": lambda w: {"checksums": ["0" * 64]},
    "libraries_classifiers_set": lambda w: {"classifiers": [{"name": "colour", "enabled": False}]},
    "libraries_events_create": lambda w: {"name": "Party", "date": "2020-06-01"},
    "libraries_folders_add": lambda w: {"path": str(w.spare_dir)},
    "libraries_folders_update": lambda w: {"watched": False},
    "libraries_members_add": lambda w: {"username": "oscar", "role": "viewer"},
    "libraries_members_update": lambda w: {"role": "editor"},
    "people_update": lambda w: {"name": "Renamed person"},
    "people_merge": lambda w: {"person": _other_person(w)},
    "photos_update": lambda w: {"rating": 3},
    "photos_preferred": lambda w: {"file_id": w.file.pk},
    "photos_tags_add": lambda w: {"type": "object", "name": "dog"},
    "photos_bulk": lambda w: {"ids": [w.photo.pk], "action": "hide"},
    "trash_restore": lambda w: {"ids": [w.photo.pk]},
    "trash_empty": lambda w: {"ids": [w.photo.pk]},
    "stacks_create": lambda w: {"photos": [w.photo.pk, _second_photo(w).pk]},
    "pipeline_process_missing": lambda w: {},
    "pipeline_reprocess": lambda w: {"library": w.library.pk},
    "pipeline_queue_state": lambda w: {"queue": "media", "paused": False},
    "setup_create": lambda w: {"username": "mallory", "password": PASSWORD},
    "settings_map_update": lambda w: {
        "map_tile_url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "map_attribution": "© OpenStreetMap contributors",
    },
    "share_unlock": lambda w: {"password": "anything"},
    "shares_create": lambda w: {"album": w.album.pk},
    "shares_update": lambda w: {"label": "Renamed link"},
    "tokens_create": lambda w: {"name": "mine"},
    "users_create": lambda w: {"username": "newbie", "password": PASSWORD},
    "users_update": lambda w: {"email": "victor@example.org"},
    "users_set_password": lambda w: {"password": "another horse battery staple"},
}


# Bodies that are not JSON: the query string, the bytes and their content type.
RAW_BODIES: dict[str, tuple[str, bytes, str]] = {
    "libraries_upload": ("?filename=new.jpg", FIXTURE.read_bytes(), "application/octet-stream"),
    "uploads_tus_append": ("", b"x", "application/offset+octet-stream"),
}

TUS = {"Tus-Resumable": "1.0.0"}


def _tus_metadata(world: World) -> str:
    library = base64.b64encode(str(world.library.pk).encode()).decode()
    return f"library {library},filename {base64.b64encode(b'new.jpg').decode()}"


# Headers an operation needs to be a valid request (the tus protocol's).
HEADERS: dict[str, Callable[[World], dict[str, str]]] = {
    "uploads_tus_create": lambda w: {
        **TUS,
        "Upload-Length": "10",
        "Upload-Metadata": _tus_metadata(w),
    },
    "uploads_tus_append": lambda w: {**TUS, "Upload-Offset": "0"},
    "uploads_tus_terminate": lambda w: TUS,
}


def _admin_joins(world: World) -> None:
    LibraryMember.objects.create(library=world.library, user=world.users["admin"], role="viewer")


def _second_photo(world: World) -> Photo:
    """Another photo of the library, made the first time it is asked for (stacks)."""
    other = Photo.objects.filter(library=world.library).exclude(pk=world.photo.pk).first()
    if other is None:
        other = Photo.objects.create(
            library=world.library,
            taken_local=world.photo.taken_local,
            preferred_file=world.photo.preferred_file,
        )
    return other


def _stacked(world: World) -> None:
    """The library's photo is the cover of a stack of two."""
    Photo.objects.filter(pk=_second_photo(world).pk).update(stacked_under=world.photo)


# What must be true before the call for the table's answer to make sense.
SETUP: dict[str, Callable[[World], None]] = {
    "libraries_folders_add": _admin_joins,
    "stacks_retrieve": _stacked,
    "stacks_delete": _stacked,
}


def expected_for(operation: str, role: str) -> Cell:
    row = EXACT.get(operation) or CLASSES[TABLE[operation]]
    return row[ROLES.index(role)]


def call(
    client: Client,
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    *,
    raw: tuple[str, bytes, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    if raw is not None:
        query, data, content_type = raw
        return getattr(client, method)(
            url + query, data, content_type=content_type, headers=headers
        )
    if method in ("post", "put", "patch"):
        return getattr(client, method)(
            url, body or {}, content_type="application/json", headers=headers
        )
    return getattr(client, method)(url, headers=headers)


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_every_operation_with_a_body_has_one() -> None:
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    needing = {
        item[method]["operationId"]
        for item in spec["paths"].values()
        for method in METHODS
        if method in item and "requestBody" in item[method]
    }
    bodies = BODIES.keys() | RAW_BODIES.keys()
    missing = sorted(needing - bodies)
    assert not missing, f"operations that take a body but have none in BODIES: {missing}"
    assert not sorted(bodies - needing), "BODIES for operations that take none"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("operation", "method", "path"), OPERATIONS, ids=[o[0] for o in OPERATIONS]
)
def test_authorization(
    matrix_world: World, role: str, operation: str, method: str, path: str
) -> None:
    world = matrix_world
    if operation not in TABLE:
        pytest.fail(f"{operation} is not classified (see test_every_operation_is_classified)")
    expected = expected_for(operation, role)
    if operation in SETUP:
        SETUP[operation](world)
    body = BODIES[operation](world) if operation in BODIES else None
    headers = HEADERS[operation](world) if operation in HEADERS else None
    response = call(
        world.client(role),
        method,
        _url(path, role, world),
        body,
        raw=RAW_BODIES.get(operation),
        headers=headers,
    )
    code = response.status_code
    where = f"{method.upper()} {path} as {role}"
    # The health check answers 503 when a part is down (no worker runs in these tests).
    if operation == "health" and code == 503:
        code = 200
    got = f"got {code}: {_body(response)[:300]!r}"
    if expected == OK:
        assert 200 <= code < 300, f"{where}: expected a success, {got}"
    else:
        assert code == expected, f"{where}: expected {expected}, {got}"
    if operation == "photos_bulk" and role in ("outsider", "admin", "admin_viewer"):
        assert not Photo.objects.get(pk=world.photo.pk).hidden, f"{where} changed the photo"
    if role == "outsider" and TABLE[operation] != "share" and code < 300:
        answer = _body(response)
        for secret in (SECRET_LIBRARY, SECRET_FILE, "secret-cat", "Secret album", "Secret person"):
            assert secret.encode() not in answer, f"{where}: the answer mentions {secret!r}"


@pytest.mark.parametrize("size", ["grid", "preview"])
@pytest.mark.parametrize("role", ROLES)
def test_thumbnails_and_originals(matrix_world: World, role: str, size: str) -> None:
    """The same for every file URL: thumbnail, preview and original, exact per role."""
    world = matrix_world
    expected = {
        "anonymous": 401,
        "outsider": 404,
        "viewer": 200,
        "editor": 200,
        "owner": 200,
        "admin": 404,  # an administrator who is not a member sees nothing
        "admin_viewer": 200,
    }[role]
    urls = [
        f"/api/photos/{world.photo.pk}/thumbnail/{size}",
        f"/api/photos/{world.photo.pk}/thumbnail/{size}?v=1",
        f"/api/files/{world.file.pk}/original",
    ]
    for url in urls:
        response = world.client(role).get(url)
        assert response.status_code == expected, (url, response.status_code)
        if expected == 200:
            assert response["Content-Type"].startswith("image/"), url
            assert _body(response)


def test_bearer_token_is_checked_like_a_session(matrix_world: World) -> None:
    """An API token carries exactly its owner's rights."""
    world = matrix_world
    for role in ("outsider", "viewer", "editor", "owner", "admin", "admin_viewer"):
        raw = world.tokens[role][1]
        bearer = {"Authorization": f"Bearer {raw}"}
        response = Client().get(f"/api/libraries/{world.library.pk}", headers=bearer)
        expected = 200 if role in ("viewer", "editor", "owner", "admin_viewer") else 404
        assert response.status_code == expected, role
        rated = Client().patch(
            f"/api/photos/{world.photo.pk}",
            {"rating": 4},
            content_type="application/json",
            headers=bearer,
        )
        expected = {"editor": 200, "owner": 200, "viewer": 403, "admin_viewer": 403}.get(role, 404)
        assert rated.status_code == expected, role


# --- Routes outside the API -----------------------------------------------------------------
#
# Single sign-on's two routes are browser navigations, not API operations (no operationId): they
# answer redirects, never JSON. They are public by design — signing in starts there — and must
# answer every caller the same way: a redirect, to the provider or back to the login page with
# the reason, never an error page. A sign-in cannot complete here (no provider runs in these
# tests: the issuer is a closed port); tests/e2e/test_sso_flow.py signs in for real.
BROWSER_ROUTES: dict[str, str] = {
    "oidc-login": "public",
    "oidc-callback": "public",
    # The installable app's service worker and manifest: the built app's own static files
    # (tests/web/test_installable.py), the same for everyone.
    "service-worker": "public",
    "web-manifest": "public",
}
CLOSED_PORT_ISSUER = "http://127.0.0.1:9"


def test_every_browser_route_is_classified() -> None:
    names = {str(getattr(p, "name", None) or "") for p in urlpatterns} - {"spa", ""}
    assert names == BROWSER_ROUTES.keys(), (
        "routes outside /api/ must be classified in BROWSER_ROUTES (who may call them?)"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("configured", [True, False], ids=["sso", "no-sso"])
def test_browser_routes_answer_everyone_with_a_redirect(
    matrix_world: World, role: str, configured: bool, settings: Any
) -> None:
    settings.PHOTONIX_OIDC = OidcConfig(
        issuer=CLOSED_PORT_ISSUER if configured else "", client_id="c", client_secret="s"
    )
    client = matrix_world.client(role)
    expected = "unavailable" if configured else "not_configured"
    login = client.get("/auth/oidc/login?next=/albums")
    assert (login.status_code, login["Location"]) == (302, f"/login?sso_error={expected}")
    assert login["Cache-Control"].startswith("max-age=0")
    # A callback nobody started (a forged or replayed state) changes nobody's session.
    before = client.get("/api/auth/session").json()["user"]
    callback = client.get("/auth/oidc/callback?state=forged&code=stolen")
    expected = "state" if configured else "not_configured"
    assert (callback.status_code, callback["Location"]) == (302, f"/login?sso_error={expected}")
    assert client.get("/api/auth/session").json()["user"] == before
    assert client.post("/auth/oidc/callback").status_code == 405
