"""What a member reads and does through the API: profile, recommendations, offers, claims."""

import datetime as dt

import pytest
from django.utils import timezone

from members.loyalty.ledger import post_points
from members.models import ActivityEvent, LedgerEntry, Tier
from offers.models import Offer, OfferClaim
from recommendations.models import Impression
from tests.factories import ActivityEventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def make_offer(slug, tiers=(), **fields):
    fields.setdefault("category", Offer.Category.MILES_BONUS)
    fields.setdefault("live", True)
    offer = Offer.objects.create(title=slug.replace("-", " ").title(), slug=slug, summary="Double miles", **fields)
    offer.tiers.set(Tier.objects.filter(code__in=tiers))
    return offer


# --- /me -------------------------------------------------------------------------------------


def test_me_shows_tier_progress_and_miles(member, member_api):
    post_points(member=member, source_key="partner-1", kind=LedgerEntry.Kind.PARTNER, miles=1500, loyalty_points=1000)
    body = member_api.get("/api/v1/me").json()
    assert body["email"] == "ada@example.com" and body["home_airport"] == "JFK"
    assert body["tier"]["code"] == "member" and body["next_tier"]["code"] == "gold"
    assert body["qualifying_points"] == 1000
    assert body["points_to_next_tier"] == body["next_tier"]["qualifying_points"] - 1000
    assert body["miles_balance"] == 1500


# --- recommendations -------------------------------------------------------------------------


def test_without_a_model_recommendations_are_the_marked_fallback(member, member_api, django_capture_on_commit_callbacks,
                                                                eager_tasks):
    neighbour = MemberFactory(home_airport="JFK")
    ActivityEventFactory(member=neighbour, kind="route", ref="JFK-LAX", event=ActivityEvent.Event.SEARCH)
    from offers.models import Airport, Route

    for code in ("JFK", "LAX"):
        Airport.objects.create(iata=code, name=code, city=code, country="US", time_zone="America/New_York",
                               latitude=0, longitude=0)
    Route.objects.create(origin_id="JFK", destination_id="LAX", distance_miles=2475)
    with django_capture_on_commit_callbacks(execute=True):
        body = member_api.get("/api/v1/recommendations/route", {"n": 3}).json()
    assert body["kind"] == "route" and body["is_fallback"] is True
    assert body["items"] == [{"kind": "route", "ref": "JFK-LAX", "label": "JFK→LAX",
                              "explanation": "Popular with members flying from JFK", "score": 1.0,
                              "source": "popularity", "is_fallback": True}]
    assert Impression.objects.filter(member=member, slot="api-route", ref="JFK-LAX", personal=False).exists()


def test_offer_recommendations_are_only_offers_the_member_may_claim(member, member_api):
    make_offer("for-everyone")
    make_offer("gold-only", tiers=["gold"])
    for slug in ("for-everyone", "gold-only"):
        ActivityEventFactory(member=MemberFactory(home_airport="JFK"), kind="offer", ref=slug)
    refs = [item["ref"] for item in member_api.get("/api/v1/recommendations/offer").json()["items"]]
    assert refs == ["for-everyone"]


@pytest.mark.parametrize("query", [{"n": 0}, {"n": 21}, {"n": "many"}])
def test_recommendation_count_is_bounded(member_api, query):
    response = member_api.get("/api/v1/recommendations/route", query)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "n"


def test_an_unknown_kind_is_422(member_api):
    response = member_api.get("/api/v1/recommendations/news")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


# --- offers ----------------------------------------------------------------------------------


def test_offers_are_the_eligible_ones_paginated(member_api):
    for i in range(5):
        make_offer(f"offer-{i}", priority=10 + i)
    make_offer("gold-only", tiers=["gold"], priority=99)
    make_offer("expired", expire_at=timezone.now() - dt.timedelta(days=1))
    first = member_api.get("/api/v1/offers", {"limit": 2}).json()
    assert first["count"] == 5 and first["limit"] == 2 and first["offset"] == 0
    assert [o["slug"] for o in first["items"]] == ["offer-4", "offer-3"]
    rest = member_api.get("/api/v1/offers", {"limit": 2, "offset": 4}).json()
    assert [o["slug"] for o in rest["items"]] == ["offer-0"]
    assert rest["items"][0]["can_claim"] is True and rest["items"][0]["claimed"] == 0


@pytest.mark.parametrize("query", [{"limit": 101}, {"limit": 0}, {"offset": -1}])
def test_page_size_has_a_ceiling(member_api, query):
    response = member_api.get("/api/v1/offers", query)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in {"limit", "offset"}


def test_claiming_an_offer(member, member_api):
    make_offer("miami-weekend", miles_bonus=2000)
    response = member_api.post("/api/v1/offers/miami-weekend/claim")
    assert response.status_code == 201
    assert response.json()["offer"] == "miami-weekend" and response.json()["number"] == 1
    assert OfferClaim.objects.filter(member=member, offer__slug="miami-weekend").count() == 1
    listed = member_api.get("/api/v1/offers").json()["items"][0]
    assert listed["claimed"] == 1 and listed["can_claim"] is False


def test_a_second_claim_is_409_with_the_reason(member_api):
    make_offer("miami-weekend")
    member_api.post("/api/v1/offers/miami-weekend/claim")
    again = member_api.post("/api/v1/offers/miami-weekend/claim")
    assert again.status_code == 409
    assert again.json() == {"detail": "You have already claimed this offer.", "errors": []}


def test_a_sold_out_offer_is_409(member_api, other_member_api):
    make_offer("last-seat", total_cap=1)
    assert other_member_api.post("/api/v1/offers/last-seat/claim").status_code == 201
    response = member_api.post("/api/v1/offers/last-seat/claim")
    assert response.status_code == 409
    assert response.json()["detail"] == "This offer is no longer available."


def test_an_offer_for_another_tier_is_404_and_unknown_is_404(member_api):
    make_offer("gold-only", tiers=["gold"])
    assert member_api.post("/api/v1/offers/gold-only/claim").status_code == 404
    assert member_api.post("/api/v1/offers/no-such-offer/claim").status_code == 404
    assert member_api.post("/api/v1/offers/bad%20slug!/claim").status_code == 422
