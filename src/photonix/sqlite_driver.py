"""SQLite with loadable extensions, for sqlite-vec (smart search's vector index).

Some Python builds leave ``sqlite3.Connection.enable_load_extension`` out. Where that is so and
the ``pysqlite3`` wheel (``pysqlite3-binary``: the same module, its own SQLite, extensions
allowed) is installed, it stands in for ``sqlite3`` before Django's SQLite backend imports it.
Elsewhere nothing changes, and smart search says it is unavailable on SQLite.

Standard library only: ``settings`` calls it before Django sets up.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys


def loadable() -> bool:
    """Whether the ``sqlite3`` Django will use can load extensions (swapping it in if needed)."""
    module = sys.modules.get("sqlite3", sqlite3)
    if hasattr(module.Connection, "enable_load_extension"):
        return True
    try:
        replacement = importlib.import_module("pysqlite3")
        dbapi2 = importlib.import_module("pysqlite3.dbapi2")
    except ImportError:
        return False
    sys.modules["sqlite3"] = replacement
    sys.modules["sqlite3.dbapi2"] = dbapi2
    return True
