"""Housekeeping tasks of the core."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="photonix.core.tasks.ping")
def ping(message: str = "pong") -> str:
    """Echo ``message``: proves a task sent from Django runs on a worker and returns a result."""
    logger.info("ping received: %s", message)
    return message
