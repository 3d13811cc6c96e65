"""Every member URL that takes an id: another member gets 404 (or 400 for a signed link), never the data.

`test_every_url_with_an_id_is_checked_here` walks the URL configuration: a new URL that
takes an id fails until it has a case below (or is listed as not a member URL, with why).
"""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from members.models import Tier, Trip, TripLeg
from offers.models import Offer
from recommendations.models import Click
from members.unsubscribe import unsubscribe_token
from recommendations.tracking import tracked_url

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

# URLs with a parameter that are not about one member's data, and why.
NOT_MEMBER_URLS = {
    "account_confirm_email": "allauth: a one-time key sent by e-mail",
    "account_reset_password_from_key": "allauth: a one-time key sent by e-mail",
    "wagtaildocs_authenticate_with_password": "Wagtail: a page's password form",
    "wagtailcore_authenticate_with_password": "Wagtail: a page's password form",
    "": "unnamed catch-alls: media files (DEBUG only) and the API's JSON 404",
    "api-v1:recommendations": "takes a kind of item, not an id: every member gets their own list",
    "api-v1:member_lookup": "call-centre agents' scope only (tests/api/test_channels.py)",
}
# API endpoints: tested with API tokens in tests/api/ (file, test that must exist there).
API_CASES = {
    "api-v1:trip_detail": ("test_trips_and_search.py", "test_another_members_trip_is_404_for_every_method"),
    "api-v1:trip_update": ("test_trips_and_search.py", "test_another_members_trip_is_404_for_every_method"),
    "api-v1:trip_delete": ("test_trips_and_search.py", "test_another_members_trip_is_404_for_every_method"),
    "api-v1:claim": ("test_member_endpoints.py", "test_an_offer_for_another_tier_is_404_and_unknown_is_404"),
}


def urls_with_parameters(patterns=None, namespace="", prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith(("admin/", "^admin/")):
                continue  # the Wagtail admin: staff only, behind a second factor
            inner = ":".join(n for n in (namespace, p.namespace or "") if n)
            yield from urls_with_parameters(p.url_patterns, inner, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if p.pattern.converters or "(?P<" in route:
                yield ":".join(n for n in (namespace, p.name or "") if n) if p.name else "", route


@pytest.fixture
def adas_trip(member):
    trip = Trip.objects.create(member=member, name="Ada's trip", notes="Seat 3A")
    departs = timezone.now() + dt.timedelta(days=5)
    TripLeg.objects.create(trip=trip, flight_designator="AA1", route_ref="JFK-LAX", origin="JFK", origin_name="JFK",
                           origin_time_zone="America/New_York", destination="LAX", destination_name="LAX",
                           destination_time_zone="America/Los_Angeles", departs_at=departs,
                           arrives_at=departs + dt.timedelta(hours=6), departure_hour=8)
    return trip


@pytest.fixture
def gold_offer(db):
    offer = Offer.objects.create(title="Gold lounge pass", slug="gold-lounge", summary="For Gold", live=True,
                                 category=Offer.Category.LOUNGE)
    offer.tiers.set([Tier.objects.get(code="gold")])
    return offer


def trips_detail(client, adas_trip, **_):
    assert client.get(f"/trips/{adas_trip.pk}/").status_code == 404
    assert client.post(f"/trips/{adas_trip.pk}/", {"name": "Mine now", "notes": ""}).status_code == 404
    adas_trip.refresh_from_db()
    assert adas_trip.name == "Ada's trip"


def trips_remove(client, adas_trip, **_):
    assert client.post(f"/trips/{adas_trip.pk}/remove/").status_code == 404
    assert Trip.objects.filter(pk=adas_trip.pk).exists()


def trips_ics(client, adas_trip, **_):
    response = client.get(f"/trips/{adas_trip.pk}/trip.ics")
    assert response.status_code == 404 and b"Seat 3A" not in response.content


def offer_detail(client, gold_offer, **_):
    response = client.get(f"/offers/{gold_offer.slug}/")
    assert response.status_code == 404 and b"Gold lounge pass" not in response.content


def offer_claim(client, gold_offer, **_):
    assert client.post(f"/offers/{gold_offer.slug}/claim/").status_code == 404
    assert not gold_offer.claims.exists()


def tracked_click(client, member, **_):
    link = tracked_url(member=member, slot="offers", kind="offer", ref="x", target="/offers/x/")
    response = client.get(link)
    assert response.status_code == 400 and not Click.objects.exists()


def adas_case(member):
    from members.cases.services import open_case

    return open_case(member=member, category="miles", subject="Ada's missing miles", message="Seat 3A, flight AA1.")


def case_detail(client, member, **_):
    case = adas_case(member)
    response = client.get(f"/me/cases/{case.pk}/")
    assert response.status_code == 404 and b"Ada's missing miles" not in response.content
    assert client.post(f"/me/cases/{case.pk}/", {"message": "Mine now"}).status_code == 404
    assert case.messages.count() == 1


def case_close(client, member, **_):
    case = adas_case(member)
    assert client.post(f"/me/cases/{case.pk}/close/").status_code == 404
    case.refresh_from_db()
    assert case.status == "open"


def unsubscribe(client, member, **_):
    """A signed link: Ada's token with its payload swapped for another member's id is refused."""
    from members.privacy.consent import allows
    from members.unsubscribe import unsubscribe_token

    payload, signature = unsubscribe_token(member).split(":", 1)
    assert client.post(f"/me/unsubscribe/{payload[:-2]}xx:{signature}/").status_code == 400
    assert allows(member, "marketing_email")


MEMBER_CASES = {
    "trips:detail": trips_detail,
    "trips:remove": trips_remove,
    "trips:ics": trips_ics,
    "offer:detail": offer_detail,
    "offer:claim": offer_claim,
    "tracked_click": tracked_click,
    "members:case_detail": case_detail,
    "members:case_close": case_close,
    "members:unsubscribe": unsubscribe,
}


def test_every_url_with_an_id_is_checked_here():
    names = {name for name, _route in urls_with_parameters()}

    unchecked = names - set(MEMBER_CASES) - set(NOT_MEMBER_URLS) - set(API_CASES)
    assert unchecked == set(), "add a case to tests/portal/test_security_idor.py"
    assert set(MEMBER_CASES) <= names, "a case names a URL that no longer exists"


@pytest.mark.parametrize("name", sorted(MEMBER_CASES))
def test_another_member_gets_404_not_the_data(name, client, member, other_member, adas_trip, gold_offer):
    client.force_login(other_member)  # Grace, base tier, trying Ada's ids and an offer not meant for her

    MEMBER_CASES[name](client=client, member=member, adas_trip=adas_trip, gold_offer=gold_offer)


@pytest.mark.parametrize("name", sorted(MEMBER_CASES))
def test_the_owner_is_not_refused(name, client, member, adas_trip, gold_offer):
    """The cases above fail for the right reason: the same URL works for the one it belongs to."""
    member.tier = Tier.objects.get(code="gold")
    member.save()
    client.force_login(member)
    url = {
        "trips:detail": f"/trips/{adas_trip.pk}/", "trips:remove": f"/trips/{adas_trip.pk}/remove/",
        "trips:ics": f"/trips/{adas_trip.pk}/trip.ics", "offer:detail": "/offers/gold-lounge/",
        "offer:claim": "/offers/gold-lounge/claim/",
        "tracked_click": tracked_url(member=member, slot="offers", kind="offer", ref="x", target="/offers/x/"),
        "members:case_detail": f"/me/cases/{adas_case(member).pk}/" if name == "members:case_detail" else "",
        "members:case_close": f"/me/cases/{adas_case(member).pk}/close/" if name == "members:case_close" else "",
        "members:unsubscribe": "/me/unsubscribe/" + unsubscribe_token(member) + "/",
    }[name]

    response = client.post(url) if name in ("trips:remove", "offer:claim", "members:case_close") else client.get(url)

    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(API_CASES))
def test_api_endpoints_with_an_id_have_their_other_member_test(name):
    filename, test = API_CASES[name]
    assert f"def {test}(" in (ROOT / "tests" / "api" / filename).read_text()
