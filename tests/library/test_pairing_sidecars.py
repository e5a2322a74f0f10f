"""A RAW and its JPEG twin become one photo; XMP sidecars feed the photo and are followed.

Scanning and recording run in this process with a real exiftool (as in test_import_fixtures.py);
recording tasks that the services enqueue after commit are captured, and the pending files are
recorded here.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from photonix.library.importing.recording import file_record
from photonix.library.importing.scanning import folder_scan
from photonix.library.importing.services import path_changed, path_deleted, path_moved
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.exiftool import ExifTool

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"


def xmp_packet(rating: int, keywords: list[str], description: str) -> str:
    """A small, real XMP sidecar as Lightroom or darktable write them."""
    items = "".join(f"<rdf:li>{k}</rdf:li>" for k in keywords)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmp:Rating="{rating}">
   <dc:subject><rdf:Bag>{items}</rdf:Bag></dc:subject>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt>
   </dc:description>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
"""


def write_sidecar(path: Path, rating: int, keywords: list[str], description: str) -> None:
    """Write a sidecar with a modification time that surely differs from the previous one."""
    previous = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(xmp_packet(rating, keywords, description), encoding="utf-8")
    mtime = max(path.stat().st_mtime_ns, previous + 1_000_000_000)
    os.utime(path, ns=(mtime, mtime))


def _copy(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return dest


def _scan(folder: LibraryFolder, capture) -> None:
    with capture(execute=False):
        folder_scan(folder)


def _record_pending(exiftool: ExifTool, order: str = "pk") -> list[int]:
    ids = list(
        PhotoFile.objects.filter(state=PhotoFile.State.PENDING)
        .order_by(order)
        .values_list("pk", flat=True)
    )
    for file_id in ids:
        file_record(file_id, exiftool)
    return ids


# -- RAW + JPEG -------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["kind", "-kind"], ids=["jpeg-first", "raw-first"])
def test_raw_and_jpeg_of_one_shot_are_one_photo(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks, order: str
) -> None:
    raw = _copy(FIXTURES / "raw" / "canon_eos_6d.dng", tmp_path / "shoot" / "canon_eos_6d.dng")
    jpeg = _copy(FIXTURES / "jpeg-exif" / "Canon_40D.jpg", tmp_path / "shoot" / "canon_eos_6d.jpg")
    other = _copy(FIXTURES / "jpeg-exif" / "Nikon_D70.jpg", tmp_path / "shoot" / "canon_eos_6.jpg")
    _, (folder,) = library_add("Pairs", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    # "photo" < "raw": ordering by kind records the JPEG first, by -kind the RAW first.
    _record_pending(exiftool, order)

    files = {Path(f.path).name: f for f in PhotoFile.objects.select_related("photo")}
    assert {f.state for f in files.values()} == {"ok"}
    raw_file, jpeg_file = files[raw.name], files[jpeg.name]
    assert raw_file.kind == "raw" and jpeg_file.kind == "photo"
    assert raw_file.photo_id == jpeg_file.photo_id is not None
    assert files[other.name].photo_id != raw_file.photo_id  # a similar name is another shot
    assert Photo.objects.count() == 2

    photo = Photo.objects.select_related("camera").get(files=raw_file)
    assert photo.preferred_file_id == jpeg_file.pk
    # The photo's facts are the JPEG's (a Canon 40D shot of 2008), not the DNG's (6D, 2019).
    assert photo.camera is not None and photo.camera.model == "EOS 40D"
    assert photo.taken_local is not None
    assert photo.taken_local.replace(tzinfo=None) == dt.datetime(2008, 5, 30, 15, 56, 1)
    assert (photo.width, photo.height) == (100, 68)
    assert raw_file.file_type == "DNG" and raw_file.metadata  # the RAW's own facts are kept


def test_two_photos_with_one_name_stem_stay_two_photos(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks
) -> None:
    """Only a RAW and a JPEG/HEIC are versions of one shot; ``a.jpg`` and ``a.png`` are two."""
    _copy(FIXTURES / "jpeg-exif" / "Canon_40D.jpg", tmp_path / "export" / "holiday.jpg")
    _copy(FIXTURES / "gps" / "png_with_exif_and_gps.png", tmp_path / "export" / "holiday.png")
    _copy(FIXTURES / "heic" / "samplefilehub.heif", tmp_path / "export" / "holiday.heic")
    _, (folder,) = library_add("Stems", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    _record_pending(exiftool)
    files = list(PhotoFile.objects.all())
    assert [f.state for f in files] == ["ok"] * 3
    assert len({f.photo_id for f in files}) == 3
    assert Photo.objects.count() == 3
    assert {p.preferred_file_id for p in Photo.objects.all()} == {f.pk for f in files}


def test_preferred_version_shows_in_the_api(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks, admin_client
) -> None:
    _copy(FIXTURES / "raw" / "canon_eos_6d.dng", tmp_path / "IMG_1.dng")
    _copy(FIXTURES / "jpeg-exif" / "Canon_40D.jpg", tmp_path / "IMG_1.JPG")
    _, (folder,) = library_add("Pairs", [str(tmp_path)], scan=False)  # owned by the admins
    _scan(folder, django_capture_on_commit_callbacks)
    _record_pending(exiftool, "-kind")  # the RAW first: the JPEG must still win
    (photo,) = Photo.objects.all()
    body = admin_client.get(f"/api/photos/{photo.pk}").json()
    versions = {Path(f["path"]).name: f for f in body["files"]}
    assert set(versions) == {"IMG_1.dng", "IMG_1.JPG"}
    assert versions["IMG_1.JPG"]["preferred"] is True
    assert versions["IMG_1.dng"]["preferred"] is False
    assert body["camera"] == "Canon EOS 40D"


# -- XMP sidecars ---------------------------------------------------------------------------


@pytest.mark.parametrize("sidecar_name", ["photo.jpg.xmp", "photo.xmp"])
def test_sidecar_is_read_and_rescans_follow_it(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks, sidecar_name: str
) -> None:
    photo_path = _copy(FIXTURES / "jpeg-exif" / "Canon_40D.jpg", tmp_path / "photo.jpg")
    sidecar = tmp_path / sidecar_name
    write_sidecar(sidecar, 4, ["holiday", "beach"], "Sunset at the beach")
    _, (folder,) = library_add("Sidecars", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    _record_pending(exiftool)

    file = PhotoFile.objects.get()  # the sidecar is never a file of its own
    assert file.path == str(photo_path) and file.state == "ok"
    assert file.sidecar_mtime_ns == sidecar.stat().st_mtime_ns
    photo = Photo.objects.get()
    assert photo.rating == 4
    assert photo.keywords == ["holiday", "beach"]
    assert photo.description == "Sunset at the beach"

    # An unchanged sidecar costs nothing on a rescan.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stats = folder_scan(folder)
    assert (stats.unchanged, stats.changed, callbacks) == (1, 0, [])

    # The user edits the sidecar (the photo itself is untouched): a rescan records it again.
    write_sidecar(sidecar, 2, ["family"], "Grandma's birthday")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stats = folder_scan(folder)
    assert (stats.unchanged, stats.changed) == (0, 1)
    assert len(callbacks) == 1
    assert _record_pending(exiftool) == [file.pk]
    photo.refresh_from_db()
    assert (photo.rating, photo.keywords, photo.description) == (
        2,
        ["family"],
        "Grandma's birthday",
    )

    # The sidecar is removed: the photo goes back to what the file itself says.
    sidecar.unlink()
    _scan(folder, django_capture_on_commit_callbacks)
    assert _record_pending(exiftool) == [file.pk]
    photo.refresh_from_db()
    assert photo.rating is None and photo.keywords == [] and photo.description == ""
    assert PhotoFile.objects.get().sidecar_mtime_ns is None


def test_watcher_events_on_a_sidecar_record_its_photos(
    tmp_path: Path, exiftool: ExifTool, django_capture_on_commit_callbacks
) -> None:
    """What the watcher calls for a sidecar's events (create, save via rename, delete)."""
    raw = _copy(FIXTURES / "raw" / "canon_eos_6d.dng", tmp_path / "IMG_2.dng")
    jpeg = _copy(FIXTURES / "jpeg-exif" / "Canon_40D.jpg", tmp_path / "IMG_2.jpg")
    unrelated = _copy(FIXTURES / "jpeg-exif" / "Nikon_D70.jpg", tmp_path / "IMG_20.jpg")
    _, (folder,) = library_add("Sidecars", [str(tmp_path)], scan=False)
    _scan(folder, django_capture_on_commit_callbacks)
    _record_pending(exiftool)
    photo = Photo.objects.get(files__path=str(jpeg))
    ids = {p: PhotoFile.objects.get(path=str(p)).pk for p in (raw, jpeg, unrelated)}

    # Lightroom's IMG_2.xmp belongs to both versions of the shot, and to nothing else.
    sidecar = tmp_path / "IMG_2.xmp"
    write_sidecar(sidecar, 5, ["best"], "Keeper")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changed = path_changed(str(sidecar))
    assert changed is not None and len(callbacks) == 1
    assert sorted(_record_pending(exiftool)) == sorted([ids[raw], ids[jpeg]])
    photo.refresh_from_db()
    assert (photo.rating, photo.keywords, photo.description) == (5, ["best"], "Keeper")
    assert PhotoFile.objects.get(pk=ids[unrelated]).sidecar_mtime_ns is None

    # The same event again (a watcher sees several per save): nothing to do.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        path_changed(str(sidecar))
    assert callbacks == []

    # An editor saves through a temporary file renamed over the sidecar.
    temporary = tmp_path / "IMG_2.xmp.tmp"
    write_sidecar(temporary, 1, ["meh"], "Not so good")
    temporary.replace(sidecar)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        path_moved(str(temporary), str(sidecar))
    assert len(callbacks) == 1  # the new name is looked at once the move is committed
    with django_capture_on_commit_callbacks(execute=False) as recordings:
        callbacks[0]()
    assert len(recordings) == 1
    assert sorted(_record_pending(exiftool)) == sorted([ids[raw], ids[jpeg]])
    photo.refresh_from_db()
    assert (photo.rating, photo.keywords) == (1, ["meh"])

    # Deleted: recorded again without it.
    sidecar.unlink()
    with django_capture_on_commit_callbacks(execute=False):
        assert path_deleted(str(sidecar)) == 0
    assert sorted(_record_pending(exiftool)) == sorted([ids[raw], ids[jpeg]])
    photo.refresh_from_db()
    assert photo.rating is None and photo.keywords == []
    assert PhotoFile.objects.filter(state="ok").count() == 3
