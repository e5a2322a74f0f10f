"""Structured logging: JSON lines in production, readable lines in development.

Every record carries ``task_id`` and ``photo_id`` from context variables that the Celery signal
handlers in :mod:`photonix.pipeline.signals` set around each task, so a line written anywhere inside
a task — a service, a library, a classifier — can be traced back to it. No Django import here.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from photonix.conf import Config

task_id_var: ContextVar[str | None] = ContextVar("photonix_task_id", default=None)
photo_id_var: ContextVar[int | None] = ContextVar("photonix_photo_id", default=None)


class ContextFilter(logging.Filter):
    """Adds ``task_id`` and ``photo_id`` (``-`` when absent) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "task_id"):
            record.task_id = task_id_var.get() or "-"
        if not hasattr(record, "photo_id"):
            photo = photo_id_var.get()
            record.photo_id = "-" if photo is None else photo
        return True


TEXT_FORMAT = (
    "%(asctime)s %(levelname)-7s %(name)s [task=%(task_id)s photo=%(photo_id)s] %(message)s"
)
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(task_id)s %(photo_id)s %(message)s"


def logging_dict(config: Config) -> dict[str, Any]:
    """The ``LOGGING`` dictionary for Django (and every other process of Photonix)."""
    formatter: dict[str, Any]
    if config.json_logs:
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    else:
        formatter = {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "photonix.logconfig.ContextFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": config.log_level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "celery": {"level": config.log_level},
        },
    }
