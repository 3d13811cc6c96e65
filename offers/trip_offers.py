"""Offers an upcoming trip brings forward, each with the reason it fits the trip.

    offers_for_trip(member=, trip=, at=None, offers=None) -> [TripOffer(offer, reason)]

Rules as data: `TRIP_RULES` maps an offer category to a function
`(offer, legs, tier, at) -> (leg, reason) | None` that says whether the offer fits one of
the trip's legs still to fly, and why. Categories without a rule never come forward.

- upgrade: while the tier's upgrade window is open for a leg (`Tier.upgrade_window_hours`
  before departure until departure; a tier without a window gets none), on a leg not
  already in First; an offer with destinations only on legs from or to one of them.
- lounge: at a leg's departure airport. The lounge's airports are the offer's destinations,
  or, when it has none, the home airports it is targeted at; with neither, any departure.
- baggage: any leg; an offer with destinations only on legs from or to one of them.
- partner: at the trip's destination (a leg's arrival that is not where the trip starts),
  when the offer's destinations include it. A partner offer without destinations is not
  about a place, so a trip does not bring it forward.

Only offers the member may see are considered: `offers` is the eligible list the caller
already has (the dashboard passes the recommender's `offers_to_serve`, which also applies
the frequency caps), else `eligible_offers` (targeting, budget) less those claimed to
their limit. Targeting, caps and budgets are never bypassed.
"""

import datetime as dt
from typing import NamedTuple

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members.models import Cabin
from offers.models import Offer
from offers.selectors import eligible_offers


class TripOffer(NamedTuple):
    offer: Offer
    reason: str


def _day(leg):
    """The leg's departure day as the clock at its airport reads it, e.g. "1 Feb"."""
    return formats.date_format(leg.local_departure, pgettext("Django date format of the day in a trip offer's reason", "j M"))


def _touches(offer, leg):
    codes = offer.destination_codes
    return not codes or leg.origin in codes or leg.destination in codes


def _upgrade(offer, legs, tier, at):
    hours = getattr(tier, "upgrade_window_hours", None)
    if not hours:
        return None
    for leg in legs:
        if leg.cabin != Cabin.FIRST and leg.departs_at - dt.timedelta(hours=hours) <= at < leg.departs_at and _touches(offer, leg):
            return leg, _("Your upgrade window for %(flight)s on %(day)s opened: %(tier)s members can upgrade "
                          "from %(hours)s hours before departure") % {
                "flight": leg.flight_designator, "day": _day(leg), "tier": tier.display_name, "hours": hours}
    return None


def _lounge(offer, legs, tier, at):
    airports = offer.destination_codes or offer.home_airport_codes
    for leg in legs:
        if not airports or leg.origin in airports:
            return leg, _("You fly %(flight)s from %(airport)s on %(day)s") % {
                "flight": leg.flight_designator, "airport": leg.origin, "day": _day(leg)}
    return None


def _baggage(offer, legs, tier, at):
    for leg in legs:
        if _touches(offer, leg):
            return leg, _("For your bags on %(flight)s to %(airport)s on %(day)s") % {
                "flight": leg.flight_designator, "airport": leg.destination, "day": _day(leg)}
    return None


def _partner(offer, legs, tier, at):
    start = legs[0].origin
    for leg in legs:
        if leg.destination != start and leg.destination in offer.destination_codes:
            return leg, _("You arrive in %(place)s on %(day)s with %(flight)s") % {
                "place": leg.destination_name or leg.destination, "day": _day(leg), "flight": leg.flight_designator}
    return None


TRIP_RULES = {  # in the order they come forward: the upgrade window closes first
    Offer.Category.UPGRADE: _upgrade,
    Offer.Category.LOUNGE: _lounge,
    Offer.Category.BAGGAGE: _baggage,
    Offer.Category.PARTNER: _partner,
}


def offers_for_trip(*, member, trip, at=None, offers=None):
    """The eligible offers that fit `trip` (one of `member`'s), upgrade first, then lounge, baggage, partner.

    Each comes once, with the reason of the first leg it fits; within a category, by the
    order of `offers` (best priority first). Another member's trip, or one already flown, gives nothing.
    """
    at = at or timezone.now()
    if trip.member_id != member.pk:
        return []
    legs = sorted((leg for leg in trip.legs.all() if leg.departs_at > at), key=lambda leg: leg.departs_at)
    if not legs:
        return []
    if offers is None:
        offers = [o for o in eligible_offers(member=member, at=at) if o.claimed < o.claim_limit]
    tier = member.tier
    found = []
    for category, rule in TRIP_RULES.items():
        for offer in offers:
            if offer.category == category:
                fit = rule(offer, legs, tier, at)
                if fit is not None:
                    found.append(TripOffer(offer, fit[1]))
    return found
