"""The committed OpenAPI file is what the code serves; the UI's typed client comes from it."""

from __future__ import annotations

from pathlib import Path

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

import photonix

COMMITTED = Path(photonix.__file__).parent / "api" / "openapi.yaml"


def test_openapi_file_matches_the_code() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    generated = OpenApiYamlRenderer().render(schema, renderer_context={}).decode()
    assert generated == COMMITTED.read_text(encoding="utf-8"), (
        "src/photonix/api/openapi.yaml is out of date: run `make openapi` and commit the result."
    )
