"""Settings of the whole installation that an administrator changes in the web app.

Today: the map's tile source. Precedence: a source saved in Settings wins; without one, the
environment's ``PHOTONIX_MAP_TILE_URL`` and ``PHOTONIX_MAP_ATTRIBUTION`` (the default); with
neither, maps draw the offline world layer shipped with the app and fetch nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from photonix.core.errors import PhotonixError
from photonix.core.models import InstanceSettings

SINGLETON_PK = 1
MAX_TILE_URL = 500
MAX_ATTRIBUTION = 300
# Leaflet's placeholders: zoom, column, row, subdomain, retina suffix.
PLACEHOLDERS = frozenset({"z", "x", "y", "s", "r"})
# A host (or a ``{s}.`` subdomain wildcard) and an optional port, nothing else: the host is
# written into the Content-Security-Policy header, where a space or ``;`` would add directives.
_HOST = re.compile(r"^(\{s\}\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$")
# Characters a tile URL has no business holding (they would also end a CSP source).
_FORBIDDEN = re.compile(r"[\s;,'\"<>\\]")


class InvalidTileSourceError(PhotonixError):
    """A tile URL template or attribution that maps cannot use."""


@dataclass(frozen=True)
class MapTiles:
    """The tile source maps use. ``source``: where it comes from."""

    url: str
    attribution: str
    source: Literal["settings", "environment", "none"]


def _row() -> InstanceSettings | None:
    return InstanceSettings.objects.filter(pk=SINGLETON_PK).first()


def saved_map_tiles() -> MapTiles:
    """The tile source saved in Settings (empty when none is)."""
    row = _row()
    if row is None or not row.map_tile_url:
        return MapTiles("", "", "none")
    return MapTiles(row.map_tile_url, row.map_attribution, "settings")


def map_tiles() -> MapTiles:
    """The tile source in effect (one primary-key read)."""
    row = _row()
    if row is not None and row.map_tile_url:
        return MapTiles(row.map_tile_url, row.map_attribution, "settings")
    env_url = str(settings.PHOTONIX_MAP_TILE_URL or "")
    if env_url:
        return MapTiles(env_url, str(settings.PHOTONIX_MAP_ATTRIBUTION or ""), "environment")
    return MapTiles("", "", "none")


def validate_tile_url(template: str) -> str:
    """The template, stripped, if maps can use it; else :class:`InvalidTileSourceError`."""
    template = template.strip()
    if len(template) > MAX_TILE_URL:
        raise InvalidTileSourceError(f"At most {MAX_TILE_URL} characters.", field="map_tile_url")
    if _FORBIDDEN.search(template):
        raise InvalidTileSourceError(
            "No spaces, quotes, commas, semicolons, angle brackets or backslashes.",
            field="map_tile_url",
        )
    scheme, _, rest = template.partition("://")
    if scheme.lower() not in ("http", "https") or not rest:
        raise InvalidTileSourceError("Must start with https:// (or http://).", field="map_tile_url")
    host = rest.split("/", 1)[0]
    if "@" in host or not _HOST.match(host):
        raise InvalidTileSourceError(
            "Must name a host (e.g. https://tile.example.org/{z}/{x}/{y}.png); a {s}. "
            "subdomain is allowed.",
            field="map_tile_url",
        )
    names = re.findall(r"\{([^{}]*)\}", template)
    unknown = sorted(set(names) - PLACEHOLDERS)
    if unknown:
        raise InvalidTileSourceError(
            f"Unknown placeholder {{{unknown[0]}}}: use {{z}}, {{x}}, {{y}}, {{s}} and {{r}}.",
            field="map_tile_url",
        )
    missing = [name for name in ("z", "x", "y") if name not in names]
    if missing:
        raise InvalidTileSourceError(
            "Must contain {z}, {x} and {y} (missing "
            + ", ".join(f"{{{name}}}" for name in missing)
            + ").",
            field="map_tile_url",
        )
    if template.count("{") != template.count("}") or not urlsplit(template).netloc:
        raise InvalidTileSourceError("Not a valid URL template.", field="map_tile_url")
    return template


def validate_attribution(text: str) -> str:
    """Plain text (Leaflet shows it as HTML, so no markup), stripped."""
    text = text.strip()
    if len(text) > MAX_ATTRIBUTION:
        raise InvalidTileSourceError(
            f"At most {MAX_ATTRIBUTION} characters.", field="map_attribution"
        )
    if re.search(r"[<>]", text):
        raise InvalidTileSourceError("Plain text only (no < or >).", field="map_attribution")
    return text


@transaction.atomic
def map_tiles_set(*, url: str, attribution: str) -> MapTiles:
    """Save the tile source (an empty ``url`` clears it: back to the environment's default).

    Raises :class:`InvalidTileSourceError` for a template maps cannot use.
    """
    url = validate_tile_url(url) if url.strip() else ""
    attribution = validate_attribution(attribution) if url else ""
    InstanceSettings.objects.update_or_create(
        pk=SINGLETON_PK, defaults={"map_tile_url": url, "map_attribution": attribution}
    )
    return map_tiles()
