"""Customer value: demand, resource need, relative value, rank, RFM segments, lifetime value."""

from datetime import date, datetime, timezone

import pytest
from django.apps import apps

from members.loyalty.ledger import post_points
from members.value.models import CustomerValue, Segment
from members.value.scoring import refresh
from members.value.sources import register_resource_source, resource_sources
from offers.models import Offer, OfferClaim
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
ON = date(2026, 6, 30)  # the window is [2025-07-01 00:00, 2026-07-01 00:00) UTC


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


def earn(member, key, points, when, kind="flight"):
    if kind == "flight":
        from members.models import LedgerEntry

        LedgerEntry.objects.create(member=member, kind="flight", miles=points, loyalty_points=points,
                                   flown_miles=points, source_key=key, occurred_at=when)
    else:
        post_points(member=member, source_key=key, kind=kind, miles=points, loyalty_points=points, occurred_at=when)


def claim(member, offer, when):
    OfferClaim.objects.create(offer=offer, member=member, claimed_at=when)


@pytest.fixture
def four_members():
    """Ann, Ben, Cat and Dan, made in that order (so their ids rise in that order)."""
    ann, ben, cat, dan = (MemberFactory(email=f"{n}@example.com", first_name=n.title()) for n in ("ann", "ben", "cat", "dan"))
    offer = Offer.objects.create(title="Lounge pass", slug="lounge-pass", summary="A lounge pass", category="lounge",
                                 miles_bonus=2_000, live=True)
    earn(ann, "f1", 6_000, at(2026, 6, 1))
    earn(ann, "f2", 4_000, at(2026, 3, 1))
    claim(ann, offer, at(2026, 5, 1))
    earn(ben, "p1", 3_000, at(2026, 6, 20), kind="partner")
    earn(cat, "f1", 10_000, at(2025, 12, 1))
    earn(cat, "f2", 5_000, at(2026, 2, 1))
    earn(cat, "f3", 5_000, at(2026, 4, 1))
    claim(cat, offer, at(2026, 1, 10))
    ServiceCase = apps.get_model("members", "ServiceCase")
    ServiceCase.objects.create(member=cat, category="baggage", subject="Bag lost", created_at=at(2026, 2, 2))
    earn(dan, "p-in", 1_000, at(2025, 7, 1), kind="partner")  # the window's first instant: in
    earn(dan, "p-out", 8_000, at(2025, 6, 30, 23, 59), kind="partner")  # a minute before: out
    claim(dan, offer, at(2025, 6, 30, 12))  # before the window: costs nothing now
    earn(dan, "bonus", 500, at(2026, 1, 1), kind="offer_bonus")  # a bonus is a cost, not a demand
    return ann, ben, cat, dan


def test_four_members_rank_as_computed_by_hand(four_members):
    """The hand computation (on 30 June 2026; window 1 July 2025 – 30 June 2026):

    member  demand (LP, flight+partner)  resource (miles)            relative = demand ÷ max(resource, 1)
    Ann     6,000 + 4,000 = 10,000       claim 2,000                 10,000 / 2,000 = 5.0
    Ben     3,000                        none                        3,000 / 1      = 3,000
    Cat     10,000 + 5,000 + 5,000       claim 2,000 + case 1,000    20,000 / 3,000 = 6.667
    Dan     1,000 (the 8,000 is before   claim before the window: 0  1,000 / 1      = 1,000
            the window; the 500 bonus
            is not demand)
    Rank by relative value: Ben 1, Dan 2, Cat 3, Ann 4.

    RFM, quintiles (NTILE 5) over the 4 members who earned, ties by id:
    R (last earning ascending): Dan 1 Jul 25, Cat 1 Apr 26, Ann 1 Jun 26, Ben 20 Jun 26 → Dan 1, Cat 2, Ann 3, Ben 4
    F (postings ascending): Ben 1, Dan 1, Ann 2, Cat 3 → Ben 1, Dan 2, Ann 3, Cat 4
    M (demand ascending): Dan 1,000, Ben 3,000, Ann 10,000, Cat 20,000 → Dan 1, Ben 2, Ann 3, Cat 4
    Segments: Ann R3 F3 → needs attention; Ben R4 F1 → new; Cat R2 F4 → at risk; Dan R1 F2 → hibernating.
    CLV = (demand − resource) × r/(1.1 − r), r by R: Ann 8,000 × 7/4 = 14,000; Ben 3,000 × 8/3 = 8,000;
    Cat 17,000 × 6/5 = 20,400; Dan 1,000 × 5/6 = 833 (rounded down).
    """
    ann, ben, cat, dan = four_members

    result = refresh(on=ON)

    assert result.members == 4
    rows = {v.member_id: v for v in CustomerValue.objects.all()}
    got = [(v.member_id, v.rank, v.demand_value, v.resource_need, round(v.relative_value, 3), v.rfm, v.segment,
            v.lifetime_value) for v in CustomerValue.objects.order_by("rank")]
    assert got == [
        (ben.pk, 1, 3_000, 0, 3000.0, "412", Segment.NEW, 8_000),
        (dan.pk, 2, 1_000, 0, 1000.0, "121", Segment.HIBERNATING, 833),
        (cat.pk, 3, 20_000, 3_000, 6.667, "244", Segment.AT_RISK, 20_400),
        (ann.pk, 4, 10_000, 2_000, 5.0, "333", Segment.NEEDS_ATTENTION, 14_000),
    ]
    assert rows[cat.pk].frequency == 3 and rows[dan.pk].last_earned_at == at(2025, 7, 1)


def test_a_member_who_earned_nothing_in_the_window_is_lost_with_scores_of_one(four_members):
    """A year later nobody earned in the window: all are lost, scored 1-1-1, ranked by id."""
    refresh(on=date(2027, 12, 31))

    assert set(CustomerValue.objects.values_list("segment", flat=True)) == {Segment.LOST}
    assert set(CustomerValue.objects.values_list("recency_score", "frequency_score", "monetary_score")) == {(1, 1, 1)}


def test_refresh_twice_gives_the_same_table(four_members):
    refresh(on=ON)
    first = list(CustomerValue.objects.order_by("rank").values())
    refresh(on=ON)
    assert list(CustomerValue.objects.order_by("rank").values()) == first


def test_offers_and_service_cases_are_registered_cost_sources():
    assert {"offer_claims", "service_cases"} <= {s.name for s in resource_sources()}


def test_a_registered_source_adds_to_the_resource_need(four_members):
    ann = four_members[0]
    from django.db.models import IntegerField, Value
    from members.models import Member

    def flat_fee(since, until):
        return Member.objects.filter(pk=ann.pk).values(member_id=__import__("django").db.models.F("pk")).annotate(
            cost=Value(6_000, output_field=IntegerField()))

    register_resource_source("test_fee", "a test fee", flat_fee)
    try:
        refresh(on=ON)
    finally:
        from members.value import sources

        sources._SOURCES.pop("test_fee")
    assert CustomerValue.objects.get(member=ann).resource_need == 8_000
