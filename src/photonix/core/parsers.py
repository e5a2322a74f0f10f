"""The JSON parser of every request body (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

DRF's own, except that a body nested deeper than Python's JSON decoder goes (it recurses once a
level and stops at the interpreter's recursion limit) is answered 400 instead of a server error.
A module of its own because DRF reads its parser classes while ``rest_framework.views`` is
still being imported (``photonix.core.http`` imports that module).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested too deep to decode is a parse error (400)."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deep") from None
