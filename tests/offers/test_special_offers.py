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


# --- segments, frequency cap, budget and pacing, the moderation workflow ----------------------


def gold_jfk_segment():
    from offers.models import Segment, SegmentRule

    made = Segment.objects.create(name="JFK Gold and up")
    SegmentRule.objects.create(segment=made, kind="tier", values="gold platinum")
    SegmentRule.objects.create(segment=made, kind="home_airport", values="JFK")
    return made


def test_an_offer_for_a_segment_reaches_its_members_only(client, gold_member, plain_member):
    make_offer("for-everyone")
    aimed = make_offer("jfk-gold-breakfast")
    aimed.segments.set([gold_jfk_segment()])
    assert {o.slug for o in eligible_offers(member=gold_member)} == {"for-everyone", "jfk-gold-breakfast"}
    assert {o.slug for o in eligible_offers(member=plain_member)} == {"for-everyone"}
    assert "Jfk Gold Breakfast" not in client.get("/offers/").content.decode()  # a visitor is in no member segment
    client.force_login(plain_member)
    assert client.get("/offers/jfk-gold-breakfast/").status_code == 404
    client.force_login(gold_member)
    assert client.get("/offers/jfk-gold-breakfast/").status_code == 200


def shown(member):
    from recommendations.eligibility import eligible_refs, offers_to_serve

    return {o.slug for o in offers_to_serve(member)}, set(eligible_refs(member, "offer", ["capped", "uncapped"]))


def test_a_frequency_cap_of_two_a_day_hides_the_offer_after_two_impressions(gold_member):
    from recommendations.tracking import record_impressions

    make_offer("capped", frequency_cap=2, frequency_period="day")
    make_offer("uncapped")
    today = timezone.localdate()
    record_impressions(member_id=gold_member.pk, slot="offers", items=[("offer", "capped", True)], day=today)
    assert shown(gold_member) == ({"capped", "uncapped"}, {"capped", "uncapped"})
    record_impressions(member_id=gold_member.pk, slot="campaign", items=[("offer", "capped", True)], day=today)
    assert shown(gold_member) == ({"uncapped"}, {"uncapped"})
    assert "capped" in {o.slug for o in eligible_offers(member=gold_member)}  # still in the member's catalogue at /offers/


def test_a_weekly_cap_counts_the_last_seven_days(gold_member):
    from recommendations.eligibility import over_frequency_cap
    from recommendations.tracking import record_impressions

    offer = make_offer("capped", frequency_cap=2, frequency_period="week")
    today = timezone.localdate()
    for days_ago in (8, 3):
        record_impressions(member_id=gold_member.pk, slot="offers", items=[("offer", "capped", True)], day=today - dt.timedelta(days=days_ago))
    assert over_frequency_cap(gold_member, [offer], today) == set()
    record_impressions(member_id=gold_member.pk, slot="offers", items=[("offer", "capped", True)], day=today)
    assert over_frequency_cap(gold_member, [offer], today) == {"capped"}
    assert over_frequency_cap(gold_member, [offer], today + dt.timedelta(days=4)) == set()


def test_the_dashboard_stops_showing_an_offer_at_its_cap(client, gold_member, eager_tasks):
    make_offer("capped", frequency_cap=1, frequency_period="day")
    client.force_login(gold_member)
    assert "Capped" in client.get("/").content.decode()  # shown once: one impression recorded
    assert "Capped" not in client.get("/").content.decode()


def test_a_spent_budget_stops_the_offer(gold_member, plain_member):
    offer = make_offer("budgeted", budget=5000, budget_unit="miles", cost_per_claim=2500)
    other = MemberFactory(tier=Tier.objects.get(code="member"))
    claim_offer(member=gold_member, offer=offer)
    claim_offer(member=plain_member, offer=offer)
    offer.refresh_from_db()
    assert offer.spent == 5000
    assert "budgeted" not in {o.slug for o in eligible_offers(member=other)}
    with pytest.raises(DomainError):
        claim_offer(member=other, offer=offer)
    assert OfferClaim.objects.filter(offer=offer).count() == 2


def test_even_pacing_spreads_the_budget_over_the_offers_days(gold_member, plain_member):
    now = timezone.now()
    offer = make_offer("paced", budget=10_000, cost_per_claim=1000, pacing="even", go_live_at=now - dt.timedelta(hours=1),
                       expire_at=now + dt.timedelta(days=10) - dt.timedelta(hours=1))
    claim_offer(member=gold_member, offer=offer)  # day 1 of 10: 1,000 of 10,000 may go
    assert "paced" not in {o.slug for o in eligible_offers(member=plain_member)}
    assert "paced" in {o.slug for o in eligible_offers(member=plain_member, at=now + dt.timedelta(days=5))}


def test_a_budget_needs_a_cost_and_even_pacing_an_expiry():
    from django.core.exceptions import ValidationError

    for fields, field in (({"budget": 100}, "cost_per_claim"), ({"budget": 100, "cost_per_claim": 10, "pacing": "even"}, "pacing")):
        offer = Offer(title="X", slug="x", summary="x", category="fare_sale", **fields)
        with pytest.raises(ValidationError) as error:
            offer.full_clean()
        assert field in error.value.message_dict


def test_an_editors_submitted_offer_is_not_live_until_a_moderator_approves(editor):
    from django.contrib.auth.models import Group

    moderator = MemberFactory(email="mo@example.com")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    offer = Offer(title="Gold from JFK", slug="gold-from-jfk", summary="Gold only", category="lounge", live=False)
    offer.save()
    revision = offer.save_revision(user=editor)
    workflow = offer.get_workflow()
    assert workflow is not None and workflow.name == "Moderators approval"
    workflow_state = workflow.start(offer, editor)
    assert not Offer.objects.live_at().filter(pk=offer.pk).exists()
    task_state = workflow_state.current_task_state
    assert not editor.has_perm("offers.publish_offer") and moderator.has_perm("offers.publish_offer")
    task_state.task.specific.on_action(task_state, moderator, "approve")
    offer.refresh_from_db()
    assert offer.live and offer.live_revision_id == revision.pk
    assert Offer.objects.live_at().filter(pk=offer.pk).exists()
