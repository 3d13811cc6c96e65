"""The fare model: computed, deterministic, documented in docs/fares.md.

A fare is a pure function of (route distance, departure date, departure hour, cabin,
booking date, tier discount). Nothing is stored: the function costs microseconds, a
change to the model takes effect at once, and a stored fare table for 25 routes ×
331 days × 4 cabins would only be a cache of this function that can go stale.
"""

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from members.models import Cabin

CURRENCY = "USD"

# Cabin multipliers on the Main Cabin base fare.
CABIN_MULTIPLIER = {
    Cabin.ECONOMY: Decimal("1.00"),
    Cabin.PREMIUM_ECONOMY: Decimal("1.65"),
    Cabin.BUSINESS: Decimal("3.10"),
    Cabin.FIRST: Decimal("4.40"),
}
# ISO weekday → factor: Fridays and Sundays are the busiest days to fly.
WEEKDAY_FACTOR = {1: "1.05", 2: "0.92", 3: "0.92", 4: "1.00", 5: "1.15", 6: "0.95", 7: "1.12"}
# Month → season factor: summer and the December holidays are peak, January–February low.
SEASON_FACTOR = {1: "0.86", 2: "0.88", 3: "1.00", 4: "1.00", 5: "1.02", 6: "1.15", 7: "1.22", 8: "1.18",
                 9: "0.95", 10: "0.97", 11: "1.03", 12: "1.20"}
# Days before departure → advance-purchase factor (the first row that applies wins).
ADVANCE_PURCHASE = [(3, "1.45"), (7, "1.30"), (14, "1.15"), (21, "1.05"), (10_000, "1.00")]
PEAK_HOURS = {6, 7, 8, 17, 18, 19}  # business departures cost a little more
PEAK_HOUR_FACTOR = Decimal("1.08")

# US taxes and fees per one-way domestic segment (2013-era rates, labelled as such in docs).
TICKET_TAX_RATE = Decimal("0.075")
SEGMENT_FEE = Decimal("4.00")
SECURITY_FEE = Decimal("5.60")

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Fare:
    cabin: str
    base: Decimal
    taxes: Decimal

    @property
    def total(self):
        return self.base + self.taxes

    @property
    def currency(self):
        return CURRENCY


def base_main_cabin(distance_miles):
    """Tapered distance fare: $49 plus 14¢ a mile for the first 1,000 miles, 8¢ beyond."""
    first = min(distance_miles, 1000)
    beyond = max(distance_miles - 1000, 0)
    return Decimal("49") + Decimal("0.14") * first + Decimal("0.08") * beyond


def demand_jitter(route_ref, travel_date):
    """±6 % that differs per route and day but never between two calls (a hash, not a random)."""
    digest = hashlib.blake2b(f"{route_ref}|{travel_date.isoformat()}".encode(), digest_size=2).digest()
    return Decimal("0.94") + Decimal(int.from_bytes(digest, "big") % 121) / Decimal("1000")


def advance_factor(days_ahead):
    for limit, factor in ADVANCE_PURCHASE:
        if days_ahead < limit:
            return Decimal(factor)
    return Decimal("1.00")


def quote(*, route_ref, distance_miles, travel_date, departure_hour, cabin, booked_on, discount_percent=0):
    """One passenger's one-way fare for a flight on `travel_date`, booked on `booked_on`."""
    base = (
        base_main_cabin(distance_miles)
        * CABIN_MULTIPLIER[Cabin(cabin)]
        * Decimal(WEEKDAY_FACTOR[travel_date.isoweekday()])
        * Decimal(SEASON_FACTOR[travel_date.month])
        * advance_factor((travel_date - booked_on).days)
        * demand_jitter(route_ref, travel_date)
        * (PEAK_HOUR_FACTOR if departure_hour in PEAK_HOURS else Decimal("1"))
        * (Decimal(100 - discount_percent) / 100)
    )
    base = base.quantize(Decimal("1"), rounding=ROUND_HALF_UP)  # fares are filed in whole dollars
    taxes = (base * TICKET_TAX_RATE + SEGMENT_FEE + SECURITY_FEE).quantize(CENT, rounding=ROUND_HALF_UP)
    return Fare(cabin=str(cabin), base=base, taxes=taxes)


def quote_all_cabins(**kwargs):
    return {cabin: quote(cabin=cabin, **kwargs) for cabin in Cabin.values}
