"""The travel tastes demo members are drawn from: parameters of the generator, not data.

Each segment says where its members like to go (weights per destination; a
destination not flown from a member's home airport simply drops out), when they
are active (a weight per calendar month, per ISO weekday and per hour of day), which
cabin they prefer, which `TravelInterest`s they tick and how intensely they use the
site (sessions over the 18 months, how often a session ends in a save or a booking).
Members mix segments (see `members.py`), so tastes overlap as they do in life.
"""

from dataclasses import dataclass, field

from members.models import Cabin, TravelInterest

# Month weights Jan..Dec, weekday weights Mon..Sun, hour weights in 4-hour bands 0-4 … 20-24.
FLAT_MONTHS = (1,) * 12
WORK_WEEK = (1.2, 1.2, 1.2, 1.2, 1.1, 0.35, 0.35)
LEISURE_WEEK = (0.9, 0.9, 0.9, 1.0, 1.0, 1.3, 1.4)
OFFICE_HOURS = (0.05, 0.6, 2.0, 2.0, 1.0, 0.4)
EVENING_HOURS = (0.15, 0.3, 0.8, 1.0, 1.5, 1.6)


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    share: float
    destinations: dict
    months: tuple = FLAT_MONTHS
    weekdays: tuple = LEISURE_WEEK
    hours: tuple = EVENING_HOURS
    cabins: dict = field(default_factory=lambda: {Cabin.ECONOMY: 1.0})
    interests: tuple = ()  # the first always applies, each other one with probability 0.4
    sessions: float = 7.0  # mean number of trip-planning sessions in the 18 months
    save_rate: float = 0.18  # per session with a view
    book_rate: float = 0.10  # per session with a view


SEGMENTS = (
    Segment(
        key="business",
        label="Business commuter",
        share=0.22,
        destinations={"ORD": 5, "DFW": 5, "BOS": 5, "LAX": 4, "SFO": 4, "IAH": 2, "STL": 2, "AUS": 1.5, "SEA": 1},
        months=(1.0, 1.1, 1.1, 1.1, 1.1, 1.0, 0.6, 0.5, 1.1, 1.2, 1.1, 0.6),
        weekdays=WORK_WEEK,
        hours=OFFICE_HOURS,
        cabins={Cabin.BUSINESS: 0.45, Cabin.PREMIUM_ECONOMY: 0.2, Cabin.FIRST: 0.1, Cabin.ECONOMY: 0.25},
        interests=(TravelInterest.BUSINESS, TravelInterest.CITIES, TravelInterest.FOOD, TravelInterest.SPORTS),
        sessions=10.0,
        save_rate=0.12,
        book_rate=0.22,
    ),
    Segment(
        key="sun",
        label="Sun seeker",
        share=0.24,
        destinations={"MIA": 4, "FLL": 3, "TPA": 3, "SJU": 3, "PBI": 3, "STT": 2, "MCO": 2},
        months=(1.6, 1.6, 1.4, 0.8, 0.5, 0.5, 0.5, 0.5, 0.6, 1.0, 1.2, 1.4),
        cabins={Cabin.ECONOMY: 0.6, Cabin.PREMIUM_ECONOMY: 0.25, Cabin.BUSINESS: 0.12, Cabin.FIRST: 0.03},
        interests=(TravelInterest.BEACHES, TravelInterest.SHOPPING, TravelInterest.FOOD, TravelInterest.NATURE),
    ),
    Segment(
        key="family",
        label="Family holidays",
        share=0.18,
        destinations={"MCO": 5, "SAN": 3, "TPA": 3, "LAS": 2, "MIA": 1},
        # School holidays: mid-winter break (Feb), spring break (Apr), summer, Christmas.
        months=(0.6, 1.2, 0.8, 1.4, 0.7, 1.5, 1.6, 1.5, 0.5, 0.6, 0.8, 1.4),
        weekdays=(0.8, 0.8, 0.8, 0.9, 1.0, 1.5, 1.6),
        cabins={Cabin.ECONOMY: 0.8, Cabin.PREMIUM_ECONOMY: 0.15, Cabin.BUSINESS: 0.05},
        interests=(TravelInterest.FAMILY, TravelInterest.BEACHES, TravelInterest.NATURE),
        sessions=6.0,
        save_rate=0.25,
        book_rate=0.08,
    ),
    Segment(
        key="cities",
        label="West coast and cities",
        share=0.22,
        destinations={"LAX": 4, "SFO": 4, "SEA": 3, "LAS": 3, "AUS": 3, "BOS": 1, "ORD": 1},
        months=(0.8, 0.8, 1.0, 1.1, 1.2, 1.2, 1.1, 1.1, 1.2, 1.2, 0.9, 0.7),
        cabins={Cabin.ECONOMY: 0.6, Cabin.PREMIUM_ECONOMY: 0.25, Cabin.BUSINESS: 0.15},
        interests=(TravelInterest.CITIES, TravelInterest.CULTURE, TravelInterest.FOOD, TravelInterest.SHOPPING, TravelInterest.SPORTS),
    ),
    Segment(
        key="ski",
        label="Skier",
        share=0.06,
        destinations={"EGE": 10, "SEA": 1, "SFO": 0.5, "DFW": 0.5, "ORD": 0.5},
        months=(2.0, 2.0, 1.5, 0.5, 0.2, 0.2, 0.2, 0.2, 0.4, 0.8, 1.2, 1.8),
        cabins={Cabin.ECONOMY: 0.45, Cabin.PREMIUM_ECONOMY: 0.3, Cabin.BUSINESS: 0.2, Cabin.FIRST: 0.05},
        interests=(TravelInterest.SKIING, TravelInterest.NATURE, TravelInterest.SPORTS),
        sessions=6.0,
        save_rate=0.2,
        book_rate=0.12,
    ),
    Segment(
        key="explorer",
        label="Explorer",
        share=0.08,
        destinations={code: 1 for code in "AUS BOS DFW EGE FLL IAH LAS LAX MCO MIA ORD PBI SAN SEA SFO SJU STL STT TPA".split()},
        months=(0.9, 0.9, 1.0, 1.1, 1.1, 1.1, 1.1, 1.1, 1.0, 1.0, 0.9, 0.8),
        interests=(TravelInterest.CULTURE, TravelInterest.NATURE, TravelInterest.FOOD, TravelInterest.CITIES),
        sessions=8.0,
    ),
)

SEGMENT_KEYS = tuple(s.key for s in SEGMENTS)
SECOND_TASTE_PROBABILITY = 0.35  # members with a second segment mixed in
SECOND_TASTE_WEIGHT = (0.2, 0.5)  # uniform range of the second segment's weight
ANY_ROUTE_WEIGHT = 0.15  # every route from home keeps this much pull: curiosity
PERSONAL_NOISE_SHAPE = 1.5  # gamma shape of the per-member, per-destination multiplier
