"""Reverse geocoding and calendar rules, pure: no database, no image."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from photonix.classifiers.events import EventClassifier, events_on, local_time
from photonix.classifiers.facts import PhotoFacts, UserDate
from photonix.classifiers.places import PlaceClassifier, geocoder


def place_names(lat: float, lon: float) -> list[tuple[str, tuple[str, ...]]]:
    found = PlaceClassifier().predict_facts(PhotoFacts(latitude=lat, longitude=lon))
    return [(p.name, p.parents) for p in found]


def test_a_gps_sample_is_in_tuscany_near_arezzo() -> None:
    # gps/DSCN0010.jpg
    assert place_names(43.4674483333333, 11.8851266666639) == [
        ("Italy", ()),
        ("Tuscany, Italy", ("Italy",)),
        ("Arezzo, Tuscany", ("Tuscany, Italy", "Italy")),
    ]


MANIFEST = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "photos" / "manifest.json").read_text()
)
GPS_FIXTURES = {e["file"]: tuple(e["gps"]) for e in MANIFEST if e["gps"]}
# Country, region, nearest town of every fixture with a position. Where the manifest names the
# place it agrees (Arezzo; Victoria, Australia; Réunion), except where it names another thing:
# - thompson-springs.jpg: its IPTC City says Thompson Springs (Utah), but its GPS position,
#   39.115, -108.401, is 4 km from Palisade, Colorado (Thompson Springs lies at 38.97, -109.71);
# - iphone_7_exif6_no_irot.heic: "(Himeji)" — the position is between the two towns, 4.6 km
#   from Takasago's centre and about 7 km from Himeji's; the nearest town is named.
PLACES = {
    "gps/DSCN0010.jpg": ("Italy", "Tuscany", "Arezzo"),
    "gps/DSCN0012.jpg": ("Italy", "Tuscany", "Arezzo"),
    "gps/DSCN0021.jpg": ("Italy", "Tuscany", "Arezzo"),
    "gps/thompson-springs.jpg": ("United States", "Colorado", "Palisade"),
    "gps/datetimeoriginal-gps.jpg": ("United States", "Colorado", "Cedaredge"),  # 39 N, 108 W
    "gps/png_with_exif_and_gps.png": ("Czech Republic", "Central Bohemia", "Benátky nad Jizerou"),
    "gps/gps-2000_southern.jpg": ("Australia", "Victoria", "Anglesea"),
    "gps/altitude.jpg": ("Ukraine", "Crimea", "Slavnoye"),  # as GeoNames files Crimea
    "heic/iphone_7_exif6_no_irot.heic": ("Japan", "Hyōgo", "Takasago"),
    "png-webp-tiff/canon_6d_gps_16bit.tif": ("Reunion", "Réunion", "Cilaos"),
    "faces-objects/classic_car.heic": ("Spain", "Catalonia", "Calonge"),  # Costa Brava
    "broken/jpeg_named.png": ("South Africa", "Eastern Cape", "Stormsrivier"),  # Tsitsikamma
}


def test_every_gps_fixture_has_its_place() -> None:
    assert set(PLACES) == set(GPS_FIXTURES)


@pytest.mark.parametrize("file", sorted(GPS_FIXTURES))
def test_the_place_of_a_gps_fixture(file: str) -> None:
    country, region, city = PLACES[file]
    assert place_names(*GPS_FIXTURES[file]) == [
        (country, ()),
        (f"{region}, {country}", (country,)),
        (f"{city}, {region}", (f"{region}, {country}", country)),
    ]


def test_mid_ocean_and_null_island_get_no_place() -> None:
    assert place_names(0.0, -30.0) == []  # Atlantic: the nearest town is 500 km away
    assert place_names(0.0, 0.0) == []  # a GPS without a fix
    assert place_names(36.0, -40.0) == []


def test_far_from_towns_on_land_keeps_country_only_within_reach() -> None:
    # Central Australia, ~87 km from the nearest town: past the city limit, within the region's.
    place = geocoder().lookup(-23.5, 133.0)
    assert place is not None and place.country == "Australia" and place.city == ""
    assert place_names(-23.5, 133.0) == [
        ("Australia", ()),
        ("Northern Territory, Australia", ("Australia",)),
    ]
    assert geocoder().lookup(-25.0, 130.0) is None  # the desert: no wrong answer


def test_the_antimeridian_is_no_edge() -> None:
    # Taveuni, Fiji, sits across 180°: towns on both sides are found by true distance.
    east = geocoder().lookup(-16.80, 179.99)
    west = geocoder().lookup(-16.80, -179.99)
    assert east is not None and west is not None
    assert east.country == west.country == "Fiji"
    assert abs(east.distance_km - west.distance_km) < 5


def test_a_border_town_is_on_the_right_side() -> None:
    # Central Basel: the nearest German town is also close; the time zone decides.
    assert place_names(47.558, 7.588)[0][0] == "Switzerland"
    assert place_names(47.59, 7.60)[0][0] == "Germany"  # Weil am Rhein


def test_high_latitudes_measure_true_distances() -> None:
    place = geocoder().lookup(64.84, -147.72)  # Fairbanks, Alaska
    assert place is not None and place.city == "Fairbanks" and place.distance_km < 5


def test_no_gps_no_place() -> None:
    assert PlaceClassifier().predict_facts(PhotoFacts()) == []


def names(facts: PhotoFacts) -> list[str]:
    return [p.name for p in EventClassifier().predict_facts(facts)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2023, 12, 25), ["Christmas"]),
        (dt.date(2023, 12, 24), ["Christmas Eve"]),
        (dt.date(2023, 12, 31), ["New Year's Eve"]),
        (dt.date(2024, 1, 1), ["New Year's Day"]),
        (dt.date(2024, 10, 31), ["Halloween"]),
        (dt.date(2024, 2, 14), ["Valentine's Day"]),
        (dt.date(2024, 3, 3), []),
    ],
)
def test_fixed_events(day: dt.date, expected: list[str]) -> None:
    assert events_on(day) == expected


def test_a_photo_on_25_december_is_christmas() -> None:
    facts = PhotoFacts(
        taken_local=dt.datetime(2019, 12, 25, 10, 0), taken_source="exif:DateTimeOriginal"
    )
    assert names(facts) == ["Christmas"]


def test_late_on_christmas_eve_with_a_recorded_offset_is_christmas_eve() -> None:
    # 23:30 on 24 December in UTC−5: it is already 25 December in UTC, but not where it was taken.
    facts = PhotoFacts(
        taken_local=dt.datetime(2023, 12, 24, 23, 30),
        taken_offset=-300,
        taken_source="exif:DateTimeOriginal",
    )
    assert names(facts) == ["Christmas Eve"]


def test_a_utc_time_is_moved_to_the_zone_of_its_gps_position() -> None:
    # The GPS clock says 04:30 UTC on 25 December; the photo was taken in New York.
    facts = PhotoFacts(
        latitude=40.7128,
        longitude=-74.006,
        taken_local=dt.datetime(2023, 12, 25, 4, 30),
        taken_offset=0,
        taken_source="gps",
    )
    assert local_time(facts) == dt.datetime(2023, 12, 24, 23, 30)
    assert names(facts) == ["Christmas Eve"]
    # Without a position, the UTC date is the best there is.
    assert names(PhotoFacts(taken_local=facts.taken_local, taken_offset=0, taken_source="gps")) == [
        "Christmas"
    ]


def test_a_modification_time_is_a_weak_date() -> None:
    facts = PhotoFacts(
        taken_local=dt.datetime(2022, 10, 31, 12), taken_offset=0, taken_source="mtime"
    )
    (prediction,) = EventClassifier().predict_facts(facts)
    assert prediction.name == "Halloween" and prediction.confidence == 0.5


def test_user_dates_birthdays_and_one_off_days() -> None:
    birthday = UserDate("Ada's birthday", dt.date(2015, 6, 3), yearly=True)
    wedding = UserDate("Wedding", dt.date(2020, 9, 12), yearly=False)
    leap = UserDate("Leap's birthday", dt.date(2016, 2, 29), yearly=True)
    dates = (birthday, wedding, leap)
    assert events_on(dt.date(2021, 6, 3), dates) == ["Ada's birthday"]
    assert events_on(dt.date(2014, 6, 3), dates) == [], "not before the first year"
    assert events_on(dt.date(2020, 9, 12), dates) == ["Wedding"]
    assert events_on(dt.date(2021, 9, 12), dates) == []
    assert events_on(dt.date(2021, 2, 28), dates) == ["Leap's birthday"]
    assert events_on(dt.date(2024, 2, 28), dates) == []
    assert events_on(dt.date(2024, 2, 29), dates) == ["Leap's birthday"]


def test_no_date_no_event() -> None:
    assert names(PhotoFacts()) == []
