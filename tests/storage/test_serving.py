"""Serving files: never one outside its root, with ETags that answer 304."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.http import FileResponse, Http404
from django.test import RequestFactory

from photonix.storage.derived import thumbnail_path, thumbnails_root, write_atomically
from photonix.storage.serving import (
    contained_path,
    file_response,
    not_modified,
    thumbnail_file,
    thumbnail_response,
)

SECRET = b"not a thumbnail"


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return Path(settings.DATA_DIR)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.jpg"
    secret.parent.mkdir()
    secret.write_bytes(SECRET)
    return secret


def test_a_file_inside_its_root_is_served(data_dir: Path) -> None:
    path = thumbnail_path(1, "grid", 1)
    write_atomically(path, b"jpeg bytes")
    assert contained_path(path, thumbnails_root()) == path.resolve()
    assert thumbnail_file(1, "grid", 1) == path.resolve()
    request = RequestFactory().get("/")
    response = thumbnail_response(request, 1, "grid", 1, etag='"t1"', cache="private, no-cache")
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == b"jpeg bytes"  # type: ignore[arg-type]
    response.close()
    assert response["Content-Type"] == "image/jpeg"
    assert response["ETag"] == '"t1"' and response["Cache-Control"] == "private, no-cache"


def test_a_symlink_escaping_the_root_is_refused(data_dir: Path, outside: Path) -> None:
    path = thumbnail_path(2, "preview", 1)
    path.parent.mkdir(parents=True)
    path.symlink_to(outside)
    with pytest.raises(Http404):
        contained_path(path, thumbnails_root())
    with pytest.raises(Http404):
        thumbnail_file(2, "preview", 1)
    request = RequestFactory().get("/")
    with pytest.raises(Http404):
        thumbnail_response(request, 2, "preview", 1, etag='"t2"', cache="private, no-cache")


def test_a_folder_symlinked_out_of_the_root_is_refused(data_dir: Path, outside: Path) -> None:
    shard = thumbnail_path(3, "grid", 1).parent
    shard.parent.mkdir(parents=True)
    shard.symlink_to(outside.parent, target_is_directory=True)
    (outside.parent / thumbnail_path(3, "grid", 1).name).write_bytes(SECRET)
    with pytest.raises(Http404):
        thumbnail_file(3, "grid", 1)


def test_no_root_the_root_itself_and_relative_paths_are_refused(data_dir: Path) -> None:
    path = thumbnail_path(4, "grid", 1)
    write_atomically(path, b"x")
    with pytest.raises(Http404):
        contained_path(path, None)
    with pytest.raises(Http404):
        contained_path(thumbnails_root(), thumbnails_root())
    with pytest.raises(Http404):
        contained_path(Path("thumbnails"), thumbnails_root())


def test_a_matching_etag_answers_304_without_the_file(data_dir: Path) -> None:
    path = thumbnail_path(5, "grid", 1)
    write_atomically(path, b"x")
    request = RequestFactory().get("/", headers={"If-None-Match": '"other", "t5"'})
    assert not_modified(request, '"t5"') and not not_modified(request, '"t"')
    response = file_response(
        request, path, root=thumbnails_root(), etag='"t5"', cache="c", content_type="image/jpeg"
    )
    assert response.status_code == 304
    assert response["ETag"] == '"t5"' and response["Cache-Control"] == "c"
    download = file_response(
        RequestFactory().get("/"),
        path,
        root=thumbnails_root(),
        etag='"o5"',
        cache="private, no-cache",
        content_type="image/jpeg",
        download_name="a b.jpg",
    )
    download.close()
    assert download["Content-Disposition"] == "attachment; filename*=UTF-8''a%20b.jpg"
    assert download["X-Content-Type-Options"] == "nosniff"
