"""Segments: rules as data, combined with all/any, matching exactly the members they describe."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from offers.models import Segment, SegmentRule
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
    html = client.get("/admin/snippets/offers/segment/").content.decode()
    assert "Segment 0" in html and "Tier is one of: gold" in html
    assert ">2<" in html.replace(" ", "").replace("\n", "")


# --- the demo, visit rules, static segments ---------------------------------------------------

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
TABLET = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"


def test_gold_or_platinum_from_jfk_matches_exactly_the_demo_members_it_should(load_demo):
    from members.models import Member

    load_demo(members=60)
    audience = segment("all", ("tier", "gold platinum", None), ("home_airport", "JFK", None))
    expected = {m.pk for m in Member.objects.all() if m.tier_id in ("gold", "platinum") and m.home_airport == "JFK"}
    assert expected and {m.pk for m in audience.members()} == expected
    assert audience.size() == len(expected)
    for account in Member.objects.filter(email__endswith="@example.com"):
        assert audience.matches(account) == (account.pk in expected), account.email


def offer_for(made, slug="targeted"):
    from offers.models import Offer

    offer = Offer.objects.create(title=slug.title(), slug=slug, summary="For some", category="fare_sale", live=True)
    offer.segments.set([made])
    return offer


def test_device_rules_read_the_user_agent(client):
    from offers.segments.visit import device_of

    assert (device_of(PHONE), device_of(TABLET), device_of("Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0")) == ("phone", "tablet", "desktop")
    offer_for(segment("all", ("device", "phone tablet", None)), "on-the-go")
    assert "On-The-Go" in client.get("/offers/", HTTP_USER_AGENT=PHONE).content.decode()
    assert "On-The-Go" not in client.get("/offers/").content.decode()


def test_a_utm_campaign_and_a_referrer_open_a_segment_for_the_rest_of_the_visit(client):
    offer_for(segment("any", ("utm_campaign", "winter-sun", None), ("referrer", "google.com", None)), "winter-sun")
    assert "Winter-Sun" not in client.get("/offers/").content.decode()
    assert "Winter-Sun" in client.get("/offers/", HTTP_REFERER="https://www.google.com/search?q=sun").content.decode()
    assert "Winter-Sun" in client.get("/offers/?utm_campaign=Winter-Sun").content.decode()
    assert "Winter-Sun" not in client.get("/offers/?utm_campaign=summer").content.decode()


def test_signed_in_or_not(client):
    visitors = segment("all", ("signed_in", "no", None))
    offer_for(visitors, "join-us")
    assert "Join-Us" in client.get("/offers/").content.decode()
    client.force_login(member())
    assert "Join-Us" not in client.get("/offers/").content.decode()
    assert visitors.size() == 0 and segment("all", ("signed_in", "yes", None)).size() == 1


def test_visit_count_counts_the_days_a_member_was_active():
    from members.models import ActivityEvent

    regular, newcomer = member(), member()
    now = timezone.now()
    for days in range(5):
        ActivityEvent.objects.create(member=regular, kind="route", ref="JFK-MIA", event="view", occurred_at=now - dt.timedelta(days=days))
    ActivityEvent.objects.create(member=newcomer, kind="route", ref="JFK-MIA", event="view", occurred_at=now)
    ActivityEvent.objects.create(member=newcomer, kind="route", ref="JFK-LAX", event="view", occurred_at=now)
    audience = segment("all", ("visit_count", "", 5))
    assert list(audience.members()) == [regular] and audience.matches(regular) and not audience.matches(newcomer)


def test_a_segment_with_visit_rules_says_its_size_is_per_visit():
    member("gold"), member("gold")
    assert segment("all", ("tier", "gold", None), ("device", "phone", None)).size_label() == "up to 2"
    assert segment("any", ("tier", "gold", None), ("device", "phone", None)).size_label() == "per visit"


def test_a_frozen_segment_keeps_its_members_when_the_rules_would_change_them():
    from offers.services import freeze_segment

    first = member("gold")
    dynamic = segment("all", ("tier", "gold", None))
    frozen = freeze_segment(segment=dynamic, name="Gold in March")
    later = member("gold")
    assert set(dynamic.members()) == {first, later}
    assert set(frozen.members()) == {first} and frozen.size() == 1 and frozen.matches(first) and not frozen.matches(later)


def test_a_static_segment_is_imported_by_member_numbers_all_or_nothing(client, editor):
    a, b = member(), member()
    static = Segment.objects.create(name="Call-centre list", kind=Segment.Kind.STATIC)
    client.force_login(editor)
    url = f"/admin/segments/{static.pk}/members/"
    refused = client.post(url, {"member_numbers": f"{a.member_number}, 999999999"})
    assert refused.status_code == 400 and "999999999" in refused.content.decode()
    assert static.size() == 0
    assert client.post(url, {"member_numbers": f"{a.member_number}\n{b.member_number}"}).status_code == 302
    assert set(static.members()) == {a, b}
    assert "2" in client.get("/admin/snippets/offers/segment/").content.decode()


def test_an_editor_freezes_a_segment_in_the_admin(client, editor):
    member("gold")
    dynamic = segment("all", ("tier", "gold", None))
    client.force_login(editor)
    response = client.post(f"/admin/segments/{dynamic.pk}/members/", {"name": "Gold, frozen"})
    frozen = Segment.objects.get(name="Gold, frozen")
    assert response.status_code == 302 and frozen.is_static and frozen.size() == 1 and frozen.frozen_from == dynamic
    assert client.post(f"/admin/segments/{dynamic.pk}/members/", {"name": "Gold, frozen"}).status_code == 400  # name taken


def test_offers_for_several_segments_are_decided_in_one_query_each_way(django_assert_max_num_queries):
    from offers.selectors import eligible_offers

    listed, other = member("gold", home_airport="JFK"), member("gold", home_airport="LGA")
    static = Segment.objects.create(name="Listed", kind=Segment.Kind.STATIC)
    static.static_members.add(listed)
    offer_for(static, "for-the-list")
    offer_for(segment("all", ("home_airport", "JFK", None)), "for-jfk")
    offer_for(segment("any", ("device", "phone", None), ("tier", "platinum", None)), "phones-or-platinum")
    with django_assert_max_num_queries(8):
        assert {o.slug for o in eligible_offers(member=listed)} == {"for-the-list", "for-jfk"}
    assert {o.slug for o in eligible_offers(member=other)} == set()


def test_one_member_is_checked_without_sql_where_their_row_decides(django_assert_num_queries):
    from offers.segments.visit import Visit

    gold_lga, gold_jfk = member("gold", home_airport="LGA"), member("gold", home_airport="JFK")
    jfk_near = segment("all", ("home_airport", "JFK", None), ("near_next_tier", "", 5_000))
    lga_or_skiers = segment("any", ("home_airport", "LGA", None), ("interest", "skiing", None))
    post_points(member=gold_jfk, source_key="p-near", kind="partner", miles=0, loyalty_points=71_000)  # Platinum at 75,000

    visit = Visit(member=gold_lga)
    segments = list(Segment.objects.prefetch_related("rules"))
    with django_assert_num_queries(0):  # no query on the member: LGA fails "all" and holds "any"
        Segment.prime(segments, visit)
    assert visit.results == {jfk_near.pk: False, lga_or_skiers.pk: True}

    visit = Visit(member=gold_jfk)  # JFK holds: the near-tier rule goes to the database
    Segment.prime([jfk_near, lga_or_skiers], visit)
    assert visit.results == {jfk_near.pk: True, lga_or_skiers.pk: False}
    assert list(jfk_near.members()) == [gold_jfk]
