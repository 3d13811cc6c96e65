"""Airport and city names in Traditional Chinese (offers/airport_names.py)."""

import pytest
from django.conf import settings
from django.utils import translation

from offers import airport_names, airports
from offers.airports import served_airports
from offers.models import Airport
from portal.jinja2 import airport_name
from tests.offers.test_flight_search import a_monday_in_season, search

pytestmark = pytest.mark.django_db


def test_every_airport_the_timetable_serves_has_a_chinese_name(timetable):
    served = set(served_airports().values_list("iata", flat=True))
    assert served, "the timetable serves airports"
    assert served - set(airport_names.ZH_HANT) == set()


def test_names_follow_the_active_language(timetable):
    jfk = Airport.objects.get(iata="JFK")
    with translation.override("en"):
        assert str(jfk) == "New York (JFK)"
        assert airport_name("jfk") == "John F Kennedy International Airport, New York"
    with translation.override("zh-hant"):
        assert str(jfk) == "紐約 (JFK)"
        assert airport_name("JFK") == "紐約甘迺迪國際機場"
        assert airport_name("LHR").startswith("London Heathrow"), "an airport outside the table stays in English"


def test_a_chinese_city_name_finds_its_airports(timetable):
    with translation.override("zh-hant"):
        assert {a.iata for a in airports.matching("紐約")} == {"JFK", "LGA"}
        assert airports.resolve("舊金山").iata == "SFO"
    assert airports.resolve("舊金山").iata == "SFO", "typed Chinese works whatever the page's language"


def test_the_type_ahead_answers_in_the_members_language(client, timetable):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    found = client.get("/flights/airports/", {"q": "MIA"}).json()["airports"]
    assert found[0]["label"] == "邁阿密 (MIA) – 邁阿密國際機場"


def test_a_chinese_search_shows_chinese_city_names(client, timetable):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    page = search(client, origin="紐約 (JFK)", destination="洛杉磯", date=a_monday_in_season().isoformat(),
                  cabin="economy", passengers=1).content.decode()
    assert 'title="紐約 (JFK)"' in page and 'title="洛杉磯 (LAX)"' in page
