"""The airline's catalogue (airports, routes, timetable) and its special offers."""

from offers.models.campaigns import Campaign, CampaignQuerySet
from offers.models.catalogue import Airport, Route, RouteSearchCount, ScheduledFlight, ScheduledFlightQuerySet, timetable_day
from offers.models.special_offers import Offer, OfferClaim, OfferQuerySet

__all__ = ["Airport", "Campaign", "CampaignQuerySet", "Offer", "OfferClaim", "OfferQuerySet", "Route", "RouteSearchCount", "ScheduledFlight",
           "ScheduledFlightQuerySet", "timetable_day"]
