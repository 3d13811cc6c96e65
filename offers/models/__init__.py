"""The airline's catalogue (airports, routes, timetable), its special offers and the segments they target."""

from offers.models.campaigns import Campaign, CampaignQuerySet
from offers.models.catalogue import Airport, Route, RouteSearchCount, ScheduledFlight, ScheduledFlightQuerySet, timetable_day
from offers.models.special_offers import Offer, OfferClaim, OfferQuerySet, OfferText, OfferTranslation, with_translations
from offers.segments.models import Segment, SegmentRule

__all__ = ["Airport", "Campaign", "CampaignQuerySet", "Offer", "OfferClaim", "OfferQuerySet", "OfferText", "OfferTranslation",
           "Route", "RouteSearchCount", "ScheduledFlight", "ScheduledFlightQuerySet", "Segment", "SegmentRule", "timetable_day",
           "with_translations"]
