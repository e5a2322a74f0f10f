"""``photonix manage search_reindex``: rebuild the free-text search index from every name."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from photonix.library.browse.terms import reindex_all


class Command(BaseCommand):
    help = "Rebuild the free-text search index (the words of every name) from the database."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"indexed {reindex_all()} search keys")
