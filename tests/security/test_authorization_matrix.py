"""Every route of the committed OpenAPI file, called as each kind of person, against a table.

The table classifies every operationId; an operation missing from it fails the test, so a new
endpoint cannot ship unclassified. Roles: ``anonymous``; ``outsider`` (owner of another
library); ``viewer`` (viewer of the library under attack, and of its album); ``owner`` (owner of
that library, its album and its share link); ``admin`` (an administrator who is not a member of
the library). Requests carry an empty JSON body where one is expected: "allowed" means the
answer is not 401/403/404 and not a server error (a 400 for the empty body is allowed); "denied"
means 401 for anonymous callers, 403 or 404 for everyone else. Whatever an outsider is allowed
to call must not mention the library's name or its file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client

import photonix
from tests.security.conftest import ROLES, SECRET_FILE, SECRET_LIBRARY, World

OPENAPI = Path(photonix.__file__).parent / "api" / "openapi.yaml"
A, D, N = "allow", "deny", "no effect"

# Who may call what, by kind of operation (in the order of ROLES).
CLASSES: dict[str, tuple[str, ...]] = {
    # Anyone: sign-in, session, health; anonymous by design.
    "public": (A, A, A, A, A),
    # Public share links: anyone holding the token (the token is the credential).
    "share": (A, A, A, A, A),
    # Any signed-in person; lists are scoped to what they may see (leak-checked for outsiders).
    "signed_in": (D, A, A, A, A),
    # Administrators only.
    "admin": (D, D, D, D, A),
    # Members of the library (any role). The admin is not a member: libraries are private.
    "member": (D, D, A, A, D),
    # Members who may change photos, tags or albums (editor, owner): a viewer is refused.
    "editor": (D, D, D, A, D),
    # The library's owner. (An administrator who is not a member does not see the library at all.)
    "owner": (D, D, D, A, D),
    # Bulk changes naming photos in the body: photos the caller may not change are skipped, so
    # an outsider's call succeeds and changes nothing; a viewer is refused.
    "editor_bulk": (D, N, D, A, N),
}

TABLE: dict[str, str] = {
    # core
    "health": "public",
    "auth_session": "public",
    "auth_login": "public",
    "auth_logout": "public",
    "setup_create": "public",
    "auth_password_change": "signed_in",
    "users_list": "admin",
    "users_create": "admin",
    "users_retrieve": "admin",
    "users_update": "admin",
    "users_set_password": "admin",
    "tokens_list": "signed_in",
    "tokens_create": "signed_in",
    "tokens_revoke": "signed_in",
    # library
    "libraries_list": "signed_in",
    "libraries_create": "admin",
    "server_folders": "admin",
    "classifiers_list": "signed_in",
    "libraries_retrieve": "member",
    "libraries_scan": "owner",
    "libraries_members_list": "member",
    "libraries_members_add": "owner",
    "libraries_members_update": "owner",
    "libraries_members_remove": "owner",
    "libraries_errors": "member",
    "photos_list": "signed_in",
    "photos_retrieve": "member",
    "photos_update": "editor",
    "photos_bulk": "editor_bulk",
    "photos_preferred": "editor",
    "files_metadata": "member",
    "files_original": "member",
    "photos_thumbnail": "member",
    "timeline": "signed_in",
    "timeline_months": "signed_in",
    "timeline_facets": "signed_in",
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
    # albums (album membership: the viewer is a viewer of the album)
    "albums_list": "signed_in",
    "albums_create": "signed_in",
    "albums_retrieve": "member",
    "albums_update": "editor",
    "albums_destroy": "editor",
    "albums_photos": "member",
    "albums_photos_add": "editor",
    "albums_photos_remove": "editor",
    "albums_reorder": "editor",
    "albums_members": "member",
    "albums_members_set": "editor",
    "albums_members_update": "editor",
    "albums_members_remove": "editor",
    "albums_candidates": "editor",
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
    # share links: managing them needs the library; opening them only the token
    "shares_list": "signed_in",
    "shares_create": "editor",
    "shares_retrieve": "editor",
    "shares_update": "editor",
    "shares_revoke": "editor",
    "share_info": "share",
    "share_photos": "share",
    "share_photo": "share",
    "share_thumbnail": "share",
    "share_original": "share",
    "share_unlock": "share",
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


def _url(path: str, role: str, world: World) -> str:
    values: dict[str, Any] = {
        "library_id": world.library.pk,
        "photo_id": world.photo.pk,
        "file_id": world.file.pk,
        "tag_id": world.tag.pk,
        "event_id": world.event.pk,
        "job_id": world.job.pk,
        "album_id": world.album.pk,
        "share_id": world.share.pk,
        # Album members: someone else's membership (a member may always leave an album).
        # Library members: the viewer's membership (the owner may change or remove it).
        "user_id": world.users["owner" if path.startswith("/api/albums/") else "viewer"].pk,
        "token": world.share_token,
        "token_id": world.tokens["owner" if role == "anonymous" else role][0],
        "size": "preview",
        "person_id": world.person_id,
        "face_id": world.face_id,
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"no value for path parameter {name!r} in {path}"
        return str(values[name])

    return re.sub(r"\{(\w+)\}", fill, path)


def body_for(operation: str, world: World) -> dict[str, Any]:
    """A valid body for operations that name their target in the body rather than the path:
    with an empty body they would answer 400 before any permission is checked."""
    bodies: dict[str, dict[str, Any]] = {
        "photos_bulk": {"ids": [world.photo.pk], "action": "hide"},
        "albums_create": {"library": world.library.pk, "name": "Mine now"},
        "albums_photos_add": {"ids": [world.photo.pk]},
        "albums_photos_remove": {"ids": [world.photo.pk]},
        "shares_create": {"album": world.album.pk},
    }
    return bodies.get(operation, {})


def call(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    if method in ("post", "put", "patch"):
        return getattr(client, method)(url, body or {}, content_type="application/json")
    return getattr(client, method)(url)


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("operation", "method", "path"), OPERATIONS, ids=[o[0] for o in OPERATIONS]
)
def test_authorization(world: World, role: str, operation: str, method: str, path: str) -> None:
    if operation not in TABLE:
        pytest.fail(f"{operation} is not classified (see test_every_operation_is_classified)")
    expected = CLASSES[TABLE[operation]][ROLES.index(role)]
    response = call(world.client(role), method, _url(path, role, world), body_for(operation, world))
    code = response.status_code
    where = f"{method.upper()} {path} as {role}"
    # The health check answers 503 when a part is down (no worker runs in these tests).
    assert code < 500 or (operation == "health" and code == 503), f"{where}: server error {code}"
    if expected == D:
        allowed = (401,) if role == "anonymous" else (403, 404)
        assert code in allowed, (
            f"{where}: expected {allowed}, got {code}: {_body(response)[:300]!r}"
        )
    else:
        assert code not in (401, 403, 404), (
            f"{where}: expected allowed, got {code}: {_body(response)[:300]!r}"
        )
    if role == "outsider" and TABLE[operation] != "share" and code < 300:
        body = _body(response)
        for secret in (SECRET_LIBRARY, SECRET_FILE, "secret-cat", "Secret album", "Secret person"):
            assert secret.encode() not in body, f"{where}: the answer mentions {secret!r}"


@pytest.mark.parametrize("size", ["grid", "preview"])
@pytest.mark.parametrize("role", ROLES)
def test_thumbnails_and_originals(world: World, role: str, size: str) -> None:
    """The same for every file URL: thumbnail, preview and original."""
    urls = [
        f"/api/photos/{world.photo.pk}/thumbnail/{size}",
        f"/api/photos/{world.photo.pk}/thumbnail/{size}?v=1",
        f"/api/files/{world.file.pk}/original",
    ]
    for url in urls:
        response = world.client(role).get(url)
        if role in ("viewer", "owner"):
            assert response.status_code == 200, url
            assert _body(response)
        elif role == "anonymous":
            assert response.status_code == 401, url
        else:  # an outsider and an administrator who is not a member see nothing
            assert response.status_code == 404, url


def test_bearer_token_is_checked_like_a_session(world: World) -> None:
    """An API token carries exactly its owner's rights."""
    for role in ("outsider", "viewer", "owner"):
        raw = world.tokens[role][1]
        response = Client().get(
            f"/api/libraries/{world.library.pk}", headers={"Authorization": f"Bearer {raw}"}
        )
        assert response.status_code == (200 if role in ("viewer", "owner") else 404), role
