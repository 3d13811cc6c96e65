"""Offers in both languages: one offer row, its text translated in child rows edited in the snippet form."""

import json

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import Locale

from members.models import Tier
from offers.models import Offer, OfferClaim, OfferTranslation, with_translations
from offers.services import claim_offer
from portal.errors import DomainError
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zh_hant():
    return Locale.objects.get_or_create(language_code="zh-hant")[0]


def make_offer(slug, title, summary, **fields):
    fields = {"category": Offer.Category.MILES_BONUS, "live": True, "body": f"<p>{summary} (details)</p>", **fields}
    return Offer.objects.create(slug=slug, title=title, summary=summary, **fields)


@pytest.fixture
def miami(zh_hant):
    offer = make_offer("miami-double-miles", "Double miles to Miami", "Earn double miles to Miami.", claim_limit=1)
    OfferTranslation.objects.create(offer=offer, locale=zh_hant, title="邁阿密航線哩程加倍",
                                    summary="月底前搭機前往邁阿密，即可累積雙倍哩程。", body="<p>限經濟艙。</p>")
    return offer


def zh_member(**fields):
    return MemberFactory(language="zh-hant", tier=Tier.objects.get(code="member"), **fields)


def test_the_migration_made_the_zh_hant_locale():
    assert Locale.objects.filter(language_code="zh-hant").exists()


def test_a_zh_hant_reader_sees_the_chinese_title_on_the_list_and_the_detail_page(client, miami):
    untranslated = make_offer("boston-shuttle", "Boston in an hour", "Hourly JFK–Boston flights.")
    client.force_login(zh_member())
    listing = client.get("/offers/").content.decode()
    assert '<html lang="zh-hant"' in listing
    assert "邁阿密航線哩程加倍" in listing and "月底前搭機前往邁阿密" in listing
    assert "Double miles to Miami" not in listing
    # No translation: the English text, marked as English for screen readers (WCAG 3.1.2).
    assert "Boston in an hour" in listing and '<p lang="en">Hourly JFK–Boston flights.</p>' in listing
    detail = client.get("/offers/miami-double-miles/").content.decode()
    assert "<title>邁阿密航線哩程加倍" in detail and '<h1 lang="zh-hant">邁阿密航線哩程加倍</h1>' in detail
    assert "限經濟艙。" in detail and "(details)" not in detail
    assert "Boston in an hour" in client.get(f"/offers/{untranslated.slug}/").content.decode()


def test_a_visitor_gets_the_language_the_browser_asks_for(client, miami):
    chinese = client.get("/offers/miami-double-miles/", HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9").content.decode()
    english = client.get("/offers/miami-double-miles/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "邁阿密航線哩程加倍" in chinese and "Double miles to Miami" not in chinese
    assert "Double miles to Miami" in english and "邁阿密" not in english


def test_an_offer_without_translation_falls_back_to_english(miami):
    plain = make_offer("vegas-shows", "Las Vegas shows", "Miles on show tickets.")
    with translation.override("zh-hant"):
        assert plain.text() == plain.text("en")
        assert plain.localized_title == "Las Vegas shows" and plain.text().language == "en"
        assert miami.localized_title == "邁阿密航線哩程加倍" and miami.localized_summary.startswith("月底前")
    assert miami.localized_title == "Double miles to Miami"


def test_a_translation_without_details_shows_the_english_details_marked_english(miami, zh_hant):
    miami.translations.update(body="")
    text = Offer.objects.get(pk=miami.pk).text("zh-hant")
    assert text.title == "邁阿密航線哩程加倍" and text.body == miami.body
    assert (text.language, text.body_language) == ("zh-hant", "en")


def test_the_list_reads_every_translation_in_one_query(miami, zh_hant, django_assert_num_queries):
    for n in range(5):
        offer = make_offer(f"offer-{n}", f"Offer {n}", "Summary")
        OfferTranslation.objects.create(offer=offer, locale=zh_hant, title=f"優惠 {n}", summary="摘要")
    offers = list(Offer.objects.all())
    with translation.override("zh-hant"), django_assert_num_queries(1):
        titles = [o.localized_title for o in with_translations(offers)] + [o.localized_summary for o in offers]
    assert "優惠 0" in titles and "邁阿密航線哩程加倍" in titles
    with django_assert_num_queries(0):
        assert with_translations(offers, "en") == offers


def test_claims_count_once_whatever_the_language(client, miami):
    chinese, english = zh_member(), MemberFactory(language="en", tier=Tier.objects.get(code="member"))
    for who in (chinese, english):
        client.force_login(who)
        page = client.post("/offers/miami-double-miles/claim/", follow=True).content.decode()
    assert "Claimed: Double miles to Miami." in page
    client.force_login(chinese)
    html = client.get("/offers/miami-double-miles/").content.decode()
    assert "您已領取此優惠。" in html
    miami.refresh_from_db()
    assert miami.claims_count == 2 and OfferClaim.objects.filter(offer=miami).count() == 2
    with translation.override("en"), pytest.raises(DomainError):
        claim_offer(member=chinese, offer=miami)  # the limit holds across languages: one offer, one count
    assert Offer.objects.count() == 1


def test_the_claim_message_names_the_offer_in_the_readers_language(client, miami):
    client.force_login(zh_member())
    page = client.post("/offers/miami-double-miles/claim/", follow=True).content.decode()
    assert "邁阿密航線哩程加倍" in page and "Double miles to Miami" not in page


def test_the_api_returns_the_offer_text_in_the_callers_language(client, miami):
    client.force_login(MemberFactory(tier=Tier.objects.get(code="member")))
    items = client.get("/api/v1/offers", HTTP_ACCEPT_LANGUAGE="zh-TW").json()["items"]
    assert (items[0]["title"], items[0]["summary"]) == ("邁阿密航線哩程加倍", "月底前搭機前往邁阿密，即可累積雙倍哩程。")
    assert client.get("/api/v1/offers", HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]["title"] == "Double miles to Miami"


def draftail(text=""):
    """A rich text field as the admin's editor posts it (Draftail's content state)."""
    block = {"key": "a", "text": text, "type": "unstyled", "depth": 0, "inlineStyleRanges": [], "entityRanges": [], "data": {}}
    return json.dumps({"blocks": [block], "entityMap": {}})


def edit_form(offer, **translation_fields):
    """The snippet edit form as a browser posts it: the offer's fields and one translation row."""
    data = {
        "title": offer.title, "slug": offer.slug, "summary": offer.summary, "body": draftail(), "category": offer.category,
        "destinations": "", "miles_bonus": "0", "home_airports": "", "interests": "[]", "priority": "50",
        "claim_limit": "1", "total_cap": "", "frequency_cap": "", "frequency_period": "day", "budget": "",
        "budget_unit": "miles", "cost_per_claim": "0", "pacing": "asap", "go_live_at": "", "expire_at": "",
        "translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0", "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    data.update({f"translations-0-{name}": value for name, value in translation_fields.items()})
    return data


def test_an_editor_saves_a_translation_in_the_snippet_form_and_it_goes_through_moderation(client, editor, zh_hant):
    offer = make_offer("vail-ski-bag", "Skis fly free to Vail", "Your skis travel free.")
    offer.save_revision(user=editor).publish()
    url = f"/admin/snippets/offers/offer/edit/{offer.pk}/"
    client.force_login(editor)
    form = client.get(url).content.decode()
    assert "translations-TOTAL_FORMS" in form and "繁體中文" in form  # the language choice in the inline
    response = client.post(url, edit_form(offer, locale=zh_hant.pk, title="飛韋爾，雪具免費託運",
                                           summary="雙板或單板雪具免費託運至伊格爾郡。", body=draftail()))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Offer.objects.get(pk=offer.pk).get_latest_revision_as_object()
    assert [t.title for t in draft.translations.all()] == ["飛韋爾，雪具免費託運"]
    assert draft.text("zh-hant").title == "飛韋爾，雪具免費託運"  # what a preview of the draft shows
    assert not OfferTranslation.objects.exists(), "a draft is not live: members still read the published text"
    moderator = MemberFactory(email="mo@example.com")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    Offer.objects.get(pk=offer.pk).get_latest_revision().publish(user=moderator)
    assert OfferTranslation.objects.get(offer=offer).title == "飛韋爾，雪具免費託運"
    with translation.override("zh-hant"):
        assert Offer.objects.get(pk=offer.pk).localized_title == "飛韋爾，雪具免費託運"


def test_the_snippet_form_refuses_a_second_translation_into_the_same_language(client, editor, miami, zh_hant):
    client.force_login(editor)
    data = edit_form(miami, locale=zh_hant.pk, title="一個", summary="第一個", body=draftail())
    data.update({"translations-TOTAL_FORMS": "2", "translations-1-locale": zh_hant.pk, "translations-1-title": "再一個",
                 "translations-1-summary": "重複", "translations-1-body": draftail()})
    response = client.post(f"/admin/snippets/offers/offer/edit/{miami.pk}/", data)
    assert response.status_code == 200  # the form again, with the error, never a 500
    assert "Please correct the duplicate data" in response.content.decode()
    assert OfferTranslation.objects.get(offer=miami).title == "邁阿密航線哩程加倍"
    assert miami.revisions.count() == 0


def test_the_demo_offers_all_have_a_chinese_title_and_summary(zh_hant):
    from offers.demo.offer_translations import ZH_HANT
    from offers.demo.special_offers import load_offers

    load_offers()
    load_offers()  # idempotent
    assert OfferTranslation.objects.filter(locale=zh_hant).count() == Offer.objects.count() == len(ZH_HANT)
    for row in OfferTranslation.objects.select_related("offer"):
        assert row.title != row.offer.title and row.summary != row.offer.summary
