"""Favourites, the archive and the trash on real files, through the API.

The photos are real fixture files copied into a library folder, scanned, recorded (exiftool) and
given real thumbnails in this process, so deleting checks the files on disk: the originals, their
sidecars, the derived files, and that a rescan does not bring a deleted photo back. Run on SQLite
and, with ``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from photonix.albums.models import Album
from photonix.core.models import User
from photonix.library import provenance
from photonix.library.browse import tasks as browse_tasks
from photonix.library.browse.export import export_rows
from photonix.library.importing.recording import file_record
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.exiftool import ExifTool
from photonix.pipeline import stages
from photonix.storage.derived import thumbnail_path

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"
FILES = {
    "cat.jpg": "jpeg-exif/Canon_40D.jpg",
    "gps.jpg": "gps/DSCN0010.jpg",
    "turned.jpg": "orientation/Landscape_6.jpg",
}
PASSWORD = "correct horse battery staple"


def _record_all(folder: LibraryFolder, exiftool: ExifTool) -> None:
    folder_scan(folder)
    for file_id in PhotoFile.objects.filter(folder=folder, state="pending").values_list(
        "pk", flat=True
    ):
        file_record(file_id, exiftool)


@pytest.fixture
def world(tmp_path: Path, exiftool: ExifTool) -> dict[str, Any]:
    """A library of three real photos with their thumbnails; an owner, an editor, a viewer."""
    owner = User.objects.create_user("owner", password=PASSWORD)
    editor = User.objects.create_user("editor", password=PASSWORD)
    viewer = User.objects.create_user("viewer", password=PASSWORD)
    root = tmp_path / "photos"
    root.mkdir()
    for name, source in FILES.items():
        shutil.copy(FIXTURES / source, root / name)
    (root / "cat.jpg.xmp").write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    library, (folder,) = library_add("Family", [str(root)], owner=owner, scan=False)
    LibraryMember.objects.create(library=library, user=editor, role="editor")
    LibraryMember.objects.create(library=library, user=viewer, role="viewer")
    _record_all(folder, exiftool)
    photos = {}
    for name in FILES:
        photo = PhotoFile.objects.get(path=str(root / name)).photo
        assert photo is not None
        stages.make_thumbnails(Photo.objects.get(pk=photo.pk))
        photos[name] = Photo.objects.get(pk=photo.pk)
    clients = {}
    for who in (owner, editor, viewer):
        client = Client()
        client.force_login(who)
        clients[who.username] = client
    return {
        "root": root,
        "library": library,
        "folder": folder,
        "photos": photos,
        "ids": {name: p.pk for name, p in photos.items()},
        **clients,
    }


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _timeline(client: Client, **params: str) -> list[int]:
    body = _ok(client.get("/api/timeline", params))
    return [item["id"] for item in body["results"]]


def _thumbnails(photo: Photo) -> list[Path]:
    return [
        thumbnail_path(photo.pk, size, photo.thumbnail_version)
        for size in ("grid", "preview")
        if thumbnail_path(photo.pk, size, photo.thumbnail_version).exists()
    ]


def _bulk(client: Client, action: str, ids: list[int]) -> Any:
    return _post(client, "/api/photos/bulk", {"ids": ids, "action": action})


def test_favourites_and_the_archive(world: dict[str, Any]) -> None:
    editor, ids = world["editor"], world["ids"]
    cat, gps, turned = ids["cat.jpg"], ids["gps.jpg"], ids["turned.jpg"]
    assert _ok(_bulk(editor, "favourite", [cat, gps])) == {"updated": 2}
    assert sorted(_timeline(editor, favourite="true")) == sorted([cat, gps])
    assert _ok(_bulk(editor, "archive", [gps])) == {"updated": 1}
    assert gps not in _timeline(editor)
    # Archived: still a favourite, still found, listed by the archive and by its old name.
    assert sorted(_timeline(editor, favourite="true")) == sorted([cat, gps])
    assert _timeline(editor, archived="true") == [gps]
    assert _timeline(editor, hidden="true") == [gps]
    assert gps in _timeline(editor, q="nikon")  # its camera: a search finds archived photos
    assert gps not in _timeline(editor, q="nikon", archived="false")
    clash = editor.get("/api/timeline", {"archived": "true", "hidden": "false"})
    assert clash.status_code == 400 and "hidden" in clash.json()
    detail = _ok(editor.get(f"/api/photos/{gps}"))
    assert (detail["favourite"], detail["archived"], detail["hidden"]) == (True, True, True)
    # One photo at a time, and back.
    patched = _ok(
        editor.patch(
            f"/api/photos/{gps}",
            {"archived": False, "favourite": False},
            content_type="application/json",
        )
    )
    assert (patched["favourite"], patched["archived"]) == (False, False)
    assert _ok(_bulk(editor, "hide", [turned])) == {"updated": 1}  # the old name still works
    assert Photo.objects.get(pk=turned).hidden
    assert _bulk(world["viewer"], "favourite", [cat]).status_code == 403


def test_trash_hides_everywhere_and_restore_brings_it_back(world: dict[str, Any]) -> None:
    owner, editor, ids, library = world["owner"], world["editor"], world["ids"], world["library"]
    cat, gps = ids["cat.jpg"], ids["gps.jpg"]
    album = _ok(
        _post(
            owner, "/api/albums", {"library": library.pk, "name": "Trip", "photo_ids": [cat, gps]}
        ),
        201,
    )
    share = _ok(_post(owner, "/api/shares", {"photo_ids": [cat, gps]}), 201)
    assert _ok(_bulk(editor, "trash", [gps])) == {"updated": 1}

    assert gps not in _timeline(editor)
    assert gps not in _timeline(editor, q="nikon")
    assert gps not in [r["id"] for r in _ok(editor.get("/api/search", {"q": "nikon"}))["results"]]
    assert _ok(editor.get("/api/map"))["points"] == []  # the only photo with a location
    assert _ok(editor.get("/api/timeline/facets"))["total"] == 2
    assert gps not in [p["id"] for p in _ok(editor.get("/api/photos"))["results"]]
    assert sum(m["count"] for m in _ok(editor.get("/api/timeline/months"))) == 2
    listed = _ok(owner.get(f"/api/albums/{album['id']}/photos"))
    assert [p["id"] for p in listed["results"]] == [cat]
    assert _ok(owner.get(f"/api/albums/{album['id']}"))["photo_count"] == 1
    public = Client()
    shown = _ok(public.get(f"/api/share/{share['token']}/photos"))
    assert [p["id"] for p in shown["results"]] == [cat]
    assert public.get(f"/api/share/{share['token']}/photos/{gps}").status_code == 404
    paths = [row["path"] for row in export_rows(library)]
    assert str(world["root"] / "gps.jpg") not in paths
    trashed_rows = [r for r in export_rows(library, trashed=True) if r["photo_id"] == gps]
    assert trashed_rows and trashed_rows[0]["trashed_at"] is not None

    # The trash page and its size; the detail still opens (from the trash page).
    assert _timeline(editor, trashed="true") == [gps]
    assert _ok(editor.get("/api/trash")) == {"days": 30, "count": 1}
    assert _ok(editor.get(f"/api/photos/{gps}"))["trashed_at"] is not None

    # A viewer may not restore; an editor does, and everything is back as it was.
    assert _post(world["viewer"], "/api/trash/restore", {"ids": [gps]}).status_code == 403
    restored = _ok(_post(editor, "/api/trash/restore", {"ids": [gps]}))
    assert restored == {"restored": [gps], "missing": []}
    assert gps in _timeline(editor)
    assert _ok(owner.get(f"/api/albums/{album['id']}"))["photo_count"] == 2
    assert len(_ok(public.get(f"/api/share/{share['token']}/photos"))["results"]) == 2


def test_emptying_keeps_scanned_originals_and_a_rescan_does_not_bring_them_back(
    world: dict[str, Any], exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    owner, editor, ids, root = world["owner"], world["editor"], world["ids"], world["root"]
    cat, gps = ids["cat.jpg"], ids["gps.jpg"]
    album = _ok(
        _post(
            owner,
            "/api/albums",
            {"library": world["library"].pk, "name": "Trip", "photo_ids": [cat, gps]},
        ),
        201,
    )
    share = _ok(_post(owner, "/api/shares", {"photo_ids": [cat, gps]}), 201)
    photo = world["photos"]["cat.jpg"]
    thumbs = _thumbnails(photo)
    assert len(thumbs) == 2
    _ok(_bulk(editor, "trash", [cat]))
    assert _ok(_post(world["viewer"], "/api/trash/empty", {})) == {
        "deleted": 0,
        "originals_deleted": 0,
        "excluded": 0,
        "errors": [],
    }
    with django_capture_on_commit_callbacks(execute=True):  # the derived files go after commit
        emptied = _ok(_post(editor, "/api/trash/empty", {}))
    assert emptied == {"deleted": 1, "originals_deleted": 0, "excluded": 1, "errors": []}

    assert not Photo.objects.filter(pk=cat).exists()
    assert not any(path.exists() for path in thumbs)  # the derived files are gone
    assert (root / "cat.jpg").exists() and (root / "cat.jpg.xmp").exists()  # the original stays
    file = PhotoFile.objects.get(path=str(root / "cat.jpg"))
    assert (file.state, file.photo_id) == ("excluded", None)
    # The album and the link keep working for the rest.
    assert _ok(owner.get(f"/api/albums/{album['id']}"))["photo_count"] == 1
    assert [
        p["id"] for p in _ok(Client().get(f"/api/share/{share['token']}/photos"))["results"]
    ] == [gps]
    assert str(root / "cat.jpg") not in [
        r["path"] for r in export_rows(world["library"], trashed=True)
    ]

    # A rescan leaves it out, even once the file changed on disk; so does the watcher's path.
    stats = folder_scan(world["folder"])
    assert (stats.new, stats.changed) == (0, 0)
    os.utime(root / "cat.jpg", ns=(file.mtime_ns + 10**9, file.mtime_ns + 10**9))
    _record_all(world["folder"], exiftool)
    assert PhotoFile.objects.get(pk=file.pk).state == "excluded"
    assert file_record(file.pk, exiftool) is None
    assert Photo.objects.count() == 2
    assert sorted(_timeline(editor)) == sorted([gps, ids["turned.jpg"]])


def test_emptying_with_delete_originals_deletes_the_files(
    world: dict[str, Any], exiftool: ExifTool, django_capture_on_commit_callbacks: Any
) -> None:
    owner, editor, ids, root = world["owner"], world["editor"], world["ids"], world["root"]
    cat = ids["cat.jpg"]
    url = f"/api/libraries/{world['library'].pk}"
    refused = editor.patch(url, {"delete_originals": True}, content_type="application/json")
    assert refused.status_code == 403
    allowed = _ok(owner.patch(url, {"delete_originals": True}, content_type="application/json"))
    assert allowed["delete_originals"] is True and allowed["name"] == "Family"
    thumbs = _thumbnails(world["photos"]["cat.jpg"])
    _ok(_bulk(editor, "trash", [cat]))
    with django_capture_on_commit_callbacks(execute=True):
        emptied = _ok(_post(editor, "/api/trash/empty", {"ids": [cat]}))
    assert emptied == {"deleted": 1, "originals_deleted": 1, "excluded": 0, "errors": []}
    assert not (root / "cat.jpg").exists()
    assert not (root / "cat.jpg.xmp").exists()  # its sidecar went with it
    assert (root / "gps.jpg").exists()
    assert not any(path.exists() for path in thumbs)
    assert not PhotoFile.objects.filter(path=str(root / "cat.jpg")).exists()
    _record_all(world["folder"], exiftool)
    assert Photo.objects.count() == 2


def test_emptying_deletes_uploaded_originals_whatever_the_setting(
    world: dict[str, Any], exiftool: ExifTool
) -> None:
    """A file under the library's upload folder came in through upload: Photonix put it
    there, so deleting the photo deletes it (the library keeps ``delete_originals`` off)."""
    root = world["root"]
    uploads = root / "uploads"
    uploads.mkdir()
    shutil.copy(FIXTURES / "jpeg-exif/Nikon_D70.jpg", uploads / "sent.jpg")
    _record_all(world["folder"], exiftool)
    sent = PhotoFile.objects.get(path=str(uploads / "sent.jpg")).photo
    assert sent is not None
    # The library names no upload folder: uploads go to "uploads" in its first folder.
    assert provenance.upload_root(Library.objects.get()) == uploads
    assert provenance.photo_came_from_upload(Photo.objects.get(pk=sent.pk))
    assert not provenance.photo_came_from_upload(world["photos"]["cat.jpg"])
    ids = [sent.pk, world["ids"]["cat.jpg"]]
    _ok(_bulk(world["editor"], "trash", ids))
    emptied = _ok(_post(world["editor"], "/api/trash/empty", {"ids": ids}))
    assert emptied == {"deleted": 2, "originals_deleted": 1, "excluded": 1, "errors": []}
    assert not (uploads / "sent.jpg").exists()
    assert (root / "cat.jpg").exists()


def test_restoring_a_photo_whose_file_is_gone_says_so_and_keeps_it(world: dict[str, Any]) -> None:
    editor, ids, root = world["editor"], world["ids"], world["root"]
    cat, gps = ids["cat.jpg"], ids["gps.jpg"]
    _ok(_bulk(editor, "trash", [cat, gps]))
    (root / "gps.jpg").unlink()
    outcome = _ok(_post(editor, "/api/trash/restore", {"ids": [cat, gps]}))
    assert outcome == {"restored": [cat], "missing": [{"id": gps, "path": str(root / "gps.jpg")}]}
    assert _timeline(editor, trashed="true") == [gps]  # still in the trash, nothing lost
    assert cat in _timeline(editor)


def test_an_unreadable_folder_keeps_the_original_and_says_why(world: dict[str, Any]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root deletes files in read-only folders")
    owner, editor, root, cat = (
        world["owner"],
        world["editor"],
        world["root"],
        world["ids"]["cat.jpg"],
    )
    url = f"/api/libraries/{world['library'].pk}"
    _ok(owner.patch(url, {"delete_originals": True}, content_type="application/json"))
    _ok(_bulk(editor, "trash", [cat]))
    root.chmod(0o555)
    try:
        emptied = _ok(_post(editor, "/api/trash/empty", {"ids": [cat]}))
    finally:
        root.chmod(0o755)
    assert (emptied["deleted"], emptied["originals_deleted"], emptied["excluded"]) == (1, 0, 1)
    assert "could not delete it" in emptied["errors"][0]
    assert (root / "cat.jpg").exists()
    assert PhotoFile.objects.get(path=str(root / "cat.jpg")).state == "excluded"


def test_the_daily_task_empties_only_what_has_been_there_long_enough(
    world: dict[str, Any], settings: Any
) -> None:
    settings.PHOTONIX_TRASH_DAYS = 30
    ids = world["ids"]
    now = timezone.now()
    Photo.objects.filter(pk=ids["cat.jpg"]).update(trashed_at=now - dt.timedelta(days=31))
    Photo.objects.filter(pk=ids["gps.jpg"]).update(trashed_at=now - dt.timedelta(days=29))
    outcome = browse_tasks.empty_trash()
    assert outcome == {"deleted": 1, "originals_deleted": 0, "excluded": 1, "errors": []}
    assert not Photo.objects.filter(pk=ids["cat.jpg"]).exists()
    assert Photo.objects.get(pk=ids["gps.jpg"]).trashed_at is not None
    assert browse_tasks.empty_trash()["deleted"] == 0


def test_people_and_albums_forget_a_photo_in_the_trash(world: dict[str, Any]) -> None:
    """Album covers and the album list do not show a photo in the trash."""
    owner, ids, library = world["owner"], world["ids"], world["library"]
    cat, gps = ids["cat.jpg"], ids["gps.jpg"]
    album = _ok(
        _post(
            owner, "/api/albums", {"library": library.pk, "name": "Cover", "photo_ids": [cat, gps]}
        ),
        201,
    )
    _ok(
        owner.patch(
            f"/api/albums/{album['id']}", {"cover_id": gps}, content_type="application/json"
        )
    )
    _ok(_bulk(owner, "trash", [gps]))
    listed = next(a for a in _ok(owner.get("/api/albums")) if a["id"] == album["id"])
    assert listed["photo_count"] == 1
    assert listed["cover"]["id"] == cat
    assert Album.objects.filter(pk=album["id"]).exists()
