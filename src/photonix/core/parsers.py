"""The JSON parser of every request body (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

DRF's own, but a body nested deeper than :data:`MAX_JSON_DEPTH` is refused with a 400 before it
is decoded: Python's JSON decoder recurses once a level and would fail with a recursion error.
A module of its own because DRF reads its parser classes while ``rest_framework.views`` is
still being imported (``photonix.core.http`` imports that module).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request of the API nests more than a few levels.
MAX_JSON_DEPTH = 32

# A string (whose brackets do not count), or one bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def depth_exceeds(text: str, limit: int) -> bool:
    """Whether the JSON ``text`` nests arrays and objects deeper than ``limit``."""
    depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which first refuses a body nested deeper than :data:`MAX_JSON_DEPTH`."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if depth_exceeds(text, MAX_JSON_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
