"""Tier areas: who gets in, what a lower tier is told, and that nothing of an area leaks anywhere else.

The demo's tier areas (`cms.demo.load_tier_areas`, part of `load_site_content`): the Gold
area at /gold/ and the Executive Platinum area at /executive-platinum/, each with one
news article inside, beside a few public news articles.
"""

import datetime as dt

import pytest
from django.utils import timezone
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from cms.access import can_view, visible_pages
from cms.demo import NEWS, TIER_AREAS, load_site_content, load_tier_areas
from cms.models import NewsArticlePage, ServicePage, TierAreaPage
from members.loyalty.ledger import post_points
from members.models import Tier
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

TIERS = ["member", "gold", "platinum", "executive_platinum"]
# area slug → (minimum tier, its child's path, words found only inside the area and its child)
AREAS = {
    "gold": ("gold", "/gold/gold-priority-security-at-lga/", ["GOLDWINTER", "Gold lane at LaGuardia security"]),
    "executive-platinum": ("executive_platinum", "/executive-platinum/executive-platinum-chauffeur-at-jfk/",
                           ["555 0147", "Chauffeur transfers at JFK"]),
}
RANK = {code: rank for rank, code in enumerate(["member", "gold", "platinum", "platinum_pro", "executive_platinum"])}


@pytest.fixture
def site(home, news_index):
    """The demo's two tier areas (their news the newest) and eight older demo articles (the whole demo is slower to build)."""
    today = timezone.localdate()
    for n, (title, category, destinations, summary, text) in enumerate(NEWS[:8]):
        news_index.add_child(instance=NewsArticlePage(
            title=title, slug=f"story-{n}", date=today - dt.timedelta(days=n + 5), category=category, destinations=destinations,
            summary=summary, body=[("paragraph", f"<p>{text}</p>")]))
    load_tier_areas(home, today)


def test_the_demo_site_has_both_areas_once(home):
    load_site_content()
    assert load_site_content() == 0
    areas = {a.slug: a.min_tier_id for a in TierAreaPage.objects.live()}
    assert areas == {"gold": "gold", "executive-platinum": "executive_platinum"} == {a[0]: a[2] for a in TIER_AREAS}
    assert all(NewsArticlePage.objects.child_of(area).live().count() == 1 for area in TierAreaPage.objects.all())


def a_member(tier, **fields):
    return MemberFactory(tier=Tier.objects.get(code=tier), **fields)


def signed_in(client, tier):
    client.force_login(a_member(tier))
    return client


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("area", AREAS)
def test_gating_matrix(client, site, tier, area):
    min_tier, child, secrets = AREAS[area]
    signed_in(client, tier)
    opens = RANK[tier] >= RANK[min_tier]
    for path in (f"/{area}/", child):
        response = client.get(path)
        html = response.content.decode()
        if opens:
            assert response.status_code == 200, path
            assert "private" in response["Cache-Control"]
        else:
            assert response.status_code == 403, path
            assert f"{Tier.objects.get(code=min_tier).name} status opens this page" in html
            assert not any(secret in html for secret in secrets), path
            assert "no-cache" in response["Cache-Control"]
    if opens:
        assert secrets[0] in client.get(f"/{area}/").content.decode()
        assert secrets[1] in client.get(child).content.decode()


@pytest.mark.parametrize("area", AREAS)
def test_a_visitor_is_sent_to_log_in_and_back(client, site, area):
    for path in (f"/{area}/", AREAS[area][1]):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"


def test_a_lower_tier_is_told_how_many_loyalty_points_open_the_area(client, site):
    member = a_member("gold")
    post_points(member=member, source_key="partner-1", kind="partner", miles=1000, loyalty_points=12_500)
    client.force_login(member)
    html = client.get("/executive-platinum/").content.decode()
    assert "Executive Platinum status opens this page" in html
    assert "You hold Gold status" in html
    assert "You are 187,500 Loyalty Points away from Executive Platinum" in html
    assert html.count("<h1") == 1


def test_a_child_page_of_any_type_inherits_the_gate_of_its_nearest_area(client, site):
    area = TierAreaPage.objects.get(slug="gold")
    area.add_child(instance=ServicePage(title="Gold upgrades desk", slug="desk", introduction="Call 555 0199"))
    assert client.get("/gold/desk/").status_code == 302
    signed_in(client, "member")
    response = client.get("/gold/desk/")
    assert response.status_code == 403 and "555 0199" not in response.content.decode()
    signed_in(client, "gold")
    assert "555 0199" in client.get("/gold/desk/").content.decode()


def test_an_area_nested_in_a_lower_one_keeps_its_own_tier(site):
    gold = TierAreaPage.objects.get(slug="gold")
    inner = gold.add_child(instance=TierAreaPage(title="Inner circle", slug="inner", min_tier=Tier.objects.get(code="platinum")))
    assert can_view(gold, a_member("gold")) and not can_view(inner, a_member("gold"))
    assert can_view(inner, a_member("platinum")) and not can_view(inner, None)


# --- no leaks ----------------------------------------------------------------------------------


def results_of(html):
    """The list of results of a search page (the page also repeats the query, which proves nothing)."""
    start = html.find('<ul class="news-list">')
    return "" if start < 0 else html[start:html.index("</ul>", start)]


def surfaces(client):
    """What a reader can read of the site without opening a page: search, sitemap, news listing, RSS, the dashboard."""
    searches = [client.get("/search/", {"q": q}).content.decode()
                for q in ("GOLDWINTER", "0147", "Gold lane", "Chauffeur", "area", "Executive Platinum", "JFK")]
    return {
        "search": "\n".join(map(results_of, searches)),
        "sitemap": client.get("/sitemap.xml").content.decode(),
        "news": client.get("/news/").content.decode() + client.get("/news/?page=2").content.decode(),
        "rss": client.get("/news/feed/").content.decode(),
        "home": client.get("/").content.decode(),
    }


@pytest.mark.parametrize("reader", ["visitor", "member", "gold", "platinum"])
def test_an_area_leaks_nowhere_to_a_reader_it_is_closed_to(client, site, reader):
    if reader != "visitor":
        signed_in(client, reader)
    closed = [area for area, (min_tier, _, _) in AREAS.items() if reader == "visitor" or RANK[reader] < RANK[min_tier]]
    for name, text in surfaces(client).items():
        for area in closed:
            if name != "home":  # the dashboard shows a member the door of the next area (title and tier only)
                assert f"/{area}/" not in text, (name, area)
            assert AREAS[area][1] not in text, (name, area)
            for secret in AREAS[area][2]:
                assert secret not in text, (name, secret)


def test_the_search_and_the_news_listing_show_an_area_to_its_own_tier(client, site):
    signed_in(client, "gold")
    results = client.get("/search/", {"q": "GOLDWINTER"}).content.decode()
    assert 'href="/gold/"' in results and "1 page found" in results
    news = client.get("/news/").content.decode()
    assert "Gold lane at LaGuardia security" in news and "Chauffeur transfers at JFK" not in news


def test_the_feed_and_the_sitemap_are_public_even_for_the_top_tier(client, site):
    signed_in(client, "executive_platinum")
    rss = client.get("/news/feed/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    text = rss.content.decode()
    assert "More morning flights to Chicago" in text and "Chauffeur" not in text and "Gold lane" not in text
    sitemap = client.get("/sitemap.xml")
    assert sitemap["Content-Type"] == "application/xml"
    assert "/news/story-0/" in sitemap.content.decode()
    assert "/gold/" not in sitemap.content.decode()


def test_search_is_paginated(client, site, monkeypatch):
    monkeypatch.setattr("cms.views.SEARCH_PAGE_SIZE", 2)
    html = client.get("/search/", {"q": "JFK"}).content.decode()
    assert 'rel="next"' in html and "Page 1 of 2" in html and "4 pages found" in html
    assert "Page 2 of 2" in client.get("/search/", {"q": "JFK", "page": 2}).content.decode()


def test_an_empty_search_shows_the_form_only(client, site):
    html = client.get("/search/").content.decode()
    assert 'for="id_q"' in html and "Results" not in html and html.count("<h1") == 1


def test_wagtail_restrictions_are_kept_in_listings_too(client, site):
    """A section an editor restricts to a group is hidden from the members outside it, as a tier area is."""
    group = Group.objects.create(name="Press")
    article = NewsArticlePage.objects.get(slug="story-0")
    restriction = PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    outsider, press = a_member("executive_platinum"), a_member("member")
    press.groups.add(group)
    everything = NewsArticlePage.objects.live()
    assert article not in visible_pages(everything, outsider) and article in visible_pages(everything, press)
    client.force_login(outsider)
    assert "More morning flights to Chicago" not in client.get("/news/").content.decode()


def test_wagtails_api_is_not_served(client, site):
    assert client.get("/api/v2/pages/").status_code == 404


# --- the dashboard's way in --------------------------------------------------------------------


@pytest.mark.parametrize(("tier", "link", "says"), [
    ("member", "/gold/", "40,000 Loyalty Points to go"),
    ("gold", "/gold/", "Your Gold status opens it"),
    ("platinum", "/gold/", "Your Platinum status opens it"),
    ("executive_platinum", "/executive-platinum/", "Your Executive Platinum status opens it"),
])
def test_the_dashboard_links_to_the_highest_area_the_status_opens(client, site, tier, link, says):
    signed_in(client, tier)
    html = client.get("/").content.decode()
    section = html[html.index('id="slot-tier_area"'):]
    section = section[:section.index("</section>")]
    assert f'href="{link}"' in section and says in section
