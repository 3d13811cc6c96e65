"""The member's portal: their status, their offers, their trips; a failing source degrades one slot only."""

import pytest

from members.models import Tier
from offers.demo.airports import load_airports
from offers.demo.timetable import load_timetable
from offers.models import Offer, ScheduledFlight
from offers.trips import save_trip
from tests.factories import MemberFactory
from tests.offers.test_flight_search import a_monday_in_season

pytestmark = pytest.mark.django_db


@pytest.fixture
def timetable(db):
    load_airports()
    load_timetable()


def offer(slug, tiers=(), **fields):
    made = Offer.objects.create(title=slug.replace("-", " ").title(), slug=slug, summary=f"About {slug}", category="miles_bonus",
                                live=True, **fields)
    made.tiers.set(Tier.objects.filter(code__in=tiers))
    return made


@pytest.mark.parametrize("tier", ["member", "gold", "platinum", "executive_platinum"])
def test_each_tier_sees_its_own_status_and_only_its_offers(client, tier):
    member = MemberFactory(tier=Tier.objects.get(code=tier), home_airport="JFK")
    offer("for-all")
    offer("gold-only", tiers=["gold"])
    offer("top-tier-only", tiers=["executive_platinum"])
    client.force_login(member)
    html = client.get("/").content.decode()
    assert f"Your status: {Tier.objects.get(code=tier).name}" in html
    assert 'role="progressbar"' in html or tier == "executive_platinum"
    assert ("Gold Only" in html) == (tier == "gold")
    assert ("Top Tier Only" in html) == (tier == "executive_platinum")
    assert "For All" in html


def test_a_member_sees_only_their_own_trips(client, timetable):
    mine, theirs = MemberFactory(), MemberFactory()
    monday = a_monday_in_season()
    flight = ScheduledFlight.objects.operating_on(monday).filter(route__origin="JFK", route__destination="LAX").first()
    save_trip(member=mine, name="My LA trip", outbound=flight, outbound_date=monday, cabin="economy")
    save_trip(member=theirs, name="Their secret trip", outbound=flight, outbound_date=monday, cabin="economy")
    client.force_login(mine)
    html = client.get("/").content.decode()
    assert "My LA trip" in html and "Their secret trip" not in html


def test_a_failing_recommender_degrades_its_slots_and_the_page_still_renders(client, monkeypatch):
    import cms.slots

    def broken(*args, **kwargs):
        raise RuntimeError("recommender down")

    monkeypatch.setattr(cms.slots, "serve", broken)
    member = MemberFactory(tier=Tier.objects.get(code="gold"))
    client.force_login(member)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your status: Gold" in html
    assert html.count("This part of your page is not available right now") >= 2


def test_a_visitor_gets_the_marketing_page(client, db):
    html = client.get("/").content.decode()
    assert "Join for free" in html and "Your status" not in html


def test_impressions_are_counted_once_a_day_and_clicks_go_through_signed_links(client, eager_tasks):
    from recommendations.models import Click, Impression

    member = MemberFactory(tier=Tier.objects.get(code="gold"), home_airport="JFK")
    offer("for-all")
    client.force_login(member)
    html = client.get("/").content.decode()
    client.get("/")  # a reload is not a second impression
    assert Impression.objects.filter(member=member, slot="offers", ref="for-all").count() == 1
    link = next(part.split('"')[0] for part in html.split('href="')[1:] if part.startswith("/r/"))
    assert client.get(link).url == "/offers/for-all/"
    client.get(link)
    assert Click.objects.filter(member=member, ref="for-all").count() == 1
    assert client.get(link[:-6] + "AAAAA/").status_code == 400  # tampered
    other = MemberFactory()
    client.force_login(other)
    assert client.get(link).status_code == 400  # someone else's link
    assert not Click.objects.filter(member=other).exists()


def test_a_signed_link_never_leads_off_the_site(client):
    from recommendations.tracking import tracked_url

    member = MemberFactory()
    client.force_login(member)
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get(tracked_url(member=member, slot="offers", kind="offer", ref="x", target=target))
        assert response.status_code == 400


def test_not_interested_hides_an_item_for_good(client):
    import re

    from recommendations.models import Dismissal

    member = MemberFactory(tier=Tier.objects.get(code="gold"), home_airport="JFK")
    offer("for-all")
    offer("another-one")
    client.force_login(member)
    html = client.get("/").content.decode()
    tokens = re.findall(r'name="token" value="([^"]+)"', html)
    titles = re.findall(r'<span class="visually-hidden">: ([^<]+)</span></button>', html)
    token = tokens[titles.index("For All")]
    assert client.post("/r/not-interested/", {"token": token}).status_code == 302
    assert Dismissal.objects.filter(member=member, kind="offer", ref="for-all").exists()
    html = client.get("/").content.decode()
    assert "For All" not in html and "Another One" in html
    assert client.post("/r/not-interested/", {"token": token[:-4] + "AAAA"}).status_code == 400
    other = MemberFactory()
    client.force_login(other)
    assert client.post("/r/not-interested/", {"token": token}).status_code == 400


def test_not_interested_works_with_csrf_checks_on(db):
    """The form carries the CSRF token: a browser's POST is accepted, not refused with 403."""
    import re

    from django.test import Client

    from recommendations.models import Dismissal

    member = MemberFactory(tier=Tier.objects.get(code="gold"))
    offer("for-all")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    html = browser.get("/").content.decode()
    form = re.search(r'<form method="post" action="/r/not-interested/".*?</form>', html, re.S).group(0)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    assert browser.post("/r/not-interested/", {"csrfmiddlewaretoken": csrf, "token": token}).status_code == 302
    assert Dismissal.objects.filter(member=member).count() == 1
