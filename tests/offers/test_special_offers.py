"""Special offers: who sees which, scheduling, claiming, the cap under concurrency."""

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from members.models import ActivityEvent, Tier
from offers.models import Offer, OfferClaim
from offers.selectors import eligible_offers
from offers.services import claim_offer
from portal.errors import DomainError
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def make_offer(slug="miami-weekend", tiers=(), **fields):
    fields.setdefault("category", Offer.Category.MILES_BONUS)
    fields.setdefault("live", True)
    offer = Offer.objects.create(title=slug.replace("-", " ").title(), slug=slug, summary="Double miles", **fields)
    offer.tiers.set(Tier.objects.filter(code__in=tiers))
    return offer


@pytest.fixture
def gold_member(db):
    return MemberFactory(tier=Tier.objects.get(code="gold"), home_airport="JFK")


@pytest.fixture
def plain_member(db):
    return MemberFactory(tier=Tier.objects.get(code="member"), home_airport="LGA")


def test_targeting_by_tier_and_home_airport(gold_member, plain_member):
    everyone = make_offer("for-everyone")
    gold_jfk = make_offer("gold-from-jfk", tiers=["gold", "platinum"], home_airports="JFK")
    lga_only = make_offer("lga-only", home_airports="LGA")
    assert {o.slug for o in eligible_offers(member=gold_member)} == {everyone.slug, gold_jfk.slug}
    assert {o.slug for o in eligible_offers(member=plain_member)} == {everyone.slug, lga_only.slug}


def test_interests_target_members_who_share_one(gold_member):
    gold_member.travel_interests = ["skiing"]
    gold_member.save()
    make_offer("ski-vail", interests=["skiing", "nature"])
    make_offer("beach", interests=["beaches"])
    assert [o.slug for o in eligible_offers(member=gold_member)] == ["ski-vail"]


def test_an_offer_past_expiry_or_not_yet_live_is_not_shown(client, gold_member):
    now = timezone.now()
    make_offer("expired", expire_at=now - dt.timedelta(minutes=1))
    make_offer("next-week", go_live_at=now + dt.timedelta(days=7))
    make_offer("draft", live=False)
    make_offer("current", expire_at=now + dt.timedelta(days=1))
    client.force_login(gold_member)
    html = client.get("/offers/").content.decode()
    assert "Current" in html and "Expired" not in html and "Next Week" not in html and "Draft" not in html
    assert client.get("/offers/expired/").status_code == 404
    assert client.get("/offers/next-week/").status_code == 404
    assert [o.slug for o in eligible_offers(member=gold_member, at=now + dt.timedelta(days=8))] == ["next-week"]


def test_a_member_of_another_tier_gets_404_for_a_targeted_offer(client, plain_member):
    make_offer("gold-lounge", tiers=["gold"])
    client.force_login(plain_member)
    assert client.get("/offers/gold-lounge/").status_code == 404
    assert client.post("/offers/gold-lounge/claim/").status_code == 404
    assert not OfferClaim.objects.exists()


def test_a_double_claim_makes_one_claim(client, gold_member):
    offer = make_offer("upgrade-me", category=Offer.Category.UPGRADE)
    client.force_login(gold_member)
    client.post("/offers/upgrade-me/claim/")
    page = client.post("/offers/upgrade-me/claim/", follow=True)
    assert OfferClaim.objects.filter(offer=offer, member=gold_member).count() == 1
    assert "already claimed" in page.content.decode() or "You have claimed this offer" in page.content.decode()
    offer.refresh_from_db()
    assert offer.claims_count == 1
    assert ActivityEvent.objects.filter(member=gold_member, kind="offer", ref="upgrade-me", event="claim").count() == 1


def test_a_claim_limit_of_two_allows_two(gold_member):
    offer = make_offer("twice", claim_limit=2)
    claim_offer(member=gold_member, offer=offer)
    claim_offer(member=gold_member, offer=offer)
    with pytest.raises(DomainError):
        claim_offer(member=gold_member, offer=offer)
    assert OfferClaim.objects.filter(offer=offer).count() == 2


def test_a_visitor_sees_only_untargeted_offers_and_must_log_in_to_claim(client, db):
    make_offer("for-everyone")
    make_offer("gold-only", tiers=["gold"])
    html = client.get("/offers/").content.decode()
    assert "For Everyone" in html and "Gold Only" not in html
    assert client.post("/offers/for-everyone/claim/").status_code == 302
    assert not OfferClaim.objects.exists()


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_claims_on_a_cap_of_five_make_exactly_five():
    offer = make_offer("cap-five", total_cap=5)
    members = [MemberFactory(tier=Tier.objects.get(code="member")) for _ in range(20)]
    outcomes = []
    barrier = threading.Barrier(len(members))

    def claim(member):
        try:
            barrier.wait()
            claim_offer(member=member, offer=offer)
            outcomes.append("claimed")
        except DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    offer.refresh_from_db()
    assert outcomes.count("claimed") == 5 and outcomes.count("refused") == 15
    assert OfferClaim.objects.filter(offer=offer).count() == offer.claims_count == 5


def test_the_recommender_serves_only_offers_the_member_may_claim(gold_member, plain_member):
    from recommendations.eligibility import eligible_refs

    make_offer("for-everyone")
    make_offer("gold-only", tiers=["gold"])
    claimed = make_offer("claimed-already")
    claim_offer(member=gold_member, offer=claimed)
    refs = ["gold-only", "for-everyone", "claimed-already", "no-such-offer"]
    assert eligible_refs(gold_member, "offer", refs) == ["gold-only", "for-everyone"]
    assert eligible_refs(plain_member, "offer", refs) == ["for-everyone", "claimed-already"]
