"""Shapes of what the API returns and accepts (shared by the routers; see docs/api.md)."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from api.pagination import Page

BIGINT_MAX = 2**63 - 1
# Text a member or a channel sends: no NUL (PostgreSQL refuses it) and no other control characters.
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
Cabin = Literal["economy", "premium", "business", "first"]


class TierOut(Schema):
    code: str
    name: str
    colour: str
    text_colour: str
    qualifying_points: int
    benefits: list[str]


class MeOut(Schema):
    member_number: str
    email: str
    first_name: str
    last_name: str
    home_airport: str
    preferred_cabin: str
    travel_interests: list[str]
    tier: TierOut
    next_tier: TierOut | None
    qualifying_points: int = Field(description="Loyalty Points earned in the current qualification year.")
    points_to_next_tier: int | None = Field(description="Loyalty Points still needed for the next tier; null at the top.")
    progress_percent: int
    qualification_year_ends: dt.date
    status_valid_until: dt.date
    miles_balance: int


class RecommendationOut(Schema):
    kind: str
    ref: str = Field(description="The item: a route such as JFK-LAX, or an offer's slug.")
    label: str
    explanation: str = Field(description="Why this item, in one line a member can read.")
    score: float
    source: str = Field(description="als, blend, history or popularity.")
    is_fallback: bool


class RecommendationsOut(Schema):
    kind: str
    is_fallback: bool = Field(description="True when none of the items is personal (the popularity fallback).")
    items: list[RecommendationOut]


class OfferOut(Schema):
    slug: str
    title: str
    summary: str
    category: str
    destinations: list[str]
    miles_bonus: int
    claim_limit: int
    claimed: int = Field(description="How many times you have claimed it.")
    can_claim: bool
    expire_at: dt.datetime | None


class OfferPage(Page):
    items: list[OfferOut]


class ClaimOut(Schema):
    offer: str
    number: int = Field(description="Your claim number of this offer (1 … its per-member limit).")
    claimed_at: dt.datetime
    miles_bonus: int


class LegOut(Schema):
    sequence: int
    flight: str
    route: str
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    departs_at: dt.datetime = Field(description="Local time at the origin, with its UTC offset.")
    arrives_at: dt.datetime = Field(description="Local time at the destination, with its UTC offset.")
    cabin: str


class TripOut(Schema):
    id: int
    name: str
    notes: str
    created_at: dt.datetime
    legs: list[LegOut]


class TripPage(Page):
    items: list[TripOut]


class TripIn(Schema):
    outbound_flight_id: Id = Field(description="`flight_id` of a result of GET /flights/search.")
    outbound_date: dt.date
    cabin: Cabin = "economy"
    name: str = Field("", max_length=80, pattern=PLAIN_TEXT)
    notes: str = Field("", max_length=2000, pattern=PLAIN_TEXT)
    inbound_flight_id: Id | None = None
    inbound_date: dt.date | None = None


class TripPatch(Schema):
    name: str | None = Field(None, max_length=80, pattern=PLAIN_TEXT)
    notes: str | None = Field(None, max_length=2000, pattern=PLAIN_TEXT)


class AirportOut(Schema):
    iata: str
    city: str
    name: str
    time_zone: str


class FareOut(Schema):
    base: str
    taxes: str
    total: str
    total_for_passengers: str
    currency: str


class FlightOut(Schema):
    flight_id: int = Field(description="Pass it as outbound_flight_id to POST /trips.")
    flight: str
    departs_at: dt.datetime
    arrives_at: dt.datetime
    duration_minutes: int
    on_time_share: float | None = Field(description="Share of its 2013 flights that arrived at most 15 minutes late.")
    fares: dict[str, FareOut]
    fits_your_habit: bool
    reasons: list[str]


class FlightSearchOut(Schema):
    route: str
    origin: AirportOut
    destination: AirportOut
    date: dt.date
    cabin: str
    passengers: int
    flights: list[FlightOut]


class FlightSearchQuery(Schema):
    origin: str = Field(..., min_length=1, max_length=64, description="City, airport or IATA code, e.g. JFK.")
    destination: str = Field(..., min_length=1, max_length=64, description="City, airport or IATA code, e.g. LAX.")
    date: str = Field(..., max_length=32, description="Departure date, YYYY-MM-DD.", json_schema_extra={"format": "date"})
    cabin: Cabin | None = Field(None, description="Highlighted cabin; default: your preferred cabin.")
    passengers: int = Field(1, ge=1, le=9)
