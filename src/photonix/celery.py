"""The Celery application. Configuration is read from Django settings (``CELERY_*``)."""

from __future__ import annotations

import os

from celery import Celery

from photonix.core.worker_state import WorkerStateStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photonix.settings")

app = Celery("photonix")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks that live below an app's top package (the library's import, trash and edit tasks).
app.autodiscover_tasks(["photonix.library.importing", "photonix.library.browse"])
# Every worker keeps its state (name, queues) on the broker for the health check.
app.steps["consumer"].add(WorkerStateStep)
