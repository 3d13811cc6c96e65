"""The demo site's pages: news, services, corporate travel, tier areas. Created once, found by slug.

The stories are written for the demo and dated across the past year; the routes and
destinations they mention are the ones the timetable serves. Every page also exists in
Traditional Chinese (cms/demo_zh_hant.py): a Wagtail translation, created once with
"Translate"'s own copy (same slug, so the same URL) and published.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from cms import demo_zh_hant as zh

from cms.models import CorporatePage, HomePage, NewsArticlePage, NewsIndexPage, ServicePage, TierAreaPage
from members.models import Tier
from offers.demo.special_offers import GOLD_AND_UP, load_segments

# (title, category, destinations, summary, paragraph)
NEWS = [
    ("More morning flights to Chicago", "network", "ORD", "LaGuardia–O'Hare gains an extra 6 a.m. departure on weekdays.",
     "Business travellers asked for an earlier start in Chicago. From next month the first LaGuardia departure leaves at 6:00 and lands before 7:30 local time."),
    ("Winter sun: daily flights to St. Thomas", "network", "STT", "JFK–St. Thomas flies every day from December to April.",
     "Our seasonal service to the US Virgin Islands returns with a daily departure from JFK in the late morning."),
    ("Ski season to Vail/Eagle County", "network", "EGE", "Saturday flights from JFK to Eagle County for the ski season.",
     "Skis and snowboards travel as one piece of checked baggage at no extra charge for Gold members and above."),
    ("Status year resets on 1 March", "programme", "", "How the qualification year works and what counts towards your status.",
     "Loyalty Points you earn from 1 March to the end of February decide your status for the next year."),
    ("Double miles on Miami weekends", "programme", "MIA", "Fly to Miami on a Friday or Sunday and earn double miles.",
     "The offer applies to Main Cabin and premium cabins on flights from JFK, LGA and EWR."),
    ("New lounge at JFK Terminal 8", "service", "JFK", "A bigger lounge with showers and a quiet room opens at JFK.",
     "Platinum members and above, and Business and First passengers, are welcome with one guest."),
    ("Wi-Fi on every flight to the West Coast", "service", "LAX SFO SEA", "Free messaging and paid streaming on transcontinental flights.",
     "Members can message for free on every flight to Los Angeles, San Francisco and Seattle."),
    ("Partner hotels in Austin", "partners", "AUS", "Earn miles on hotel stays in Austin with our new partners.",
     "Add your member number when you book and earn up to 3 miles per dollar."),
    ("Car rental partner in Orlando", "partners", "MCO", "Families flying to Orlando earn miles on car rental.",
     "Book a car through the portal and earn 500 bonus miles per rental."),
    ("Hurricane season: flexible changes for the Caribbean", "travel", "SJU STT", "Change your San Juan or St. Thomas flight without a fee.",
     "If a storm is forecast, you can move your trip up to seven days at no charge."),
    ("Snow in Boston: what to expect", "travel", "BOS", "How we rebook you when Logan closes.",
     "We rebook you automatically on the next flight with a seat and tell you by e-mail and in the portal."),
    ("San Diego gets a lie-flat seat", "service", "SAN", "Business on JFK–San Diego now has lie-flat seats.",
     "Every seat has direct aisle access and a power outlet."),
    ("Dallas hub: faster connections", "network", "DFW", "New gates at DFW make connections shorter.",
     "Most connections at Dallas/Fort Worth now take under 50 minutes."),
    ("Las Vegas shows and miles", "partners", "LAS", "Earn miles on show tickets in Las Vegas.",
     "Our entertainment partner adds 2 miles per dollar on tickets bought with your member number."),
    ("St. Louis returns to the timetable", "network", "STL", "LaGuardia–St. Louis flies several times a day.",
     "Morning, midday and evening departures make day trips possible."),
    ("Tampa Bay spring training", "travel", "TPA", "Baseball fans: extra seats to Tampa in March.",
     "We add capacity on weekends during spring training."),
    ("Fort Lauderdale for the holidays", "network", "FLL", "More holiday seats from JFK to Fort Lauderdale.",
     "Book early: the advance-purchase fares are the lowest of the year."),
    ("Palm Beach winter schedule", "network", "PBI", "LaGuardia–Palm Beach flies from January to April.",
     "The seasonal service returns with Saturday and Sunday departures."),
    ("Houston for energy travellers", "network", "IAH", "Evening departures from JFK to Houston.",
     "Arrive the evening before your meeting and earn double Loyalty Points on weekdays."),
    ("Upgrade windows explained", "programme", "", "When your complimentary upgrade is confirmed, by tier.",
     "Upgrades clear from 100 hours before departure for Executive Platinum, 72 for Platinum Pro, 48 for Platinum and 24 for Gold."),
    ("Baggage allowance by tier", "programme", "", "How many bags travel free with your status.",
     "Gold members check one bag free, Platinum two, Platinum Pro and Executive Platinum three."),
    ("Miami lounge refreshed", "service", "MIA", "The Miami lounge reopens with a new terrace.",
     "Local dishes and a terrace over the apron: stop by before your flight home."),
    ("San Francisco food and wine weekend", "partners", "SFO", "Earn miles at partner wineries in Napa.",
     "Show your member number at participating wineries."),
    ("Seattle: nature on your doorstep", "travel", "SEA", "Three national parks within a day of Seattle.",
     "Fly JFK–Seattle and rent a car with our partner to reach Mount Rainier."),
]

SERVICES = [
    ("Lounges", "lounges", "Rest, work and eat before your flight.", "Lounge access depends on your status and cabin."),
    ("Upgrades", "upgrades", "Complimentary and mileage upgrades.", "Members with status are upgraded automatically when seats are free."),
    ("Baggage", "baggage", "What you can bring, and what travels free.", "Your status adds free checked bags."),
    ("Partner programmes", "partners", "Earn miles with hotels, cars and more.", "Add your member number when you book with a partner."),
]


# (slug, title, minimum tier, introduction, [(heading, paragraph)], child news: (slug, title, summary, paragraph))
TIER_AREAS = [
    ("gold", "Gold area", "gold", "What your Gold status brings this season, and how to use it.",
     [("Your Gold benefits", "You board in group 4, check one bag free on every flight and are upgraded for free "
                             "from 24 hours before departure on flights under 500 miles, when a seat is free."),
      ("Winter guest pass", "Until the end of March, bring one guest into the JFK Terminal 8 lounge on the day of a "
                            "Wayfare departure: show your boarding pass and quote the code GOLDWINTER at the desk.")],
     ("gold-priority-security-at-lga", "Gold lane at LaGuardia security",
      "Gold members now use the priority security lane at LaGuardia Terminal B.",
      "Show a boarding pass with your Gold status printed on it; the lane opens from 4:30 every morning.")),
    ("executive-platinum", "Executive Platinum area", "executive_platinum",
     "Your desk, your upgrades and the people behind your status.",
     [("Your Executive Platinum desk", "Call the Executive Platinum desk around the clock on +1 800 555 0147: the same "
                                       "team rebooks you, holds seats and arranges a car when a connection is tight."),
      ("Systemwide upgrades", "Four systemwide upgrades reach your account on 1 March. Use them on any flight and fare, "
                              "for you or a companion, and confirm them up to 100 hours before departure.")],
     ("executive-platinum-chauffeur-at-jfk", "Chauffeur transfers at JFK",
      "Executive Platinum members with a tight connection at JFK are driven across the apron.",
      "When your connection is under 45 minutes, the desk arranges a car from your arrival gate to your next flight.")),
]


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


def load_tier_areas(home, today):
    created = 0
    tiers = {t.code: t for t in Tier.objects.all()}
    for slug, title, tier, introduction, sections, (news_slug, news_title, summary, text) in TIER_AREAS:
        area = TierAreaPage.objects.child_of(home).filter(slug=slug).first()
        if area is None:
            body = [block for heading, para in sections for block in
                    [("heading", {"text": heading, "level": "h2"}), ("paragraph", f"<p>{para}</p>")]]
            area = home.add_child(instance=TierAreaPage(title=title, slug=slug, min_tier=tiers[tier],
                                                        introduction=introduction, body=body))
            created += 1
        if not NewsArticlePage.objects.child_of(area).filter(slug=news_slug).exists():
            area.add_child(instance=NewsArticlePage(title=news_title, slug=news_slug, date=today - dt.timedelta(days=3),
                                                    category="programme", summary=summary, body=paragraph(text)))
            created += 1
    return created


GOLD_NEWS = ("gold-and-up-jfk-fast-track", "Gold and up: fast track at JFK Terminal 8", "service", "JFK",
             "From next month Gold members and above use the fast-track lane at JFK security.",
             "Show your boarding pass with your status printed on it. The lane opens at 4:30 every morning.")


def load_segment_content(home, news, services, today):
    """The demo's personalised content: a news article for Gold and up, a segment block, a page variant."""
    created = 0
    segments = load_segments()
    slug, title, category, destinations, summary, text = GOLD_NEWS
    if not NewsArticlePage.objects.filter(slug=slug).exists():
        article = news.add_child(instance=NewsArticlePage(title=title, slug=slug, date=today - dt.timedelta(days=1),
                                                          category=category, destinations=destinations, summary=summary,
                                                          body=paragraph(text)))
        article.tiers.set(Tier.objects.filter(code__in=GOLD_AND_UP.split()))
        article.save_revision().publish()
        created += 1
    upgrades = ServicePage.objects.child_of(services).filter(slug="upgrades").first()
    if upgrades is not None and not any(b.block_type == "for_segment" for b in upgrades.body):
        upgrades.body.append(("for_segment", {"segment": segments["Near Gold"], "content": [
            ("heading", {"text": "You are close to Gold", "level": "h2"}),
            ("paragraph", "<p>Gold members are upgraded for free from 24 hours before departure. "
                          "A couple of round trips and the upgrades are yours.</p>")]}))
        upgrades.save_revision().publish()
        created += 1
    lounges = ServicePage.objects.child_of(services).filter(slug="lounges").first()
    if lounges is not None and not lounges.variants.exists():
        from cms.models import ServicePageVariant

        lounges.variants.add(ServicePageVariant(
            segment=segments["JFK Gold and up"],
            introduction="Your status opens the JFK Terminal 8 lounge before every Wayfare flight.",
            body=paragraph("Show your boarding pass at the desk; bring one guest on international departures.")))
        lounges.save_revision().publish()
        created += 1
    return created


@transaction.atomic
def load_site_content(today=None):
    """Create the demo pages that are missing; returns how many were created."""
    today = today or timezone.localdate()
    home = HomePage.objects.get(locale=Locale.get_default())
    created = 0

    news = NewsIndexPage.objects.child_of(home).first()
    if news is None:
        news = home.add_child(instance=NewsIndexPage(title="News", slug="news",
                                                     introduction="Routes, service and programme news from Wayfare."))
        created += 1
    existing = set(NewsArticlePage.objects.child_of(news).values_list("slug", flat=True))
    for n, (title, category, destinations, summary, text) in enumerate(NEWS):
        slug = news_slug(title)
        if slug in existing:
            continue
        news.add_child(instance=NewsArticlePage(
            title=title, slug=slug, date=today - dt.timedelta(days=15 * n), category=category,
            destinations=destinations, summary=summary, body=paragraph(text)))
        created += 1

    services = ServicePage.objects.child_of(home).filter(slug="services").first()
    if services is None:
        services = home.add_child(instance=ServicePage(title="Programmes and services", slug="services",
                                                        introduction="Everything your membership brings, on the ground and in the air."))
        created += 1
    existing = set(ServicePage.objects.child_of(services).values_list("slug", flat=True))
    for title, kind, introduction, text in SERVICES:
        if kind not in existing:
            services.add_child(instance=ServicePage(title=title, slug=kind, kind=kind, introduction=introduction, body=paragraph(text)))
            created += 1

    if not CorporatePage.objects.exists():
        home.add_child(instance=CorporatePage(
            title="Corporate and group travel", slug="corporate",
            introduction="Travelling as a team of ten or more? Ask for a group fare and one contact for the whole trip.",
            body=paragraph("Group fares hold seats for up to 30 days before names are needed, and every traveller earns miles.")))
        created += 1
    created += load_tier_areas(home, today)
    created += load_segment_content(home, news, services, today)
    created += load_translations(home, news, services)
    return created


def news_slug(title):
    return title.lower().replace(":", "").replace("'", "").replace("/", "-").replace(".", "").replace(" ", "-")


def load_translations(home, news, services):
    """The zh-Hant translation of every demo page that has none yet; returns how many were created."""
    from cms.models import ServicePageVariant

    locale, _ = Locale.objects.get_or_create(language_code=zh.LANGUAGE)
    segments = load_segments()
    created = 0

    def translate(page, **fields):
        nonlocal created
        if page is None or page.get_translation_or_none(locale) is not None:
            return
        copy = page.specific.copy_for_translation(locale)  # Wagtail's "Translate": same slug, under the translated parent
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save_revision().publish()
        created += 1

    translate(home, **zh.HOME)
    translate(news, **zh.NEWS_INDEX)
    by_slug = {news_slug(title): translated for (title, *_), translated in zip(NEWS, zh.NEWS, strict=True)}
    for article in NewsArticlePage.objects.child_of(news).filter(slug__in=list(by_slug)):
        title, summary, text = by_slug[article.slug]
        translate(article, title=title, summary=summary, body=paragraph(text))
    title, summary, text = zh.GOLD_NEWS
    translate(NewsArticlePage.objects.child_of(news).filter(slug=GOLD_NEWS[0]).first(), title=title, summary=summary,
              body=paragraph(text))

    translate(services, **zh.SERVICES_INDEX)
    for page in ServicePage.objects.child_of(services).filter(slug__in=list(zh.SERVICES)):
        title, introduction, text = zh.SERVICES[page.slug]
        body = paragraph(text)
        extra = {}
        if page.slug == "upgrades":
            heading, para = zh.NEAR_GOLD_BLOCK
            body.append(("for_segment", {"segment": segments["Near Gold"], "content": [
                ("heading", {"text": heading, "level": "h2"}), ("paragraph", f"<p>{para}</p>")]}))
        if page.slug == "lounges":
            introduction_for, text_for = zh.LOUNGES_VARIANT
            extra["variants"] = [ServicePageVariant(segment=segments["JFK Gold and up"], introduction=introduction_for,
                                                    body=paragraph(text_for))]
        translate(page, title=title, introduction=introduction, body=body, **extra)

    translate(CorporatePage.objects.child_of(home).first(), title=zh.CORPORATE["title"],
              introduction=zh.CORPORATE["introduction"], body=paragraph(zh.CORPORATE["body"]),
              thank_you=zh.CORPORATE["thank_you"])

    for area in TierAreaPage.objects.child_of(home).filter(slug__in=list(zh.TIER_AREAS)):
        title, introduction, sections, (news_title, summary, text) = zh.TIER_AREAS[area.slug]
        body = [block for heading, para in sections for block in
                [("heading", {"text": heading, "level": "h2"}), ("paragraph", f"<p>{para}</p>")]]
        translate(area, title=title, introduction=introduction, body=body)
        for article in NewsArticlePage.objects.child_of(area):
            translate(article, title=news_title, summary=summary, body=paragraph(text))
    return created
