"""A visitor's home page: routes like the ones they looked at this browser session, or the popular ones, saying which."""

import datetime as dt
import re

import numpy as np
import pytest
from django.utils import timezone

from offers.demo.airports import load_airports
from offers.demo.timetable import load_timetable
from recommendations.training import pipeline
from tests.recommendations.conftest import plant, recommender_settings  # noqa: F401 - small, fast training

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.fixture
def trained(db):
    """The demo timetable, Florida fans and business commuters from JFK (popular near JFK: business routes), a model."""
    load_airports()
    load_timetable()
    rng = np.random.default_rng(5)
    plant(60, ["MIA", "FLL", "TPA", "MCO"], rng=rng, prefix="fl")
    plant(80, ["ORD", "BOS", "DFW", "LAX", "SFO", "SEA"], rng=rng, prefix="bz")
    pipeline.train(tune=False)


def slot_of(html):
    match = re.search(r'<section class="card slot slot--visitor_routes".*?</section>', html, re.S)
    return match.group(0) if match else None


def search(client, destination):
    day = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    assert client.get("/flights/", {"origin": "JFK", "destination": destination, "date": day, "passengers": 1},
                      HTTP_USER_AGENT=BROWSER).status_code == 200


def test_a_visitor_sees_routes_like_the_ones_they_looked_at(client, trained):
    search(client, "MIA")
    search(client, "TPA")
    slot = slot_of(client.get("/", HTTP_USER_AGENT=BROWSER).content.decode())
    assert slot is not None
    assert 'aria-labelledby="slot-visitor_routes"' in slot and '<h2 id="slot-visitor_routes">Based on what you looked at</h2>' in slot
    destinations = re.findall(r'href="/flights/\?origin=JFK&amp;destination=(\w{3})"', slot)
    assert destinations and sum(d in {"MIA", "FLL", "TPA", "MCO"} for d in destinations) > len(destinations) / 2
    assert "Because you searched JFK→" in slot and "one way in the next four weeks" in slot


def test_the_home_page_is_never_kept_by_a_shared_cache(client, trained):
    search(client, "MIA")  # the page now depends on this browser's cookie
    response = client.get("/", HTTP_USER_AGENT=BROWSER)
    assert "private" in response["Cache-Control"] and "Cookie" in response["Vary"]


def test_without_looks_a_visitor_gets_the_popular_routes_and_is_told_so(client, trained):
    html = client.get("/", HTTP_USER_AGENT=BROWSER).content.decode()
    slot = slot_of(html)
    assert "Join for free" in html and slot is not None
    assert "Popular with travellers" in slot and "(not personalized)" in slot and "Because you" not in slot


def test_a_failing_recommender_leaves_the_slot_out_and_the_page_up(client, db, monkeypatch):
    import recommendations

    def broken(*args, **kwargs):
        raise RuntimeError("recommender down")

    monkeypatch.setattr(recommendations, "serve_visitor", broken)
    response = client.get("/")
    assert response.status_code == 200 and "Join for free" in response.content.decode()
    assert slot_of(response.content.decode()) is None


def test_a_member_gets_their_dashboard_not_the_visitor_slot(member_client, trained):
    html = member_client.get("/").content.decode()
    assert "Your status" in html and slot_of(html) is None
