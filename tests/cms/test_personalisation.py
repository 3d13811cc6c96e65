"""Personalised pages: news for tiers, content for a segment only, whole-page variants per segment."""

import datetime as dt

import pytest
from django.utils import timezone

from cms.models import NewsArticlePage, ServicePage, ServicePageVariant
from members.models import Tier
from offers.models import Segment, SegmentRule
from tests.cms.conftest import publish
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
SECRET = "Fast track for Gold and up"


def a_member(tier, home="LGA"):
    return MemberFactory(tier=Tier.objects.get(code=tier), home_airport=home)


def segment(name, *rules, match="all"):
    made = Segment.objects.create(name=name, match=match)
    for kind, values, number in rules:
        SegmentRule.objects.create(segment=made, kind=kind, values=values, number=number)
    return made


@pytest.fixture
def gold_news(news_index):
    today = timezone.localdate()
    news_index.add_child(instance=NewsArticlePage(title="Public story", slug="public-story", date=today - dt.timedelta(days=2),
                                                  summary="For everyone."))
    article = NewsArticlePage(title=SECRET, slug="gold-fast-track", date=today, summary="A lane at JFK.", destinations="JFK")
    news_index.add_child(instance=article)
    article.tiers.set(Tier.objects.filter(code__in=["gold", "platinum", "platinum_pro", "executive_platinum"]))
    return publish(article)


def surfaces(client):
    return {"news": client.get("/news/").content.decode(), "search": client.get("/search/", {"q": "fast track"}).content.decode(),
            "sitemap": client.get("/sitemap.xml").content.decode(), "rss": client.get("/news/feed/").content.decode(),
            "home": client.get("/").content.decode()}


@pytest.mark.parametrize("reader", ["visitor", "member"])
def test_news_for_gold_and_up_leaks_nowhere_to_a_lower_tier_or_a_visitor(client, gold_news, reader):
    if reader == "member":
        client.force_login(a_member("member", home="JFK"))
    for name, text in surfaces(client).items():
        assert SECRET not in text and "gold-fast-track" not in text, name
    response = client.get("/news/gold-fast-track/")
    if reader == "visitor":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404 and SECRET not in response.content.decode()


def test_news_for_gold_and_up_reaches_gold_members_everywhere_but_the_public_feed(client, gold_news):
    client.force_login(a_member("gold"))
    seen = surfaces(client)
    assert SECRET in seen["news"] and SECRET in seen["search"] and SECRET in seen["home"]
    assert SECRET not in seen["rss"] and "gold-fast-track" not in seen["sitemap"]  # feed readers and crawlers are visitors
    page = client.get("/news/gold-fast-track/")
    assert page.status_code == 200 and "private" in page["Cache-Control"]


@pytest.fixture
def upgrades(home):
    page = ServicePage(title="Upgrades", slug="upgrades", introduction="Upgrades for everyone.",
                       body=[("paragraph", "<p>Everyone reads this.</p>")])
    home.add_child(instance=page)
    return page


def test_a_segment_block_shows_only_to_the_segment(client, upgrades):
    near = segment("From JFK", ("home_airport", "JFK", None))
    upgrades.body.append(("for_segment", {"segment": near, "content": [("paragraph", "<p>JFK readers only.</p>")]}))
    publish(upgrades)
    assert "JFK readers only" not in client.get("/upgrades/").content.decode()
    client.force_login(a_member("member", home="LGA"))
    assert "JFK readers only" not in client.get("/upgrades/").content.decode()
    client.force_login(a_member("member", home="JFK"))
    response = client.get("/upgrades/")
    assert "JFK readers only" in response.content.decode() and "Everyone reads this" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_the_first_matching_variant_replaces_the_page_content(client, upgrades):
    phones = segment("Phones", ("device", "phone", None))
    jfk = segment("JFK", ("home_airport", "JFK", None))
    upgrades.variants.add(ServicePageVariant(segment=phones, sort_order=1, introduction="Phone variant.",
                                             body=[("paragraph", "<p>Small screen.</p>")]))
    upgrades.variants.add(ServicePageVariant(segment=jfk, sort_order=0, introduction="JFK variant.", body=[("paragraph", "<p>JFK body.</p>")]))
    publish(upgrades)
    assert "Upgrades for everyone" in client.get("/upgrades/").content.decode()
    assert "Phone variant" in client.get("/upgrades/", HTTP_USER_AGENT=PHONE).content.decode()
    client.force_login(a_member("gold", home="JFK"))
    both = client.get("/upgrades/", HTTP_USER_AGENT=PHONE).content.decode()  # in both segments: the first variant wins
    assert "JFK variant" in both and "Phone variant" not in both and "Everyone reads this" not in both


def test_an_editor_sees_the_pages_and_offers_that_use_a_segment(client, editor, upgrades):
    from offers.models import Offer

    jfk = segment("JFK readers", ("home_airport", "JFK", None))
    upgrades.variants.add(ServicePageVariant(segment=jfk, introduction="JFK variant."))
    publish(upgrades)
    offer = Offer.objects.create(title="JFK breakfast", slug="jfk-breakfast", summary="Breakfast", category="lounge", live=True)
    offer.segments.set([jfk])
    client.force_login(editor)
    html = client.get("/admin/snippets/offers/segment/").content.decode()
    assert "JFK breakfast" in html and "Upgrades" in html
