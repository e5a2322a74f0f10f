""" "Process missing" sends exactly the photos that miss a stage, processed ones included."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import redis
from django.test import Client

from photonix.classifiers import registry
from photonix.classifiers.models import ClassifierSwitch
from photonix.core.models import User
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.thumbnails import THUMBNAILER_VERSION
from photonix.pipeline import services
from photonix.pipeline.models import Job, PhotoPipeline, PhotoStage
from photonix.pipeline.queues import QUEUE_NAMES
from tests import fakes

pytestmark = pytest.mark.django_db(transaction=True)


def _photo(folder: LibraryFolder, name: str) -> Photo:
    photo = Photo.objects.create(library_id=folder.library_id)
    file = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/{name}",
        kind="photo",
        state="ok",
        size=1,
        mtime_ns=1,
    )
    photo.preferred_file = file
    photo.save()
    return photo


def test_only_photos_missing_a_stage_are_sent(tmp_path: Path) -> None:
    library, (folder,) = library_add("L", [str(tmp_path)], scan=False)
    for classifier in registry.all_classifiers():  # only the thumbnail stage is required
        ClassifierSwitch.objects.create(library=library, name=classifier.name, enabled=False)
    complete, outdated, new = (_photo(folder, f"{n}.jpg") for n in ("a", "b", "c"))
    PhotoStage.objects.create(
        photo=complete, stage="thumbnails", version=THUMBNAILER_VERSION, state="done"
    )
    PhotoStage.objects.create(photo=outdated, stage="thumbnails", version=0, state="done")

    assert services.process_missing(library.pk) == 2
    states = dict(PhotoPipeline.objects.values_list("photo_id", "state"))
    assert states == {complete.pk: "processed", outdated.pk: "processing", new.pk: "processing"}
    assert services.process_missing(library.pk + 1) == 0


def _library_with_classifiers(tmp_path: Path, on: list[str]) -> tuple[LibraryFolder, int]:
    library, (folder,) = library_add("L", [str(tmp_path)], scan=False)
    for classifier in registry.all_classifiers():
        ClassifierSwitch.objects.create(
            library=library, name=classifier.name, enabled=classifier.name in on
        )
    return folder, library.pk


def _task_names(signature: dict[str, Any]) -> list[str]:
    """Every task a canvas (as a message embeds it) will run, in order."""
    if signature["task"] == "celery.chord":
        header = signature["kwargs"]["header"]
        header = header["kwargs"]["tasks"] if isinstance(header, dict) else header
        return [t for h in header for t in _task_names(h)] + _task_names(
            signature["kwargs"]["body"]
        )
    return [signature["task"]]


def sent(broker: str) -> list[tuple[int, list[str]]]:
    """(photo id, every task its canvas will run) for each canvas now waiting in the broker.

    Read from the real broker's queues: a chain travels as its first task's message with the
    rest embedded; a chord's classifiers each carry the chord's callback.
    """
    client = redis.Redis.from_url(broker)
    canvases: dict[int, list[str]] = {}
    for queue in QUEUE_NAMES:
        for raw in reversed(client.lrange(queue, 0, -1)):  # kombu pushes left, pops right
            message = json.loads(raw)
            args, _, embed = json.loads(base64.b64decode(message["body"]))
            names = canvases.setdefault(args[0], [])
            names.append(message["headers"]["task"])
            for step in reversed(embed.get("chain") or []):
                names.extend(_task_names(step))
            if embed.get("chord") and embed["chord"]["task"] not in names:
                names.append(embed["chord"]["task"])
    return sorted(canvases.items())


def sent_message(broker: str, queue: str) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    (raw,) = redis.Redis.from_url(broker).lrange(queue, 0, -1)
    args, kwargs, embed = json.loads(base64.b64decode(json.loads(raw)["body"]))
    return args, kwargs, embed


def test_process_missing_of_one_stage_sends_only_that_stage(
    tmp_path: Path, clean_broker: str
) -> None:
    flush = redis.Redis.from_url(clean_broker).flushdb
    with registry.registered(fakes.Brightness()), registry.registered(fakes.Failing()):
        folder, library_id = _library_with_classifiers(
            tmp_path, ["fake_brightness", "fake_failing"]
        )
        untouched, tagged = _photo(folder, "a.jpg"), _photo(folder, "b.jpg")
        for photo in (untouched, tagged):
            PhotoStage.objects.create(
                photo=photo, stage="thumbnails", version=THUMBNAILER_VERSION, state="done"
            )
        PhotoStage.objects.create(
            photo=tagged, stage="classify:fake_brightness", version=1, state="done"
        )
        flush()

        # Thumbnails are done everywhere: nothing to send, and no photo changes state.
        assert services.process_missing(library_id, "thumbnails") == 0
        assert sent(clean_broker) == [] and not PhotoPipeline.objects.exists()

        assert services.process_missing(library_id, "classify:fake_brightness") == 1
        classify, finish = "photonix.classify.run", "photonix.pipeline.finish_photo"
        assert sent(clean_broker) == [(untouched.pk, [classify, finish])]
        args, _, embed = sent_message(clean_broker, "classify")
        assert args == [untouched.pk, "fake_brightness"]
        assert embed["chord"]["kwargs"] == {"scope": "classify:fake_brightness"}
        assert embed["chord"]["options"].get("queue", "classify") == "classify"
        assert PhotoPipeline.objects.get(pk=untouched.pk).state == "processing"
        assert not PhotoPipeline.objects.filter(pk=tagged.pk).exists()

        flush()
        assert services.process_missing(library_id, "classify") == 2  # every classifier
        assert sent(clean_broker) == [
            (untouched.pk, [classify, finish, classify]),  # both classifiers, one chord
            (tagged.pk, [classify, finish]),  # failing only: brightness is done
        ]

        flush()
        assert services.process_missing(library_id) == 2  # no stage: all that is missing
        assert PhotoPipeline.objects.filter(state="processing").count() == 2


def test_process_missing_refuses_an_unknown_stage(tmp_path: Path, clean_broker: str) -> None:
    folder, library_id = _library_with_classifiers(tmp_path, [])
    _photo(folder, "a.jpg")
    for stage in ("thumbnail", "classify:nope", "finish", ""):
        with pytest.raises(services.UnknownStageError, match="unknown stage"):
            services.process_missing(library_id, stage)
    assert sent(clean_broker) == [] and not PhotoPipeline.objects.exists()


def test_the_api_sends_one_stage_and_says_what_is_wrong(
    tmp_path: Path, clean_broker: str, client: Client
) -> None:
    client.force_login(User.objects.create_superuser("root", password="x" * 16))
    folder, library_id = _library_with_classifiers(tmp_path, [])
    photo = _photo(folder, "a.jpg")
    redis.Redis.from_url(clean_broker).flushdb()
    answer = client.post(
        "/api/pipeline/process-missing",
        {"stage": "thumbnails", "library": library_id},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"dispatched": 1}
    assert sent(clean_broker) == [
        (photo.pk, ["photonix.media.make_thumbnails", "photonix.pipeline.finish_photo"])
    ]
    # Without classifiers the photo finishes where its thumbnails were made.
    _, _, embed = sent_message(clean_broker, "media")
    assert embed["chain"][0]["options"]["queue"] == "media"
    bad = client.post(
        "/api/pipeline/process-missing", {"stage": "thumbnail"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "unknown stage 'thumbnail'" in bad.json()["stage"][0]
    assert len(sent(clean_broker)) == 1


def test_reconcile_asks_the_database_nothing_while_nothing_changed(
    clean_broker: str, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):  # one query finds nothing unfinished
        assert services.reconcile(dt.timedelta(0)) == {
            "photos": 0,
            "files": 0,
            "jobs_lost": 0,
            "runs": 0,
        }
    with django_assert_num_queries(0):  # and until something is published, none at all
        assert services.reconcile(dt.timedelta(0)) == {
            "photos": 0,
            "files": 0,
            "jobs_lost": 0,
            "runs": 0,
        }
    client = redis.Redis.from_url(clean_broker)
    assert client.ttl(services.CLEAN_KEY) > 0, "the mark expires: a full check now and then"
    # Anything that records a job, once published, makes the next reconciliation look again.
    from photonix.celery import app

    with app.producer_or_acquire() as producer:
        app.send_task("photonix.library.scan_folder", args=[123456], producer=producer)
    assert client.get(services.CLEAN_KEY) is None
    client.delete("import")  # the broker "lost" it: the next run must look, and finds the record
    with django_assert_num_queries(2):  # the query, and closing the lost record
        assert services.reconcile(dt.timedelta(0))["jobs_lost"] == 1
    # Beat's own housekeeping keeps no records and does not count as a change.
    assert services.reconcile(dt.timedelta(0)) == {
        "photos": 0,
        "files": 0,
        "jobs_lost": 0,
        "runs": 0,
    }
    app.send_task("photonix.pipeline.reconcile")
    assert client.get(services.CLEAN_KEY) is not None
    assert not Job.objects.filter(name="photonix.pipeline.reconcile").exists()


def test_reconcile_on_an_idle_installation_asks_the_workers_nothing(clean_broker: str) -> None:
    """Beat's housekeeping unacknowledged (a run of it under way, or on a worker that died) is no
    work: the reconciliation sends the workers no question."""
    from photonix.celery import app
    from photonix.pipeline import tasks

    app.send_task("photonix.pipeline.prune_jobs")
    worker = app.connection_for_write()  # a worker runs it (closing would give it back)
    channel: Any = worker.default_channel
    assert channel.basic_get("import", no_ack=False) is not None
    client = redis.Redis.from_url(clean_broker)
    db = client.connection_pool.connection_kwargs.get("db", 0)
    listener = client.pubsub()
    listener.psubscribe(f"/{db}.*")  # kombu's broadcasts (``inspect``) on this database
    listener.get_message(timeout=5)  # the subscription's confirmation
    assert tasks.reconcile.apply().get() == {"photos": 0, "files": 0, "jobs_lost": 0, "runs": 0}
    client.publish(f"/{db}.end-of-test", "end")
    heard = []
    while (message := listener.get_message(timeout=5)) is not None:
        heard.append(message["channel"].decode())
        if heard[-1].endswith("end-of-test"):
            break
    assert heard == [f"/{db}.end-of-test"], "no broadcast before the end"
    assert client.hlen("unacked") == 1, "left to its worker, or to the visibility timeout"
    listener.close()
    client.close()
    worker.release()
