"""No file outside its root is ever read or served: path traversal and symlinks on every endpoint
that touches files (originals, thumbnails, previews, face crops, share links), and in the code that
puts paths in the database (adding a library, the scanner, the watcher)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client, override_settings

from photonix.library.importing.scanning import folder_scan
from photonix.library.importing.services import path_changed
from photonix.library.models import LibraryFolder, PhotoFile
from photonix.library.services import LibraryError, library_add
from photonix.storage.derived import thumbnail_path
from tests.security.conftest import World

SECRET = b"root:x:0:0:the secret outside every library\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.jpg").write_bytes(SECRET)
    return folder


def _get(client: Client, url: str) -> tuple[int, bytes]:
    response = client.get(url)
    if getattr(response, "streaming", False):
        return response.status_code, b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.status_code, bytes(response.content)


def _file_urls(world: World) -> list[str]:
    share = f"/api/share/{world.share_token}/photos/{world.photo.pk}"
    return [f"/api/files/{world.file.pk}/original", f"{share}/original"]


def _thumb_urls(world: World, size: str) -> list[str]:
    share = f"/api/share/{world.share_token}/photos/{world.photo.pk}"
    return [f"/api/photos/{world.photo.pk}/thumbnail/{size}", f"{share}/thumbnail/{size}"]


def test_files_are_served_normally(world: World) -> None:
    for url in [*_file_urls(world), *_thumb_urls(world, "preview")]:
        code, body = _get(world.client("owner"), url)
        assert code == 200, url
        assert body


def test_original_swapped_for_a_symlink_out_is_refused(world: World, outside: Path) -> None:
    original = Path(world.file.path)
    original.unlink()
    original.symlink_to(outside / "secret.jpg")
    for url in _file_urls(world):
        code, body = _get(world.client("owner"), url)
        assert code == 404, url
        assert SECRET not in body


def test_symlink_to_another_file_inside_the_folder_is_served(world: World) -> None:
    original = Path(world.file.path)
    twin = original.with_name("twin.jpg")
    original.rename(twin)
    original.symlink_to(twin)
    code, _ = _get(world.client("owner"), f"/api/files/{world.file.pk}/original")
    assert code == 200


def test_folder_on_the_path_swapped_for_a_symlink_is_refused(world: World, outside: Path) -> None:
    sub = Path(world.folder.path) / "sub"
    sub.symlink_to(outside, target_is_directory=True)
    PhotoFile.objects.filter(pk=world.file.pk).update(path=str(sub / "secret.jpg"))
    for url in _file_urls(world):
        code, body = _get(world.client("owner"), url)
        assert code == 404, url
        assert SECRET not in body


@pytest.mark.parametrize(
    "recorded",
    ["{folder}/../outside/secret.jpg", "{outside}/secret.jpg", "secret.jpg", "{folder}"],
)
def test_paths_recorded_outside_the_folder_are_refused(
    world: World, outside: Path, recorded: str
) -> None:
    path = recorded.format(folder=world.folder.path, outside=outside)
    (Path(world.folder.path).parent / "outside").mkdir(exist_ok=True)
    (Path(world.folder.path).parent / "outside" / "secret.jpg").write_bytes(SECRET)
    PhotoFile.objects.filter(pk=world.file.pk).update(path=path)
    for url in _file_urls(world):
        code, body = _get(world.client("owner"), url)
        assert code == 404, (url, path)
        assert SECRET not in body


@pytest.mark.parametrize("size", ["grid", "preview"])
def test_thumbnail_swapped_for_a_symlink_out_is_refused(
    world: World, outside: Path, size: str
) -> None:
    thumb = thumbnail_path(world.photo.pk, size, world.photo.thumbnail_version)
    thumb.unlink()
    thumb.symlink_to(outside / "secret.jpg")
    try:
        for url in _thumb_urls(world, size):
            code, body = _get(world.client("owner"), url)
            assert code == 404, url
            assert SECRET not in body
    finally:
        thumb.unlink()


@pytest.mark.parametrize("mode", ["x-sendfile", "x-accel-redirect"])
def test_front_proxy_is_never_pointed_outside(world: World, outside: Path, mode: str) -> None:
    with override_settings(PHOTONIX_SENDFILE=mode):
        response = world.client("owner").get(f"/api/files/{world.file.pk}/original")
        assert response.status_code == 200
        handed = response.get("X-Sendfile") or response.get("X-Accel-Redirect")
        assert handed and world.folder.path.strip("/") in handed
        original = Path(world.file.path)
        original.unlink()
        original.symlink_to(outside / "secret.jpg")
        response = world.client("owner").get(f"/api/files/{world.file.pk}/original")
        assert response.status_code == 404
        assert not response.get("X-Sendfile") and not response.get("X-Accel-Redirect")


@pytest.mark.parametrize(
    "size", ["..%2F..%2Fsecret_key", "../../secret_key", "%2e%2e", "preview%00", "grid.jpg"]
)
def test_thumbnail_size_cannot_traverse(world: World, size: str) -> None:
    for url in _thumb_urls(world, size):
        assert world.client("owner").get(url).status_code == 404, url


def test_face_crop_of_a_swapped_preview_is_refused(world: World, outside: Path) -> None:
    """Face crops read the preview: a preview swapped for a symlink out must not be read."""
    thumb = thumbnail_path(world.photo.pk, "preview", world.photo.thumbnail_version)
    thumb.unlink()
    thumb.symlink_to(outside / "secret.jpg")
    try:
        response = world.client("owner").get(f"/api/faces/{world.face_id}/crop")
        assert response.status_code in (404, 503), response.status_code
    finally:
        thumb.unlink()


# --- Where paths come from ------------------------------------------------------------------


def test_library_folders_must_exist_and_be_readable(db: None, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    for bad in [str(tmp_path / "nope"), str(tmp_path / "a-file")]:
        with pytest.raises(LibraryError):
            library_add("L", [bad], scan=False)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    try:
        if not os.access(locked, os.R_OK):  # root reads everything
            with pytest.raises(LibraryError):
                library_add("L", [str(locked)], scan=False)
    finally:
        locked.chmod(0o700)


def test_library_folder_is_stored_resolved(db: None, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    _, (folder,) = library_add("L", [str(tmp_path / "link" / ".." / "real")], scan=False)
    assert folder.path == str(real.resolve())
    # The same folder through a symlink is the same folder, not a second one...
    _, (again,) = library_add("L", [str(tmp_path / "link")], scan=False, extend=True)
    assert again.pk == folder.pk
    assert again.path == str(real.resolve())
    assert LibraryFolder.objects.count() == 1
    # ...so another library cannot take it through the symlink either.
    with pytest.raises(LibraryError, match="already belongs to library 'L'"):
        library_add("M", [str(tmp_path / "link")], scan=False)


def test_scanner_does_not_follow_symlinks(world: World, outside: Path) -> None:
    root = Path(world.folder.path)
    (root / "link-to-file.jpg").symlink_to(outside / "secret.jpg")
    (root / "link-to-dir").symlink_to(outside, target_is_directory=True)
    folder_scan(world.folder)
    paths = set(PhotoFile.objects.values_list("path", flat=True))
    assert not any("link-to" in path for path in paths), paths
    assert not any(str(outside) in path for path in paths)


def test_watcher_does_not_record_symlinks(world: World, outside: Path) -> None:
    link = Path(world.folder.path) / "appeared.jpg"
    link.symlink_to(outside / "secret.jpg")
    assert path_changed(str(link)) is None
    assert not PhotoFile.objects.filter(path=str(link)).exists()
