"""A person's changes to photos through the API: rate, hide, rotate, tag in bulk, choose a version.

Editors and owners may change a library's photos; viewers get 403; another user's photos answer
404 exactly like ids that do not exist. Rotating re-renders the thumbnails and choosing another
version reprocesses the photo: both go through ``photo_dispatch``, replaced here by a recorder.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest

from photonix.classifiers.models import PhotoTag, Tag
from photonix.library.browse import people
from photonix.library.importing import recording
from photonix.library.models import Photo, PhotoFile
from photonix.pipeline import services as pipeline_services
from tests.library import photos as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, list[str]]]:
    calls: list[tuple[int, list[str]]] = []

    def record(photo_id: int, *, force_stages: Any = ()) -> list[str]:
        calls.append((photo_id, list(force_stages)))
        return list(force_stages)

    monkeypatch.setattr(pipeline_services, "photo_dispatch", record)
    return calls


@pytest.fixture
def setup() -> dict[str, Any]:
    owner, editor, viewer, stranger = (
        make.user(n) for n in ("owner", "editor", "viewer", "stranger")
    )
    folder = make.library("Family", owner)
    make.member(folder, editor, "editor")
    make.member(folder, viewer, "viewer")
    photo = make.photo(
        folder,
        make.at(2024, 5, 1),
        width=4000,
        height=3000,
        rating=2,
        camera=make.camera("Canon", "EOS 40D"),
        lens=make.lens("EF 50mm"),
    )
    stranger_folder = make.library("Stranger", stranger)
    return {
        "folder": folder,
        "photo": photo,
        "owner": make.client_for(owner),
        "editor": make.client_for(editor),
        "viewer": make.client_for(viewer),
        "stranger": make.client_for(stranger),
        "stranger_photo": make.photo(stranger_folder, make.at(2024, 5, 2)),
        "stranger_folder": stranger_folder,
    }


def _patch(client: Any, photo_id: int, body: dict[str, Any]) -> Any:
    return client.patch(f"/api/photos/{photo_id}", body, content_type="application/json")


def test_photo_detail_has_tags_people_and_the_persons_choices(setup: dict[str, Any]) -> None:
    photo, folder = setup["photo"], setup["folder"]
    cat = make.tag(folder, "cat")
    paris = make.tag(folder, "Paris", "place")
    make.tagged(photo, cat, confidence=0.7)
    make.tagged(photo, cat, confidence=0.9)  # two classifiers found it: shown once
    make.tagged(photo, paris, verdict="confirmed", confidence=1.0)
    make.tagged(photo, make.tag(folder, "dog"), verdict="rejected")
    body = setup["viewer"].get(f"/api/photos/{photo.pk}").json()
    assert body["tags"] == [
        {
            "id": cat.pk,
            "type": "object",
            "name": "cat",
            "confidence": 0.9,
            "verdict": "auto",
            "source": "test",
        },
        {
            "id": paris.pk,
            "type": "place",
            "name": "Paris",
            "confidence": 1.0,
            "verdict": "confirmed",
            "source": "test",
        },
    ]
    assert body["user_rotation"] == 0 and body["hidden"] is False
    assert body["camera_id"] == photo.camera_id and body["lens_id"] == photo.lens_id
    assert body["people"] == []


@pytest.mark.skipif(not people.installed(), reason="needs the faces app")
def test_people_come_from_faces(setup: dict[str, Any]) -> None:
    from photonix.faces.models import Face, Person

    photo, folder = setup["photo"], setup["folder"]
    other = make.photo(folder, make.at(2024, 6, 1))
    ada = Person.objects.create(library_id=folder.library_id, name="Ada Lovelace")
    bob = Person.objects.create(library_id=folder.library_id, name="Bob")
    box = {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.2}
    Face.objects.create(photo=photo, library_id=folder.library_id, person=ada, **box)
    Face.objects.create(photo=other, library_id=folder.library_id, person=ada, **box)
    Face.objects.create(
        photo=other, library_id=folder.library_id, person=bob, verdict="rejected", **box
    )
    client = setup["owner"]
    assert client.get(f"/api/photos/{photo.pk}").json()["people"] == [
        {"id": ada.pk, "name": "Ada Lovelace"}
    ]
    assert client.get(f"/api/photos/{other.pk}").json()["people"] == [
        {"id": ada.pk, "name": "Ada Lovelace"}
    ]
    timeline = client.get("/api/timeline", {"person": ada.pk}).json()["results"]
    assert {p["id"] for p in timeline} == {photo.pk, other.pk}
    assert client.get("/api/timeline", {"person": bob.pk}).json()["results"] == []
    assert client.get("/api/timeline", {"person": [ada.pk, bob.pk]}).json()["results"] == []
    assert {p["id"] for p in client.get("/api/timeline", {"q": "lovelace"}).json()["results"]} == {
        photo.pk,
        other.pk,
    }
    facets = client.get("/api/timeline/facets").json()
    assert facets["people"] == [{"id": ada.pk, "name": "Ada Lovelace", "count": 2}]
    suggestions = client.get("/api/search/suggest", {"q": "ada"}).json()
    assert suggestions == [
        {"kind": "person", "label": "Ada Lovelace", "params": {"person": ada.pk}}
    ]
    # Another user neither finds nor is suggested Alice's people.
    assert setup["stranger"].get("/api/search/suggest", {"q": "ada"}).json() == []
    assert setup["stranger"].get("/api/timeline", {"person": ada.pk}).json()["results"] == []


def test_editors_rate_hide_and_rotate(
    setup: dict[str, Any], dispatched: list[tuple[int, list[str]]]
) -> None:
    photo = setup["photo"]
    response = _patch(setup["editor"], photo.pk, {"rating": 5})
    assert response.status_code == 200, response.content
    assert response.json()["rating"] == 5
    assert dispatched == []  # nothing to re-render for a rating

    body = _patch(setup["owner"], photo.pk, {"rotation": 90, "hidden": True}).json()
    assert body["user_rotation"] == 90 and body["hidden"] is True
    assert (body["width"], body["height"]) == (3000, 4000)  # as displayed, turned a quarter
    assert dispatched == [(photo.pk, ["thumbnails"])]

    body = _patch(setup["owner"], photo.pk, {"rotation": 270, "rating": None}).json()
    assert (body["width"], body["height"]) == (3000, 4000)  # half a turn more: same shape
    assert body["rating"] is None
    _patch(setup["owner"], photo.pk, {"rotation": 270})  # unchanged: nothing to redo
    assert len(dispatched) == 2
    # A hidden photo leaves the timeline, and shows with ?hidden=true.
    assert setup["owner"].get("/api/timeline").json()["results"] == []
    hidden = setup["owner"].get("/api/timeline", {"hidden": "true"}).json()["results"]
    assert [p["id"] for p in hidden] == [photo.pk]
    saved = Photo.objects.get(pk=photo.pk)
    assert (saved.user_rotation, saved.hidden, saved.rating) == (270, True, None)


def test_viewers_get_403_and_strangers_404(
    setup: dict[str, Any], dispatched: list[tuple[int, list[str]]]
) -> None:
    photo = setup["photo"]
    assert _patch(setup["viewer"], photo.pk, {"rating": 1}).status_code == 403
    assert _patch(setup["stranger"], photo.pk, {"rating": 1}).status_code == 404
    assert _patch(setup["owner"], setup["stranger_photo"].pk, {"rating": 1}).status_code == 404
    assert _patch(setup["owner"], 999_999, {"rating": 1}).status_code == 404
    assert Photo.objects.get(pk=photo.pk).rating == 2
    preferred = {"file_id": photo.preferred_file_id}
    assert (
        setup["viewer"]
        .post(f"/api/photos/{photo.pk}/preferred", preferred, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        setup["stranger"]
        .post(f"/api/photos/{photo.pk}/preferred", preferred, content_type="application/json")
        .status_code
        == 404
    )
    assert dispatched == []


@pytest.mark.parametrize(
    "body",
    [{"rating": 6}, {"rating": -1}, {"rotation": 45}, {"hidden": "maybe"}, {"rating": "x"}],
)
def test_bad_changes_are_400(setup: dict[str, Any], body: dict[str, Any]) -> None:
    response = _patch(setup["owner"], setup["photo"].pk, body)
    assert response.status_code == 400
    assert set(response.json()) == set(body)


def _bulk(client: Any, body: dict[str, Any]) -> Any:
    return client.post("/api/photos/bulk", body, content_type="application/json")


def test_bulk_rate_hide_and_unhide(setup: dict[str, Any]) -> None:
    folder = setup["folder"]
    more = [make.photo(folder, make.at(2024, 5, d)) for d in (3, 4)]
    ids = [setup["photo"].pk, *(p.pk for p in more)]
    # Photos the user cannot see are skipped, not changed.
    everything = [*ids, setup["stranger_photo"].pk, 999_999]
    response = _bulk(setup["editor"], {"ids": everything, "action": "rate", "rating": 4})
    assert response.status_code == 200, response.content
    assert response.json() == {"updated": 3}
    assert set(Photo.objects.filter(pk__in=ids).values_list("rating", flat=True)) == {4}
    assert Photo.objects.get(pk=setup["stranger_photo"].pk).rating is None

    assert _bulk(setup["owner"], {"ids": ids[:2], "action": "hide"}).json() == {"updated": 2}
    assert [p["id"] for p in setup["owner"].get("/api/timeline").json()["results"]] == [ids[2]]
    assert _bulk(setup["owner"], {"ids": ids, "action": "unhide"}).json() == {"updated": 3}
    assert not Photo.objects.filter(hidden=True).exists()


def test_bulk_tag_and_untag(setup: dict[str, Any]) -> None:
    folder = setup["folder"]
    first, second = setup["photo"], make.photo(folder, make.at(2024, 5, 3))
    third = make.photo(folder, make.at(2024, 5, 4))
    # A classifier already thought "holiday" of the second, and a person rejected it on the
    # third: adding it by hand confirms the one and restores the other.
    holiday = make.tag(folder, "holiday", "keyword")
    make.tagged(second, holiday, verdict="auto")
    make.tagged(third, holiday, verdict="rejected")
    ids = [first.pk, second.pk, third.pk]

    response = _bulk(setup["editor"], {"ids": ids, "action": "tag", "tag": " holiday "})
    assert response.json() == {"updated": 3}
    rows = {r.photo_id: r for r in PhotoTag.objects.filter(tag__name="holiday")}
    assert rows[first.pk].verdict == "added" and rows[first.pk].source == "person"
    assert rows[second.pk].verdict == "confirmed"
    assert rows[third.pk].verdict == "added"
    assert Tag.objects.filter(name="holiday").count() == 1
    tagged = setup["owner"].get("/api/timeline", {"tag": holiday.pk}).json()["results"]
    assert {p["id"] for p in tagged} == set(ids)

    # A new word makes a keyword tag in the photo's library.
    _bulk(setup["editor"], {"ids": [first.pk], "action": "tag", "tag": "Granny"})
    granny = Tag.objects.get(name="Granny")
    assert (granny.type, granny.library_id) == ("keyword", folder.library_id)

    # Untagging takes a person's tag off and rejects a classifier's (so it is not put back).
    assert _bulk(setup["editor"], {"ids": ids, "action": "untag", "tag": "HOLIDAY"}).json() == {
        "updated": 3
    }
    assert setup["owner"].get("/api/timeline", {"tag": holiday.pk}).json()["results"] == []
    assert not PhotoTag.objects.filter(tag=holiday, photo=first).exists()
    assert PhotoTag.objects.get(tag=holiday, photo=second).verdict == "rejected"


def test_bulk_permissions_and_validation(setup: dict[str, Any]) -> None:
    photo = setup["photo"]
    assert _bulk(setup["viewer"], {"ids": [photo.pk], "action": "hide"}).status_code == 403
    # A stranger sees none of the ids: nothing to do, nothing revealed.
    assert _bulk(setup["stranger"], {"ids": [photo.pk], "action": "hide"}).json() == {"updated": 0}
    assert not Photo.objects.get(pk=photo.pk).hidden
    for body, field in (
        ({"ids": [], "action": "hide"}, "ids"),
        ({"ids": list(range(1, 1002)), "action": "hide"}, "ids"),
        ({"ids": [photo.pk], "action": "explode"}, "action"),
        ({"ids": [photo.pk], "action": "rate"}, "rating"),
        ({"ids": [photo.pk], "action": "rate", "rating": 9}, "rating"),
        ({"ids": [photo.pk], "action": "tag"}, "tag"),
        ({"ids": [photo.pk], "action": "untag", "tag": "  "}, "tag"),
    ):
        response = _bulk(setup["owner"], body)
        assert response.status_code == 400, body
        assert field in response.json(), body


def test_choosing_the_preferred_version(
    setup: dict[str, Any], dispatched: list[tuple[int, list[str]]]
) -> None:
    photo, folder = setup["photo"], setup["folder"]
    raw = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/IMG_1.CR2",
        kind=PhotoFile.Kind.RAW,
        state=PhotoFile.State.OK,
        size=5000,
        mtime_ns=1_700_000_000 * 10**9,
        file_type="CR2",
        metadata={
            "File:FileType": "CR2",
            "IFD0:Make": "Canon",
            "IFD0:Model": "Canon EOS 5D",
            "ExifIFD:ISO": 800,
            "ExifIFD:DateTimeOriginal": "2024:05:01 12:00:00",
        },
    )
    response = setup["editor"].post(
        f"/api/photos/{photo.pk}/preferred", {"file_id": raw.pk}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["preferred_file"] == raw.pk
    assert {f["id"]: f["preferred"] for f in body["files"]} == {
        photo.preferred_file_id: False,
        raw.pk: True,
    }
    assert body["iso"] == 800 and body["rating"] == 2  # the RAW's facts, the person's rating
    assert dispatched == [(photo.pk, ["*"])]
    saved = Photo.objects.get(pk=photo.pk)
    assert saved.preferred_by_user
    # Recording again keeps the person's choice (it would otherwise prefer the JPEG).
    assert recording.photo_choose_preferred(saved) == raw

    # Not a version of this photo, or not recorded: 400.
    other = setup["stranger_photo"]
    for file_id in (other.preferred_file_id, 999_999):
        response = setup["owner"].post(
            f"/api/photos/{photo.pk}/preferred",
            {"file_id": file_id},
            content_type="application/json",
        )
        assert response.status_code == 400 and "file_id" in response.json()
    PhotoFile.objects.filter(pk=photo.preferred_file_id).update(state="missing")  # the JPEG
    response = setup["owner"].post(
        f"/api/photos/{photo.pk}/preferred",
        {"file_id": photo.preferred_file_id},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert len(dispatched) == 1


def test_photo_detail_query_count_is_fixed(
    setup: dict[str, Any], django_assert_max_num_queries
) -> None:
    photo, folder = setup["photo"], setup["folder"]
    for i in range(10):
        make.tagged(photo, make.tag(folder, f"tag {i}"))
    # Session, user, photo, files, tags, (people).
    with django_assert_max_num_queries(6):
        assert setup["owner"].get(f"/api/photos/{photo.pk}").status_code == 200


# --- a rotation turns the boxes with the photo ------------------------------------------------
BOX = (0.1, 0.2, 0.3, 0.4)  # x, y, width, height as fractions of the displayed image
TURNED = {
    0: BOX,
    90: (0.4, 0.1, 0.4, 0.3),  # clockwise: the top edge becomes the right edge
    180: (0.6, 0.4, 0.3, 0.4),
    270: (0.2, 0.6, 0.4, 0.3),
}


@pytest.mark.parametrize("turn", sorted(TURNED))
def test_box_rotate_lands_where_the_pixels_land(turn: int) -> None:
    """The box transform agrees with the one the thumbnails are rendered with."""
    from PIL import Image, ImageDraw

    from photonix.library.browse.edits import box_rotate
    from photonix.media.decode import apply_orientation

    assert box_rotate(BOX, turn) == pytest.approx(TURNED[turn], abs=1e-12)
    width, height = 400, 300
    image = Image.new("L", (width, height), 0)
    x, y, w, h = BOX
    ImageDraw.Draw(image).rectangle(
        (x * width, y * height, (x + w) * width - 1, (y + h) * height - 1), fill=255
    )
    turned = apply_orientation(image, 1, user_rotation=turn)
    left, top, right, bottom = turned.getbbox() or (0, 0, 0, 0)
    tw, th = turned.size
    found = (left / tw, top / th, (right - left) / tw, (bottom - top) / th)
    assert found == pytest.approx(TURNED[turn], abs=1e-9)


def test_rotating_a_photo_turns_its_face_and_tag_boxes(
    setup: dict[str, Any], dispatched: list[tuple[int, list[str]]]
) -> None:
    from photonix.faces.models import Face

    photo, folder = setup["photo"], setup["folder"]
    face = Face.objects.create(
        photo=photo, library_id=folder.library_id, x=BOX[0], y=BOX[1], width=BOX[2], height=BOX[3]
    )
    boxed = make.tagged(photo, make.tag(folder, "cat"))
    boxed.box = list(BOX)
    boxed.save(update_fields=["box"])
    unboxed = make.tagged(photo, make.tag(folder, "Red", "colour"))

    def boxes() -> tuple[tuple[float, ...], tuple[float, ...]]:
        f = Face.objects.get(pk=face.pk)
        return (f.x, f.y, f.width, f.height), tuple(PhotoTag.objects.get(pk=boxed.pk).box or ())

    for rotation in (90, 180, 270, 0):  # a quarter turn at a time, once round
        response = _patch(setup["owner"], photo.pk, {"rotation": rotation})
        assert response.status_code == 200, response.content
        face_box, tag_box = boxes()
        assert face_box == pytest.approx(TURNED[rotation], abs=1e-12), rotation
        assert tag_box == pytest.approx(TURNED[rotation], abs=1e-12), rotation
    assert boxes() == (BOX, BOX)  # four quarter turns: exactly where it started
    assert PhotoTag.objects.get(pk=unboxed.pk).box is None

    # A jump of several quarters at once, and back.
    _patch(setup["owner"], photo.pk, {"rotation": 270})
    assert boxes()[0] == pytest.approx(TURNED[270], abs=1e-12)
    _patch(setup["owner"], photo.pk, {"rotation": 90})  # half a turn on
    assert boxes()[0] == pytest.approx(TURNED[90], abs=1e-12)
    _patch(setup["owner"], photo.pk, {"rotation": 0})
    assert boxes() == (BOX, BOX)


def test_rotating_turns_the_tag_boxes_without_the_faces_app(
    setup: dict[str, Any], dispatched: list[tuple[int, list[str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from photonix.library.browse import people

    monkeypatch.setattr(people, "installed", lambda: False)
    # Nothing in the library may import the faces app's models itself.
    monkeypatch.setitem(sys.modules, "photonix.faces.models", None)
    photo, folder = setup["photo"], setup["folder"]
    boxed = make.tagged(photo, make.tag(folder, "cat"))
    boxed.box = list(BOX)
    boxed.save(update_fields=["box"])
    assert _patch(setup["owner"], photo.pk, {"rotation": 90}).status_code == 200
    assert PhotoTag.objects.get(pk=boxed.pk).box == pytest.approx(TURNED[90], abs=1e-12)


# --- facts a person corrects: date, zone, place, title; relative turns ------------------------


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The photos whose edits are sent to be written to their sidecars (after commit)."""
    calls: list[list[int]] = []
    monkeypatch.setattr(pipeline_services, "send_write_edits", lambda ids: calls.append(list(ids)))
    return calls


def test_turns_add_to_the_rotation_the_photo_has(
    setup: dict[str, Any], dispatched: list[tuple[int, list[str]]]
) -> None:
    photo = setup["photo"]
    for _ in range(3):  # three quick clicks on Rotate, each sent as "a quarter more"
        assert _patch(setup["editor"], photo.pk, {"turn": 90}).status_code == 200
    body = _patch(setup["editor"], photo.pk, {"turn": -180}).json()
    assert body["user_rotation"] == 90
    assert (body["width"], body["height"]) == (3000, 4000)
    saved = Photo.objects.get(pk=photo.pk)
    assert saved.user_rotation == 90 and len(dispatched) == 4


def test_date_zone_place_and_title_edits_through_the_api(
    setup: dict[str, Any], written: list[list[int]], django_capture_on_commit_callbacks: Any
) -> None:
    photo, other = setup["photo"], make.photo(setup["folder"], make.at(2023, 1, 1))
    Photo.objects.filter(pk=other.pk).update(latitude=51.5, longitude=-0.12, altitude=11.0)
    with django_capture_on_commit_callbacks(execute=True):
        body = _patch(
            setup["editor"],
            photo.pk,
            {"taken_at": "2021-06-05T14:30:00+02:00", "location_from": other.pk, "title": "Ada"},
        ).json()
    assert body["taken_at"] == "2021-06-05T14:30:00+02:00"
    assert body["taken_source"] == "person" and body["undated"] is False
    assert (body["latitude"], body["longitude"], body["altitude"]) == (51.5, -0.12, 11.0)
    assert body["title"] == "Ada" and body["sidecar_error"] == ""
    assert sorted(body["edited"]) == ["location", "taken", "title"]
    assert written == [[photo.pk]]

    # The clock an hour late, the zone unknown after all, and the place taken away.
    body = _patch(
        setup["editor"], photo.pk, {"taken_shift": 60, "taken_offset": None, "location": None}
    ).json()
    assert body["taken_at"] == "2021-06-05T15:30:00"
    assert body["latitude"] is None and body["longitude"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"taken_at": "yesterday"}, "taken_at"),
        ({"taken_at": "1700-01-01T00:00:00"}, "taken_at"),
        ({"taken_offset": 15 * 60}, "taken_offset"),
        ({"taken_shift": 10**12}, "taken_shift"),
        ({"location": {"latitude": 91, "longitude": 0}}, "location"),
        ({"location_from": 999_999}, "location_from"),
        ({"turn": 45}, "turn"),
    ],
)
def test_bad_fact_edits_are_400_and_change_nothing(
    setup: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    photo = setup["photo"]
    response = _patch(setup["owner"], photo.pk, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    saved = Photo.objects.get(pk=photo.pk)
    assert saved.taken_local == photo.taken_local and saved.edited == []


def test_a_place_cannot_be_copied_from_a_photo_one_cannot_see(setup: dict[str, Any]) -> None:
    stranger_photo = setup["stranger_photo"]
    Photo.objects.filter(pk=stranger_photo.pk).update(latitude=1.0, longitude=2.0)
    body = {"location_from": stranger_photo.pk}
    response = _patch(setup["owner"], setup["photo"].pk, body)
    assert response.status_code == 400 and "location_from" in response.json()
    assert _patch(setup["viewer"], setup["photo"].pk, {"title": "x"}).status_code == 403


def test_bulk_edit_sets_a_date_for_a_selection(
    setup: dict[str, Any], written: list[list[int]], django_capture_on_commit_callbacks: Any
) -> None:
    ids = [setup["photo"].pk, make.photo(setup["folder"], make.at(2024, 5, 9)).pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = _bulk(
            setup["editor"],
            {"ids": ids, "action": "edit", "taken_at": "2010-10-10T10:10:00", "title": "Party"},
        )
    assert response.json() == {"updated": 2}
    for photo in Photo.objects.filter(pk__in=ids):
        assert photo.taken_at == dt.datetime(2010, 10, 10, 10, 10)
        assert photo.title == "Party" and sorted(photo.edited) == ["taken", "title"]
    assert written == [ids]
    missing = _bulk(setup["editor"], {"ids": ids, "action": "edit"})
    assert missing.status_code == 400 and "action" in missing.json()
    assert _bulk(setup["viewer"], {"ids": ids, "action": "edit", "title": "x"}).status_code == 403


def test_undated_photos_are_marked_and_listed_apart(setup: dict[str, Any]) -> None:
    dated = setup["photo"]
    Photo.objects.filter(pk=dated.pk).update(taken_source="exif:DateTimeOriginal")
    undated = make.photo(setup["folder"], make.at(2024, 6, 1), taken_source="mtime")
    client = setup["owner"]
    assert client.get(f"/api/photos/{undated.pk}").json()["undated"] is True
    assert client.get(f"/api/photos/{dated.pk}").json()["undated"] is False
    everything = client.get("/api/timeline").json()["results"]
    assert {p["id"]: p["undated"] for p in everything} == {undated.pk: True, dated.pk: False}
    only = client.get("/api/timeline", {"undated": "true"}).json()["results"]
    assert [p["id"] for p in only] == [undated.pk]
    rest = client.get("/api/timeline", {"undated": "false"}).json()["results"]
    assert [p["id"] for p in rest] == [dated.pk]
    listed = client.get("/api/photos").json()["results"]
    assert {p["id"]: p["undated"] for p in listed} == {undated.pk: True, dated.pk: False}
