"""Values at and past the edges of what the database and Python can hold: ids larger than a
bigint, the last representable date, NUL bytes in paths, deeply nested JSON. Each is bad input,
answered 400 with a JSON body that says what is wrong, never a server error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import photonix
from tests.security.conftest import World

OPENAPI = Path(photonix.__file__).parent / "api" / "openapi.yaml"

HUGE = 99999999999999999999  # 20 digits: past a 64-bit integer
PAST_BIGINT = 2**63  # 9223372036854775808: one past the largest bigint


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _assert_bad_request(response: Any) -> None:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict) and body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/timeline", "/api/timeline/months", "/api/timeline/facets", "/api/map"]
)
def test_the_last_date_is_refused_by_every_photo_list(world: World, path: str) -> None:
    response = world.client("owner").get(path, {"date_to": "9999-12-31"})
    _assert_bad_request(response)
    assert "date_to" in response.json()


@pytest.mark.django_db
def test_an_earlier_date_to_still_filters(world: World) -> None:
    response = world.client("owner").get("/api/timeline/months", {"date_to": "9998-12-31"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/timeline", {"place": str(HUGE)}),
        ("/api/timeline/facets", {"place": str(HUGE)}),
        ("/api/photos", {"library": str(PAST_BIGINT)}),
        ("/api/photos", {"library": "²"}),
        ("/api/albums", {"photo": str(HUGE)}),
        ("/api/albums", {"library": str(HUGE)}),
        ("/api/albums", {"library": "²"}),
        ("/api/shares", {"album": str(HUGE)}),
    ],
)
def test_an_id_past_the_largest_is_refused_in_a_query(
    world: World, path: str, params: dict[str, str]
) -> None:
    response = world.client("owner").get(path, params)
    _assert_bad_request(response)
    assert next(iter(params)) in response.json()


@pytest.mark.django_db
def test_the_largest_id_is_still_an_id(world: World) -> None:
    response = world.client("owner").get("/api/albums", {"photo": str(PAST_BIGINT - 1)})
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.django_db
def test_an_album_cover_past_the_largest_id_is_refused(world: World) -> None:
    response = world.client("owner").patch(
        f"/api/albums/{world.album.pk}",
        json.dumps({"cover_id": HUGE}),
        content_type="application/json",
    )
    _assert_bad_request(response)
    assert "cover_id" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["move", "before"])
def test_a_reorder_past_the_largest_id_is_refused(world: World, key: str) -> None:
    body = {"move": world.photo.pk, "before": None, key: HUGE}
    response = world.client("owner").post(
        f"/api/albums/{world.album.pk}/reorder", json.dumps(body), content_type="application/json"
    )
    _assert_bad_request(response)
    assert key in response.json()


@pytest.mark.django_db
def test_a_share_of_a_photo_past_the_largest_id_is_refused(world: World) -> None:
    response = world.client("owner").post(
        "/api/shares", json.dumps({"photo_ids": [HUGE]}), content_type="application/json"
    )
    _assert_bad_request(response)
    assert "photo_ids" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/albums", "/api/shares", "/api/auth/login"])
def test_deeply_nested_json_is_refused(world: World, path: str) -> None:
    response = world.client("owner").post(path, _deep(100_000), content_type="application/json")
    _assert_bad_request(response)


@pytest.mark.django_db
def test_json_nested_as_deep_as_allowed_is_still_read(world: World) -> None:
    body = {"library": world.library.pk, "name": "Nested", "description": _deep(200)}
    response = world.client("owner").post(
        "/api/albums", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content[:300]


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["/etc\x00", "/\x00/etc"])
def test_a_server_folder_with_a_nul_byte_is_refused(world: World, raw: str) -> None:
    response = world.client("admin").get("/api/server/folders", {"path": raw})
    _assert_bad_request(response)


def _operations_with_a_body() -> list[tuple[str, str]]:
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    return [
        (method, path)
        for path, item in spec["paths"].items()
        for method in ("post", "put", "patch")
        if method in item and "requestBody" in item[method]
    ]


@pytest.mark.django_db
def test_no_operation_fails_on_deeply_nested_json(world: World) -> None:
    """Every operation that reads a body, as an administrator who owns the library and album:
    a body nested 100,000 levels deep is refused (400), or the request is refused before its
    body is read — never a server error."""
    world.library.members.create(user=world.users["admin"], role="owner")
    values = {**world.path_values(), "token_id": world.tokens["admin"][0]}
    client = world.client("admin")
    operations = _operations_with_a_body()
    assert len(operations) > 20
    body = _deep(100_000)
    for method, path in operations:
        url = path.format(**values)
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code < 500, f"{method.upper()} {url}"
        if response.status_code == 400:
            _assert_bad_request(response)
