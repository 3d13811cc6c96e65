"""Translated pages (Wagtail's localization): the reader's language at the same URL, English when a page has none,
each page once in every list, tier gates shared by a page and its translations, the demo in zh-Hant."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, Page

from cms.demo import load_site_content
from cms.localization import in_reader_language
from cms.models import HomePage, NewsArticlePage, ServicePage, TierAreaPage
from cms.slots import news_for_you
from members.models import Tier
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ZH = "zh-hant"


@pytest.fixture
def zh():
    return Locale.objects.get(language_code=ZH)  # created by cms/0008


def translate(page, live=True, **fields):
    """What "Translate" in the admin does (same slug, under the translated parent), then the translator's text."""
    copy = page.specific.copy_for_translation(Locale.objects.get(language_code=ZH))
    for name, value in fields.items():
        setattr(copy, name, value)
    revision = copy.save_revision()
    if live:
        revision.publish()
    return Page.objects.get(pk=copy.pk).specific


def article(index, slug, title, summary, days_ago=1, **fields):
    page = NewsArticlePage(title=title, slug=slug, summary=summary, date=timezone.localdate() - dt.timedelta(days=days_ago),
                           body=[("paragraph", f"<p>{summary}</p>")], **fields)
    index.add_child(instance=page)
    return page


def zh_member(tier="member", **fields):
    return MemberFactory(language=ZH, tier=Tier.objects.get(code=tier), **fields)


@pytest.fixture
def news(home, news_index):
    """Home and /news/ translated; one article translated, one not, one with a draft translation."""
    translate(home, headline="與 Wayfare 飛得更遠")
    translate(news_index, title="最新消息")
    lounge = article(news_index, "jfk-lounge", "New lounge at JFK", "A bigger JFK lounge with showers.", days_ago=1)
    translate(lounge, title="甘迺迪機場全新貴賓室", summary="JFK 貴賓室空間更大，設有淋浴間。")
    article(news_index, "boston-snow", "Snow in Boston", "How we rebook you when Logan closes.", days_ago=2)
    wifi = article(news_index, "wifi", "Wi-Fi to the West Coast", "Free messaging on JFK flights west.", days_ago=3)
    translate(wifi, live=False, title="美西航班 Wi-Fi")
    return news_index


def test_a_zh_hant_member_reads_the_translation_at_the_same_url(client, news):
    client.force_login(zh_member())
    response = client.get("/news/jfk-lounge/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "甘迺迪機場全新貴賓室" in html and "New lounge at JFK" not in html
    assert '<html lang="zh-hant"' in html
    assert "<h1>甘迺迪機場全新貴賓室</h1>" in html


def test_the_language_comes_from_the_browser_or_the_cookie_for_a_visitor(client, news):
    assert "甘迺迪機場全新貴賓室" in client.get("/news/jfk-lounge/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert "New lounge at JFK" in client.get("/news/jfk-lounge/").content.decode()
    client.cookies["django_language"] = ZH
    assert "甘迺迪機場全新貴賓室" in client.get("/news/jfk-lounge/").content.decode()


def test_an_english_reader_gets_the_english_page(client, news):
    client.force_login(MemberFactory(language="en"))
    html = client.get("/news/jfk-lounge/").content.decode()
    assert "New lounge at JFK" in html and "甘迺迪機場全新貴賓室" not in html


@pytest.mark.parametrize("path,english", [("/news/boston-snow/", "Snow in Boston"),  # no translation
                                          ("/news/wifi/", "Wi-Fi to the West Coast")])  # a draft translation
def test_english_when_there_is_no_live_translation(client, news, path, english):
    client.force_login(zh_member())
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert english in html and "美西航班" not in html
    assert '<html lang="zh-hant"' in html  # the site around it stays in the reader's language
    assert f'<h1 lang="en">{english}</h1>' in html  # and the English text says it is English (WCAG 3.1.2)


def test_english_for_a_whole_untranslated_site(client, home, news_index):
    article(news_index, "boston-snow", "Snow in Boston", "How we rebook you.")
    client.force_login(zh_member())
    assert client.get("/news/boston-snow/").status_code == 200
    assert client.get("/news/").status_code == 200
    assert client.get("/news/no-such-story/").status_code == 404


def test_urls_are_the_same_in_both_languages(news):
    english = NewsArticlePage.objects.get(slug="jfk-lounge", locale__language_code="en")
    chinese = english.get_translation(Locale.objects.get(language_code=ZH))
    assert english.url == chinese.url == "/news/jfk-lounge/"


def titles(html):
    return re.findall(r"甘迺迪機場全新貴賓室|New lounge at JFK|Snow in Boston|Wi-Fi to the West Coast|美西航班", html)


def test_the_news_lists_each_article_once_in_the_readers_language(client, news):
    client.force_login(zh_member())
    html = client.get("/news/").content.decode()
    assert sorted(titles(html)) == sorted(["甘迺迪機場全新貴賓室", "Snow in Boston", "Wi-Fi to the West Coast"])
    client.force_login(MemberFactory(language="en"))
    html = client.get("/news/").content.decode()
    assert sorted(titles(html)) == sorted(["New lounge at JFK", "Snow in Boston", "Wi-Fi to the West Coast"])


def test_search_finds_each_page_once(client, news):
    client.force_login(zh_member())
    html = client.get("/search/", {"q": "JFK"}).content.decode()
    assert html.count('href="/news/jfk-lounge/"') == 1
    assert "甘迺迪機場全新貴賓室" in html and "New lounge at JFK" not in html
    assert html.count('href="/news/wifi/"') == 1  # English: its translation is a draft
    client.force_login(MemberFactory(language="en"))
    html = client.get("/search/", {"q": "JFK"}).content.decode()
    assert html.count('href="/news/jfk-lounge/"') == 1 and "New lounge at JFK" in html


def test_the_sitemap_lists_each_url_once(client, news):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "zh-TW"}):
        xml = client.get("/sitemap.xml", **headers).content.decode()
        locations = re.findall(r"<loc>([^<]+)</loc>", xml)
        assert len(locations) == len(set(locations))
        assert {"/", "/news/", "/news/jfk-lounge/", "/news/boston-snow/", "/news/wifi/"} <= {
            re.sub(r"^https?://[^/]+", "", loc) for loc in locations}


def test_the_feed_lists_each_article_once_in_the_readers_language(client, news):
    xml = client.get("/news/feed/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert sorted(titles(xml)) == sorted(["甘迺迪機場全新貴賓室", "Snow in Boston", "Wi-Fi to the West Coast"])
    assert xml.count("/news/jfk-lounge/</link>") == 1
    assert "<language>zh-hant</language>" in xml
    xml = client.get("/news/feed/").content.decode()
    assert sorted(titles(xml)) == sorted(["New lounge at JFK", "Snow in Boston", "Wi-Fi to the West Coast"])


def test_the_dashboards_news_is_each_article_once_in_the_members_language(news):
    member = zh_member()
    with translation.override(ZH):
        items = news_for_you(member, timezone.localdate(), n=5, personal=False)
    assert [i.title for i in items] == ["甘迺迪機場全新貴賓室", "Snow in Boston", "Wi-Fi to the West Coast"]
    assert [i.url for i in items] == ["/news/jfk-lounge/", "/news/boston-snow/", "/news/wifi/"]


def test_in_reader_language_keeps_pages_that_exist_in_english_only_or_in_the_readers_language(news):
    pages = NewsArticlePage.objects.live()
    assert in_reader_language(pages, "en").count() == 3
    assert in_reader_language(pages, ZH).count() == 3
    assert in_reader_language(pages, "fr").count() == 3  # an unknown language: English


@pytest.fixture
def gold_area(home, zh):
    translate(home, headline="與 Wayfare 飛得更遠")
    area = TierAreaPage(title="Gold area", slug="gold", min_tier=Tier.objects.get(code="gold"), introduction="Gold only.",
                        body=[("paragraph", "<p>GOLDWINTER</p>")])
    home.add_child(instance=area)
    inside = NewsArticlePage(title="Gold lane", slug="gold-lane", summary="Priority security.", body=[])
    area.add_child(instance=inside)
    zh_area = translate(area, title="金卡專區", body=[("paragraph", "<p>金卡冬季代碼 GOLDWINTER</p>")])
    translate(inside, title="金卡專用通道")
    return zh_area


@pytest.mark.parametrize("path", ["/gold/", "/gold/gold-lane/"])
def test_a_lower_tier_zh_hant_member_is_refused_the_zh_hant_tier_area(client, gold_area, path):
    client.force_login(zh_member("member"))
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 403
    assert "GOLDWINTER" not in html and "金卡專用通道" not in html
    client.force_login(zh_member("gold"))
    response = client.get(path)
    assert response.status_code == 200
    assert "金卡" in response.content.decode()


def test_a_translation_cannot_lower_its_areas_tier(client, gold_area):
    gold_area.min_tier = Tier.objects.get(code="member")  # an editor changes the translation's tier
    gold_area.save_revision().publish()
    assert TierAreaPage.objects.get(pk=gold_area.pk).min_tier_id == "gold"  # the English page's tier wins
    TierAreaPage.objects.filter(pk=gold_area.pk).update(min_tier="member")  # even written behind the model's back
    client.force_login(zh_member("member"))
    assert client.get("/gold/").status_code == 403
    assert client.get("/gold/gold-lane/").status_code == 403


def test_a_lower_tier_finds_no_translated_area_anywhere(client, gold_area):
    client.force_login(zh_member("member"))
    for path in ("/search/?q=GOLDWINTER", "/search/?q=Gold", "/sitemap.xml", "/news/feed/", "/news/"):
        html = client.get(path).content.decode()
        assert "金卡冬季代碼" not in html and "金卡專區" not in html and "/gold/" not in html, path


def test_the_editor_is_told_when_a_translation_is_missing(client, editor, news):
    client.force_login(editor)
    snow = NewsArticlePage.objects.get(slug="boston-snow")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[snow.pk])).content.decode()
    assert "No 繁體中文 translation: members reading 繁體中文 see the English page." in html
    wifi = NewsArticlePage.objects.get(slug="wifi", locale__language_code="en")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[wifi.pk])).content.decode()
    assert "translation is not published: members reading 繁體中文 see the English page" in html
    chinese = NewsArticlePage.objects.get(slug="jfk-lounge", locale__language_code=ZH)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[chinese.pk])).content.decode()
    assert "This is the 繁體中文 translation: members reading 繁體中文 see it at the same address" in html


@pytest.mark.parametrize("page_type", ["article", "service", "tier area"])
def test_translate_in_the_admin_works_for_our_page_types(client, editor, news, zh, page_type):
    client.force_login(editor)
    home = HomePage.objects.get(locale__language_code="en")
    if page_type == "article":
        page = NewsArticlePage.objects.get(slug="boston-snow")
    elif page_type == "service":
        page = home.add_child(instance=ServicePage(title="Lounges", slug="lounges", kind="lounges", introduction="Rest."))
    else:
        page = home.add_child(instance=TierAreaPage(title="Gold area", slug="gold", min_tier=Tier.objects.get(code="gold")))
    response = client.post(reverse("simple_translation:submit_page_translation", args=[page.pk]), {"locales": [zh.pk]})
    copy = page.get_translation(zh)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert copy.slug == page.slug and not copy.live
    assert client.get(response["Location"]).status_code == 200


def test_preview_as_a_member_in_chinese(client, editor, news):
    client.force_login(editor)
    page = NewsArticlePage.objects.get(slug="jfk-lounge", locale__language_code="en")
    params = {"show": "page", "page": page.pk, "device": "desktop"}
    assert "甘迺迪機場全新貴賓室" in client.get("/admin/preview-as-member/", {**params, "language": ZH}).content.decode()
    assert "New lounge at JFK" in client.get("/admin/preview-as-member/", {**params, "language": "en"}).content.decode()


def test_load_demo_translates_every_page_once_and_is_idempotent(home):
    load_site_content()
    assert load_site_content() == 0
    english = Page.objects.filter(depth__gt=1, locale__language_code="en")
    chinese = Page.objects.filter(depth__gt=1, locale__language_code=ZH)
    assert english.count() == chinese.count() > 30
    assert set(english.values_list("translation_key", flat=True)) == set(chinese.live().values_list("translation_key", flat=True))
    assert not chinese.filter(title__in=english.exclude(slug="home").values("title")).exists()  # written, not copied
    assert all(page.url == page.get_translation(Locale.objects.get(language_code=ZH)).url
               for page in english.exclude(depth=2).specific())


def test_a_view_restriction_closes_the_translations_too(client, news):
    from wagtail.models import PageViewRestriction

    english = NewsArticlePage.objects.get(slug="jfk-lounge", locale__language_code="en")
    PageViewRestriction.objects.create(page=english, restriction_type=PageViewRestriction.LOGIN)  # after the translation
    response = client.get("/news/jfk-lounge/", HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "甘迺迪機場全新貴賓室" not in client.get("/news/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    client.force_login(zh_member())
    assert "甘迺迪機場全新貴賓室" in client.get("/news/jfk-lounge/").content.decode()
