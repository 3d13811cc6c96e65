"""Preview as a member: offers, the dashboard and pages as a member (or a tier in segments) sees them on a day; nothing recorded."""

import datetime as dt

import pytest
from django.utils import timezone

from cms.models import NewsArticlePage, ServicePage, ServicePageVariant, TierAreaPage
from members.models import ActivityEvent, Tier
from offers.models import Offer, Segment, SegmentRule
from recommendations.models import Impression
from tests.cms.conftest import publish
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
URL = "/admin/preview-as-member/"


def make_offer(slug, tiers=(), **fields):
    offer = Offer.objects.create(title=slug.replace("-", " ").title(), slug=slug, summary="An offer", category="fare_sale",
                                 live=True, **fields)
    offer.tiers.set(Tier.objects.filter(code__in=tiers))
    return offer


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_offers_as_a_tier_and_home_airport_as_of_next_week(editor_client):
    now = timezone.now()
    make_offer("gold-jfk", tiers=["gold"], home_airports="JFK")
    make_offer("next-week", go_live_at=now + dt.timedelta(days=7))
    make_offer("ends-tomorrow", expire_at=now + dt.timedelta(days=1))
    today = editor_client.get(URL, {"tier": "gold", "home_airport": "jfk", "device": "desktop", "show": "offers"}).content.decode()
    assert "Gold Jfk" in today and "Ends Tomorrow" in today and "Next Week" not in today
    next_week = (timezone.localdate() + dt.timedelta(days=8)).isoformat()
    later = editor_client.get(URL, {"tier": "gold", "home_airport": "JFK", "device": "desktop", "on": next_week, "show": "offers"}).content.decode()
    assert "Next Week" in later and "Ends Tomorrow" not in later
    member = editor_client.get(URL, {"tier": "member", "home_airport": "JFK", "device": "desktop", "show": "offers"}).content.decode()
    assert "Gold Jfk" not in member


def test_offers_as_an_assumed_segment(editor_client):
    regulars = Segment.objects.create(name="Regulars")
    SegmentRule.objects.create(segment=regulars, kind="visit_count", number=30)
    make_offer("for-regulars").segments.set([regulars])
    query = {"tier": "member", "device": "desktop", "show": "offers"}
    assert "For Regulars" not in editor_client.get(URL, query).content.decode()
    assert "For Regulars" in editor_client.get(URL, {**query, "segments": [regulars.pk]}).content.decode()


def test_the_dashboard_as_a_named_member_records_nothing(editor_client, eager_tasks):
    gold = MemberFactory(email="gold@example.com", tier=Tier.objects.get(code="gold"), home_airport="JFK")
    make_offer("gold-lounge", tiers=["gold"])
    before = (Impression.objects.count(), ActivityEvent.objects.count())
    response = editor_client.get(URL, {"email": "GOLD@example.com", "device": "desktop", "show": "dashboard"})
    html = response.content.decode()
    assert response.status_code == 200 and "Preview as" in html and "Gold Lounge" in html and gold.first_name in html
    assert (Impression.objects.count(), ActivityEvent.objects.count()) == before


def test_a_named_member_as_of_a_past_date_holds_the_tier_they_held_then(editor_client):
    from members.loyalty.models import TierHistory

    gold, member = Tier.objects.get(code="gold"), Tier.objects.get(code="member")
    ada = MemberFactory(email="ada@example.com", tier=gold)
    TierHistory.objects.create(member=ada, old_tier=member, new_tier=gold, reason="qualified",
                               at=timezone.now() - dt.timedelta(days=30))
    make_offer("gold-lounge", tiers=["gold"])
    query = {"email": "ada@example.com", "device": "desktop", "show": "offers"}

    assert "Gold Lounge" in editor_client.get(URL, query).content.decode()
    before = (timezone.localdate() - dt.timedelta(days=60)).isoformat()
    assert "Gold Lounge" not in editor_client.get(URL, {**query, "on": before}).content.decode()  # a Member then
    as_gold_then = {"tier": "gold", "device": "desktop", "show": "offers", "on": before}
    assert "Gold Lounge" in editor_client.get(URL, as_gold_then).content.decode()  # the offer itself was there
    ada.refresh_from_db()
    assert ada.tier == gold  # the preview changed nothing


def test_a_page_as_a_reader_applies_variants_and_the_tier_gate(editor_client, home):
    phones = Segment.objects.create(name="Phones")
    SegmentRule.objects.create(segment=phones, kind="device", values="phone")
    page = ServicePage(title="Lounges", slug="lounges", introduction="Lounges for everyone.")
    home.add_child(instance=page)
    page.variants.add(ServicePageVariant(segment=phones, introduction="Lounges on your phone."))
    publish(page)
    area = TierAreaPage(title="Gold area", slug="gold", min_tier=Tier.objects.get(code="gold"), introduction="GOLDWINTER")
    home.add_child(instance=area)
    query = {"tier": "member", "device": "phone", "show": "page"}
    assert "Lounges on your phone" in editor_client.get(URL, {**query, "page": page.pk}).content.decode()
    assert "Lounges for everyone" in editor_client.get(URL, {**query, "device": "desktop", "page": page.pk}).content.decode()
    locked = editor_client.get(URL, {**query, "page": area.pk}).content.decode()
    assert "GOLDWINTER" not in locked and "status 403" in locked
    assert "GOLDWINTER" in editor_client.get(URL, {**query, "tier": "gold", "page": area.pk}).content.decode()
    visitor = editor_client.get(URL, {"device": "desktop", "show": "page", "page": area.pk}).content.decode()
    assert "to log in" in visitor and "GOLDWINTER" not in visitor


def test_news_for_a_tier_previews_as_not_found_for_another(editor_client, home):
    from cms.models import NewsIndexPage

    index = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    article = index.add_child(instance=NewsArticlePage(title="Gold news", slug="gold-news", summary="For Gold"))
    article.tiers.set([Tier.objects.get(code="gold")])
    publish(article)
    assert "404" in editor_client.get(URL, {"tier": "member", "device": "desktop", "show": "page", "page": article.pk}).content.decode()


@pytest.mark.parametrize(("query", "field_error"), [
    ({"email": "nobody@example.com", "show": "offers"}, "No member has this e-mail address"),
    ({"tier": "gold", "show": "dashboard"}, "give their e-mail"),
    ({"tier": "gold", "show": "page"}, "Choose the page"),
    ({"tier": "gold", "home_airport": "XQZ", "show": "offers"}, "XQZ"),
])
def test_bad_input_is_a_field_error(editor_client, query, field_error):
    response = editor_client.get(URL, {"device": "desktop", **query})
    assert response.status_code == 400 and field_error in response.content.decode()


def test_a_member_cannot_open_the_preview(client):
    client.force_login(MemberFactory())
    assert client.get(URL, {"tier": "gold", "device": "desktop", "show": "offers"}).status_code in (302, 403)
