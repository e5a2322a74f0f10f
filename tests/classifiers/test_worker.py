"""The built-in classifiers in a real worker, on photos imported through the real scan."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import Popen

import pytest

from photonix.classifiers import registry
from photonix.classifiers.models import ClassifierSwitch, PhotoTag, Tag
from photonix.library.browse.export import export_rows
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import PhotoFile
from photonix.library.services import library_add
from photonix.pipeline import services
from photonix.pipeline.models import Job, PhotoPipeline, PhotoStage
from tests.classifiers.plugins import MissingModel
from tests.pipeline.test_pipeline import jobs_of, photo_of, settled
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos"
BUILTINS = ["object", "colour", "place", "style", "event"]


def test_builtin_classifiers_tag_imported_photos_and_a_missing_model_blocks_nothing(
    tmp_path: Path,
    clean_broker: str,
    process_env: dict[str, str],
    spawn: Callable[..., Popen[bytes]],
) -> None:
    with registry.registered(MissingModel()):
        root = tmp_path / "photos"
        root.mkdir()
        library, (folder,) = library_add("Tagged", [str(root)], scan=False)
        for classifier in registry.all_classifiers():
            ClassifierSwitch.objects.update_or_create(
                library=library,
                name=classifier.name,
                defaults={"enabled": classifier.name in [*BUILTINS, "missing_model"]},
            )
        for name in ("faces-objects/chelsea_cat.png", "gps/DSCN0010.jpg"):
            shutil.copy(FIXTURES / name, root / Path(name).name)
        spawn(
            "worker",
            "--concurrency",
            "2",
            env={
                **process_env,
                "PHOTONIX_OFFLINE": "true",
                "PHOTONIX_EXTRA_CLASSIFIERS": "tests.classifiers.plugins:MissingModel",
            },
        )
        folder_scan(folder)
        files = {Path(p).name: pk for p, pk in PhotoFile.objects.values_list("path", "pk")}
        cat = photo_of(files["chelsea_cat.png"])
        tuscany = photo_of(files["DSCN0010.jpg"])
        for photo in (cat, tuscany):
            assert settled(photo, timeout=120) == "failed", "the missing model fails its own job"

            def finished(photo_id: int = photo.pk) -> bool:
                stages = [f"classify:{n}" for n in BUILTINS]
                done = Job.objects.filter(
                    photo_id=photo_id, stage__in=stages, state__in=("succeeded", "failed")
                )
                return done.count() == len(stages)

            wait_for(finished, 120, "every built-in classifier to finish")
            jobs = jobs_of(photo)
            for name in BUILTINS:
                assert [j.state for j in jobs[f"classify:{name}"]] == ["succeeded"], name
            (failure,) = jobs["classify:missing_model"]
            assert failure.state == "failed" and failure.attempts == 1
            assert "absent-detector" in failure.error and "PHOTONIX_OFFLINE" in failure.error

        def tags(photo_id: int, tag_type: str) -> set[str]:
            return set(
                PhotoTag.objects.filter(photo_id=photo_id, tag__type=tag_type).values_list(
                    "tag__name", flat=True
                )
            )

        assert {"Egyptian cat", "cat", "animal"} <= tags(cat.pk, "object")
        assert "Brown" in tags(cat.pk, "colour")
        assert tags(cat.pk, "place") == set()
        assert tags(tuscany.pk, "place") == {"Italy", "Tuscany, Italy", "Arezzo, Tuscany"}
        row = PhotoTag.objects.get(photo=cat, tag__name="Egyptian cat")
        assert row.source == "object" and row.version == 3 and 0 < row.confidence <= 1
        assert not Job.objects.filter(photo=cat, stage="classify:object", state="failed").exists()


def test_a_scene_is_one_tag_and_reprocessing_drops_the_old_style_copies(
    tmp_path: Path,
    clean_broker: str,
    process_env: dict[str, str],
    spawn: Callable[..., Popen[bytes]],
) -> None:
    """A beach photo through the object and style classifiers: "landscape" and "seashore" are
    object tags only. Tags stored by the old style classifier (version 1 repeated the scenes)
    go when "process missing" runs the new version, and the export lists a name once."""
    root = tmp_path / "photos"
    root.mkdir()
    library, (folder,) = library_add("Scenes", [str(root)], scan=False)
    for classifier in registry.all_classifiers():
        ClassifierSwitch.objects.update_or_create(
            library=library,
            name=classifier.name,
            defaults={"enabled": classifier.name in ("object", "style")},
        )
    shutil.copy(FIXTURES / "gps/gps-2000_southern.jpg", root / "beach.jpg")
    spawn("worker", "--concurrency", "2", env={**process_env, "PHOTONIX_OFFLINE": "true"})
    folder_scan(folder)
    photo = photo_of(PhotoFile.objects.get().pk)
    assert settled(photo, timeout=120) == "processed", jobs_of(photo)

    def names(tag_type: str) -> set[str]:
        return set(
            PhotoTag.objects.filter(photo=photo, tag__type=tag_type).values_list(
                "tag__name", flat=True
            )
        )

    assert not names("style") & {"landscape", "seashore", "coast"}
    assert {"landscape", "seashore", "coast"} <= names("object")

    # What the style classifier's version 1 left on photos imported before.
    stale = []
    for name in ("landscape", "seashore"):
        tag, _ = Tag.objects.get_or_create(library=library, type="style", name=name)
        stale.append(PhotoTag(photo=photo, tag=tag, source="style", confidence=0.9, version=1))
    PhotoTag.objects.bulk_create(stale)
    PhotoStage.objects.filter(photo=photo, stage="classify:style").update(version=1)
    (row,) = export_rows(library)
    assert [t["name"] for t in row["tags"]].count("landscape") == 1, "listed once all the same"
    assert {"type": "object", "name": "landscape"}.items() <= next(
        t for t in row["tags"] if t["name"] == "landscape"
    ).items()

    assert services.process_missing(library.pk) == 1
    wait_for(
        lambda: (
            PhotoStage.objects.filter(photo=photo, stage="classify:style", version=2).exists()
            and PhotoPipeline.objects.get(pk=photo.pk).state == "processed"
        ),
        120,
        "the style classifier's new version to run",
    )
    assert not names("style") & {"landscape", "seashore", "coast"}
    (row,) = export_rows(library)
    exported = [t["name"] for t in row["tags"]]
    assert len(exported) == len(set(exported)), exported
