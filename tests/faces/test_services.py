"""Storing faces, grouping them per library, and keeping every human decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from photonix.faces import services, tasks
from photonix.faces.detection import DetectedFace
from photonix.faces.models import Face, Person
from photonix.library.browse.export import export_rows
from photonix.library.models import Library, Photo
from tests.faces.conftest import make_library, make_photo, store

pytestmark = pytest.mark.django_db
Detect = Callable[[str], list[DetectedFace]]
V = Face.Verdict
SAMPLES = ("Boris_Becker_0003.jpg", "Boris_Becker_0004.jpg", "David_Beckham_0001.jpg")


def main_face(photo: Photo) -> Face:
    face = Face.objects.filter(photo=photo).order_by("-size").first()
    assert face is not None
    return face


def library_of(detect: Detect, name: str, samples: tuple[str, ...] = SAMPLES) -> list[Photo]:
    folder = make_library(name)
    photos = []
    for sample in samples:
        photo = make_photo(folder, sample)
        store(photo, detect(sample))
        photos.append(photo)
    return photos


def test_storing_faces_twice_gives_the_same_faces(detect: Detect) -> None:
    folder = make_library("Twice")
    photo = make_photo(folder, "Boris_Becker_0003.jpg")
    first = store(photo, detect("Boris_Becker_0003.jpg"))
    second = store(photo, detect("Boris_Becker_0003.jpg"))
    assert len(first) == len(second) == 2
    assert [f.box for f in first] == [f.box for f in second]
    # The cut-off face at the edge is kept but not grouped.
    assert [f.clusterable for f in second] == [False, True]
    assert second[0].embedding is None and second[1].embedding is not None


def test_becker_photos_become_one_person_and_beckham_stays_apart(detect: Detect) -> None:
    becker_3, becker_4, beckham = library_of(detect, "Tennis")
    result = services.library_recluster(becker_3.library_id)
    assert result["groups"] == 1
    becker = main_face(becker_3).person
    assert becker is not None and becker.name == ""
    assert main_face(becker_4).person_id == becker.pk
    assert main_face(beckham).person_id != becker.pk
    # Named, the person attracts a new photo of him at once (incremental, no re-clustering).
    services.person_rename(becker, "Boris Becker")
    again = make_photo(make_library("Elsewhere"), "x")  # another library: stays alone
    store(again, detect("Boris_Becker_0004.jpg"))
    assert main_face(again).person_id is None
    folder_photo = make_photo(
        becker_3.preferred_file.folder,  # type: ignore[union-attr]
        "Boris_Becker_0004.jpg",
    )
    store(folder_photo, detect("Boris_Becker_0004.jpg"))
    assert main_face(folder_photo).person_id == becker.pk


def test_reprocessing_and_reclustering_keep_every_human_decision(detect: Detect) -> None:
    becker_3, becker_4, beckham = library_of(detect, "Decisions")
    services.library_recluster(becker_3.library_id)
    becker = main_face(becker_3).person
    assert becker is not None
    # A person names the group, confirms one face, moves Beckham onto a new named person,
    # takes the second Becker face off him, and says the cut-off edge face is not a face.
    services.person_rename(becker, "Boris")
    services.face_confirm(main_face(becker_3))
    david = Person.objects.create(library_id=becker_3.library_id, name="David")
    services.face_move(main_face(beckham), david)
    services.face_remove(main_face(becker_4))
    edge = Face.objects.filter(photo=becker_3).order_by("size").first()
    assert edge is not None and edge.pk != main_face(becker_3).pk
    services.face_reject(edge)
    decided = {
        f.pk: (f.person_id, f.verdict, f.box)
        for f in Face.objects.filter(library_id=becker_3.library_id)
    }

    for photo, sample in zip((becker_3, becker_4, beckham), SAMPLES, strict=True):
        store(photo, detect(sample))  # the face recognizer runs again on every photo
    services.library_recluster(becker_3.library_id)
    services.library_recluster(becker_3.library_id)

    after = {
        f.pk: (f.person_id, f.verdict, f.box)
        for f in Face.objects.filter(library_id=becker_3.library_id)
    }
    assert after == decided, "no face added, removed or changed"
    assert Person.objects.get(pk=becker.pk).name == "Boris"
    assert Person.objects.get(pk=david.pk).name == "David"
    assert main_face(becker_4).person_id is None, "a removed face is not put back"


def test_a_rename_changes_one_person_only(detect: Detect) -> None:
    becker_3, _, beckham = library_of(detect, "Rename")
    services.library_recluster(becker_3.library_id)
    other = services.face_move(main_face(beckham), None, name="David").person
    becker = main_face(becker_3).person
    assert becker is not None and other is not None
    services.person_rename(becker, "Boris")
    services.person_rename(becker, "Boris Becker")
    assert Person.objects.get(pk=other.pk).name == "David"
    assert set(Person.objects.values_list("name", flat=True)) == {"Boris Becker", "David"}


def test_named_people_are_never_merged_automatically(detect: Detect) -> None:
    folder = make_library("Twins")
    photos = [make_photo(folder, s) for s in ("Boris_Becker_0003.jpg", "Boris_Becker_0004.jpg")]
    for photo, sample in zip(photos, SAMPLES[:2], strict=True):
        store(photo, detect(sample))
    first = services.face_move(main_face(photos[0]), None, name="Boris A").person
    second = services.face_move(main_face(photos[1]), None, name="Boris B").person
    services.library_recluster(folder.library_id)
    assert first is not None and second is not None
    assert Person.objects.filter(library_id=folder.library_id).count() == 2
    assert main_face(photos[0]).person_id == first.pk
    assert main_face(photos[1]).person_id == second.pk


def test_merge_moves_every_face_and_keeps_the_name(detect: Detect) -> None:
    becker_3, becker_4, _ = library_of(detect, "Merge")
    a = services.face_move(main_face(becker_3), None).person
    b = services.face_move(main_face(becker_4), None, name="Boris").person
    assert a is not None and b is not None
    merged = services.people_merge(a, b)
    assert merged.name == "Boris" and merged.confirmed
    assert not Person.objects.filter(pk=b.pk).exists()
    assert main_face(becker_4).person_id == a.pk


def test_nothing_crosses_libraries(detect: Detect) -> None:
    here = library_of(detect, "Here")
    there = library_of(detect, "There")
    services.library_recluster(here[0].library_id)
    assert Person.objects.filter(library_id=there[0].library_id).count() == 0
    assert Face.objects.filter(library_id=there[0].library_id, person__isnull=False).count() == 0
    services.library_recluster(there[0].library_id)
    mine = main_face(here[0]).person
    theirs = main_face(there[0]).person
    assert mine is not None and theirs is not None and mine.pk != theirs.pk
    with pytest.raises(services.FaceError):
        services.people_merge(mine, theirs)
    with pytest.raises(services.FaceError):
        services.face_move(main_face(there[1]), mine)
    assert {f.person.library_id for f in Face.objects.exclude(person=None)} == {  # type: ignore[union-attr]
        here[0].library_id,
        there[0].library_id,
    }
    for face in Face.objects.exclude(person=None).select_related("person"):
        assert face.person is not None and face.person.library_id == face.library_id


def test_recluster_forgets_groups_that_lost_their_faces(detect: Detect) -> None:
    becker_3, becker_4, _ = library_of(detect, "Empty")
    services.library_recluster(becker_3.library_id)
    group = main_face(becker_3).person
    assert group is not None
    services.face_reject(main_face(becker_3))
    services.face_reject(main_face(becker_4))
    services.library_recluster(becker_3.library_id)
    assert not Person.objects.filter(pk=group.pk).exists()


def test_periodic_task_reclusters_only_marked_libraries(
    detect: Detect, clean_broker: str, django_capture_on_commit_callbacks: object
) -> None:
    assert tasks.recluster() == {}, "nothing marked: nothing done"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        photos = library_of(detect, "Marked")
    assert services._redis().smembers(services.DIRTY_KEY) == {str(photos[0].library_id).encode()}
    result = tasks.recluster()
    assert result[str(photos[0].library_id)]["groups"] == 1
    assert tasks.recluster() == {}


def test_the_recognizer_stores_nothing_once_it_is_no_longer_wanted(face_models: Any) -> None:
    """Switched off while it ran (``stages.classify`` asks): the faces found are not stored."""
    from photonix.faces.classifier import FaceRecognizer
    from photonix.media.decode import open_image
    from tests.faces.conftest import FACES

    recognizer = FaceRecognizer()
    recognizer._models = face_models
    photo = make_photo(make_library("Off"), "Boris_Becker_0003.jpg")
    image = open_image(FACES / "Boris_Becker_0003.jpg", orientation=1, max_size=2048).image
    assert recognizer.run(photo, image, still_wanted=lambda: False) == -1
    assert not Face.objects.filter(photo=photo).exists()
    assert recognizer.run(photo, image) == 2
    assert Face.objects.filter(photo=photo).count() == 2


def test_the_export_lists_the_people_on_each_photo(detect: Detect) -> None:
    becker_3, becker_4, beckham = library_of(detect, "Exported")
    library = Library.objects.get(pk=becker_3.library_id)
    assert all(row["people"] == [] for row in export_rows(library)), "not grouped yet"
    services.library_recluster(library.pk)
    becker = main_face(becker_3).person
    assert becker is not None
    services.person_rename(becker, "Boris Becker")
    rows = {row["photo_id"]: row["people"] for row in export_rows(library)}
    assert rows[becker_3.pk] == rows[becker_4.pk] == [{"id": becker.pk, "name": "Boris Becker"}]
    assert rows[beckham.pk] == []
    services.face_remove(main_face(becker_4))  # "not him": no longer on the photo
    rows = {row["photo_id"]: row["people"] for row in export_rows(library)}
    assert rows[becker_4.pk] == []


def _person_tags(photo: Photo) -> list[tuple[str, str]]:
    from photonix.classifiers.models import PhotoTag

    return list(
        PhotoTag.objects.filter(photo=photo, tag__type="object", tag__name="person")
        .order_by("pk")
        .values_list("source", "verdict")
    )


def test_a_photo_with_a_face_is_tagged_person_and_a_person_decides_last(detect: Detect) -> None:
    from photonix.classifiers.models import Tag
    from photonix.classifiers.services import photo_tag_reject

    folder = make_library("People")
    beckham = make_photo(folder, "David_Beckham_0001.jpg")
    store(beckham, detect("David_Beckham_0001.jpg"))
    assert _person_tags(beckham) == [("faces", "auto")]
    # "Not a face" on its only face: the photo no longer shows a person (for the faces).
    (face,) = Face.objects.filter(photo=beckham)
    services.face_reject(face)
    assert _person_tags(beckham) == []

    becker = make_photo(folder, "Boris_Becker_0003.jpg")
    store(becker, detect("Boris_Becker_0003.jpg"))
    assert _person_tags(becker) == [("faces", "auto")]
    photo_tag_reject(becker, Tag.objects.get(library_id=folder.library_id, name="person"))
    store(becker, detect("Boris_Becker_0003.jpg"))  # processed again: the rejection stays
    assert _person_tags(becker) == [("faces", "rejected")]
