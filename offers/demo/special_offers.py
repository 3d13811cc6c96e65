"""Demo special offers: 36 across categories and the destinations the timetable serves.

Some are for everyone, some for tiers, home airports or interests; a few are
scheduled for next week or have expired, so the schedule shows. Created once by slug.

Also the demo segments (`SEGMENTS`, created once by name) and two offers aimed at them,
one with a frequency cap and one with an evenly paced budget. Every offer gets its
Traditional Chinese title and summary (offers/demo/offer_translations.py).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from members.models import Tier
from offers.demo.offer_translations import load_offer_translations
from offers.models import Offer, Segment, SegmentRule

GOLD_AND_UP = "gold platinum platinum_pro executive_platinum"
# name, description, match, [(kind, values, number)]
SEGMENTS = [
    ("JFK Gold and up", "Gold members and above whose home airport is JFK.", "all",
     [("tier", GOLD_AND_UP, None), ("home_airport", "JFK", None)]),
    ("Near Gold", "Members within 10,000 Loyalty Points of Gold this qualification year.", "all",
     [("tier", "member", None), ("near_next_tier", "", 10_000)]),
    ("Phone visitors", "Anyone reading on a phone.", "all", [("device", "phone", None)]),
    ("Winter sun campaign", "Came from the winter-sun e-mail or a search ad.", "any",
     [("utm_campaign", "winter-sun", None), ("referrer", "google.com bing.com", None)]),
    ("Regulars", "Members active on at least 5 days in the last 90.", "all", [("visit_count", "", 5)]),
]

# slug, title, category, destinations, segment, bonus miles, summary, extra fields
SEGMENT_OFFERS = [
    ("jfk-gold-breakfast", "Breakfast in the JFK lounge", "lounge", "", "JFK Gold and up", 0,
     "Gold and up from JFK: breakfast in the Terminal 8 lounge on us before a morning departure.",
     {"frequency_cap": 3, "frequency_period": "week", "priority": 70}),
    ("near-gold-sprint", "Your sprint to Gold", "miles_bonus", "", "Near Gold", 3000,
     "You are close to Gold: 3,000 bonus Loyalty Points on your next two round trips.",
     {"budget": 300_000, "budget_unit": "miles", "cost_per_claim": 3000, "pacing": "even", "priority": 80}),
]


@transaction.atomic
def load_segments():
    """Create the demo segments that are missing; returns {name: segment}."""
    for name, description, match, rules in SEGMENTS:
        segment, created = Segment.objects.get_or_create(name=name, defaults={"description": description, "match": match})
        if created:
            for kind, values, number in rules:
                SegmentRule.objects.create(segment=segment, kind=kind, values=values, number=number)
    return {s.name: s for s in Segment.objects.filter(name__in=[row[0] for row in SEGMENTS])}

# slug, title, category, destinations, tiers, home airports, interests, bonus miles, summary
OFFERS = [
    ("miami-double-miles", "Double miles to Miami", "miles_bonus", "MIA", "", "", "", 2500, "Fly to Miami by the end of the month and earn double miles."),
    ("fort-lauderdale-sale", "Fort Lauderdale from $129", "fare_sale", "FLL", "", "", "beaches", 0, "Main Cabin one way from JFK, travel within eight weeks."),
    ("tampa-spring-training", "Tampa for spring training", "fare_sale", "TPA", "", "", "sports", 0, "Extra weekend seats to Tampa in March."),
    ("orlando-family-bonus", "Orlando family bonus", "miles_bonus", "MCO", "", "", "family", 1500, "1,500 bonus miles per family trip to Orlando."),
    ("palm-beach-winter", "Palm Beach winter escape", "fare_sale", "PBI", "", "LGA", "beaches", 0, "Weekend flights from LaGuardia, January to April."),
    ("san-juan-sun", "San Juan sunshine", "fare_sale", "SJU", "", "JFK", "beaches", 0, "Winter fares to Puerto Rico from JFK."),
    ("st-thomas-islands", "St. Thomas island hop", "partner", "STT", "", "", "beaches nature", 1000, "Earn miles on island ferries with our partner."),
    ("vail-ski-bag", "Skis fly free to Vail", "baggage", "EGE", "", "", "skiing", 0, "Your skis or snowboard travel free to Eagle County."),
    ("vail-lodge-partner", "Vail lodge partner miles", "partner", "EGE", "", "", "skiing", 3000, "3,000 miles on a three-night stay at partner lodges."),
    ("la-business-upgrade", "Business to Los Angeles", "upgrade", "LAX", "gold platinum", "", "", 0, "Upgrade to Business on JFK–LAX for 15,000 miles."),
    ("sf-wine-weekend", "Napa wine weekend", "partner", "SFO", "", "", "food", 2000, "Miles at partner wineries around San Francisco."),
    ("seattle-parks", "Seattle and the national parks", "partner", "SEA", "", "", "nature", 1500, "Car rental miles for your trip to Mount Rainier."),
    ("austin-music", "Austin live music", "partner", "AUS", "", "", "culture", 1000, "Miles on festival tickets in Austin."),
    ("vegas-shows", "Las Vegas shows", "partner", "LAS", "", "", "culture", 1000, "Miles on show tickets in Las Vegas."),
    ("chicago-commuter", "Chicago commuter pack", "fare_sale", "ORD", "", "LGA", "business", 0, "Ten LaGuardia–O'Hare flights at a fixed fare."),
    ("dallas-commuter", "Dallas commuter pack", "fare_sale", "DFW", "", "LGA EWR", "business", 0, "Ten flights to Dallas/Fort Worth at a fixed fare."),
    ("boston-shuttle", "Boston in an hour", "fare_sale", "BOS", "", "JFK", "business", 0, "Hourly JFK–Boston flights on weekdays."),
    ("st-louis-day-trip", "St. Louis day trips", "fare_sale", "STL", "", "LGA", "business", 0, "Out in the morning, home for dinner."),
    ("houston-energy", "Houston energy week", "miles_bonus", "IAH", "", "", "business", 2000, "Double Loyalty Points on weekday flights to Houston."),
    ("san-diego-lie-flat", "Lie-flat to San Diego", "upgrade", "SAN", "platinum platinum_pro executive_platinum", "", "", 0, "Complimentary upgrade on JFK–San Diego."),
    ("jfk-lounge-day-pass", "JFK lounge day pass", "lounge", "", "member gold", "JFK", "", 0, "A lounge day pass at JFK Terminal 8 for 5,000 miles."),
    ("lga-lounge-day-pass", "LaGuardia lounge day pass", "lounge", "", "member gold", "LGA", "", 0, "A lounge day pass at LaGuardia for 5,000 miles."),
    ("flagship-lounge-guest", "Bring a guest to Flagship", "lounge", "", "executive_platinum", "", "", 0, "A second guest in Flagship lounges this winter."),
    ("gold-status-boost", "Gold: 5,000 Loyalty Points boost", "miles_bonus", "", "gold", "", "", 5000, "Closer to Platinum: 5,000 Loyalty Points on three trips."),
    ("platinum-pro-challenge", "Platinum Pro challenge", "miles_bonus", "", "platinum", "", "", 10000, "Fly four round trips in 90 days and reach Platinum Pro."),
    ("executive-thank-you", "A thank-you for Executive Platinum", "miles_bonus", "", "executive_platinum", "", "", 20000, "20,000 miles for a year at the top."),
    ("welcome-member", "Welcome: 1,000 miles on your first flight", "miles_bonus", "", "member", "", "", 1000, "Take your first Wayfare flight and earn 1,000 miles."),
    ("extra-bag-gold", "Second bag free for Gold", "baggage", "", "gold", "", "", 0, "A second free checked bag on trips this winter."),
    ("miami-lounge-terrace", "Miami lounge terrace", "lounge", "MIA", "platinum platinum_pro executive_platinum", "", "", 0, "Your return from Miami starts on the new terrace."),
    ("la-hotel-partner", "Los Angeles hotel miles", "partner", "LAX", "", "", "cities", 2000, "Up to 2,000 miles on partner hotels in Los Angeles."),
    ("sf-city-break", "San Francisco city break", "fare_sale", "SFO", "", "JFK", "cities", 0, "Weekend fares from JFK to San Francisco."),
    ("miami-shopping", "Miami shopping miles", "partner", "MIA", "", "", "shopping", 1000, "Miles at partner stores in Miami."),
    ("dallas-sports", "Dallas game days", "fare_sale", "DFW", "", "", "sports", 0, "Weekend fares to Dallas for the season."),
    ("orlando-parks", "Orlando theme parks", "partner", "MCO", "", "", "family", 2000, "Miles on park tickets for the whole family."),
    ("holiday-preview", "Holiday fares (next week)", "fare_sale", "MIA FLL TPA", "", "", "", 0, "Early holiday fares go live next week."),
    ("summer-sale-ended", "Summer sale (ended)", "fare_sale", "LAX SFO", "", "", "", 0, "Last summer's sale."),
]


@transaction.atomic
def load_offers(now=None):
    """Create the demo offers that are missing; returns how many were created."""
    now = now or timezone.now()
    tiers = {t.code: t for t in Tier.objects.all()}
    existing = set(Offer.objects.values_list("slug", flat=True))
    created = 0
    for slug, title, category, destinations, tier_codes, homes, interests, miles, summary in OFFERS:
        if slug in existing:
            continue
        schedule = {"expire_at": now + dt.timedelta(days=45)}
        if slug == "holiday-preview":
            schedule = {"go_live_at": now + dt.timedelta(days=7), "expire_at": now + dt.timedelta(days=60)}
        elif slug == "summer-sale-ended":
            schedule = {"expire_at": now - dt.timedelta(days=90)}
        offer = Offer.objects.create(
            slug=slug, title=title, category=category, destinations=destinations, home_airports=homes,
            interests=interests.split(), miles_bonus=miles, summary=summary, body=f"<p>{summary}</p>",
            live=True, first_published_at=now, last_published_at=now, **schedule)
        offer.tiers.set([tiers[c] for c in tier_codes.split() if c in tiers])
        created += 1
    segments = load_segments()
    for slug, title, category, destinations, segment, miles, summary, extra in SEGMENT_OFFERS:
        if slug in existing:
            continue
        offer = Offer.objects.create(
            slug=slug, title=title, category=category, destinations=destinations, miles_bonus=miles, summary=summary,
            body=f"<p>{summary}</p>", live=True, first_published_at=now, last_published_at=now, go_live_at=now,
            expire_at=now + dt.timedelta(days=30), **extra)
        offer.segments.set([segments[segment]])
        created += 1
    load_offer_translations()
    return created
