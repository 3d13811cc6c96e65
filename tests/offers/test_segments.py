"""Segments: rules as data, combined with all/any, matching exactly the members they describe."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.models import Segment, SegmentRule
from members.loyalty.ledger import post_points
from members.models import Tier, Trip, TripLeg
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def segment(match="all", *rules):
    made = Segment.objects.create(name=f"Segment {Segment.objects.count()}", match=match)
    for kind, values, number in rules:
        SegmentRule.objects.create(segment=made, kind=kind, values=values, number=number)
    return made


def member(tier="member", **fields):
    return MemberFactory(tier=Tier.objects.get(code=tier), **fields)


def test_gold_or_platinum_from_jfk_matches_exactly_those_members():
    gold_jfk, platinum_jfk = member("gold", home_airport="JFK"), member("platinum", home_airport="JFK")
    member("gold", home_airport="LGA"), member("member", home_airport="JFK"), member("executive_platinum", home_airport="JFK")
    audience = segment("all", ("tier", "gold platinum", None), ("home_airport", "JFK", None))
    assert set(audience.members()) == {gold_jfk, platinum_jfk}
    assert audience.size() == 2
    assert audience.matches(gold_jfk) and not audience.matches(member("gold", home_airport="EWR"))


def test_any_combines_rules_with_or():
    skier, from_lga = member(travel_interests=["skiing", "food"]), member(home_airport="LGA")
    member(travel_interests=["beaches"], home_airport="JFK")
    audience = segment("any", ("interest", "skiing", None), ("home_airport", "LGA", None))
    assert set(audience.members()) == {skier, from_lga}


def test_within_n_points_of_the_next_tier_follows_the_tier_card():
    close, far, top = member("gold"), member("gold"), member("executive_platinum")
    post_points(member=close, source_key="p-close", kind="partner", miles=0, loyalty_points=70_000)  # Platinum at 75,000
    post_points(member=far, source_key="p-far", kind="partner", miles=0, loyalty_points=50_000)
    post_points(member=top, source_key="p-top", kind="partner", miles=0, loyalty_points=199_000)
    audience = segment("all", ("near_next_tier", "", 5_000))
    assert list(audience.members()) == [close]
    assert close.points_to_next_tier() == 5_000


def test_a_trip_departing_within_n_days():
    soon, later = member(), member()
    now = timezone.now()
    for who, days in ((soon, 3), (later, 30)):
        trip = Trip.objects.create(member=who, name="Away")
        TripLeg.objects.create(trip=trip, flight_designator="AA1", route_ref="JFK-LAX", origin="JFK", origin_name="JFK",
                               origin_time_zone="America/New_York", destination="LAX", destination_name="LAX",
                               destination_time_zone="America/Los_Angeles", departs_at=now + dt.timedelta(days=days),
                               arrives_at=now + dt.timedelta(days=days, hours=6), departure_hour=9)
    audience = segment("all", ("trip_within_days", "", 7))
    assert list(audience.members()) == [soon]
    assert list(audience.members(at=now + dt.timedelta(days=25))) == [later]


def test_a_visitor_is_in_no_segment(client):
    from django.contrib.auth.models import AnonymousUser

    assert not segment("all", ("home_airport", "JFK", None)).matches(AnonymousUser())


@pytest.mark.parametrize(("kind", "values", "number", "field"), [
    ("tier", "diamond", None, "values"),
    ("home_airport", "XQZ", None, "values"),
    ("interest", "bungee", None, "values"),
    ("near_next_tier", "", None, "number"),
])
def test_a_rule_that_cannot_be_evaluated_is_refused(kind, values, number, field):
    rule = SegmentRule(segment=Segment.objects.create(name="x"), kind=kind, values=values, number=number)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert field in error.value.message_dict


def test_an_editor_sees_each_segments_size(client, editor):
    member("gold", home_airport="JFK"), member("gold", home_airport="JFK")
    segment("all", ("tier", "gold", None))
    client.force_login(editor)
    html = client.get("/admin/snippets/cms/segment/").content.decode()
    assert "Segment 0" in html and "Tier is one of: gold" in html
    assert ">2<" in html.replace(" ", "").replace("\n", "")
