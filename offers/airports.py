"""Finding the airport a person means: an IATA code, a city or an airport name."""

import re

from django.db.models import Q

from members.validators import iata_airports, normalise_iata
from offers import airport_names
from offers.models import Airport, Route


def served_airports():
    """Airports with at least one route, as origin or destination."""
    return Airport.objects.filter(Q(departures__isnull=False) | Q(arrivals__isnull=False)).distinct().order_by("city", "iata")


def origins():
    return Airport.objects.filter(departures__isnull=False).distinct().order_by("city", "iata")


def destinations_from(origin):
    return Airport.objects.filter(arrivals__origin=origin).distinct().order_by("city", "iata")


def route_between(origin, destination):
    return Route.objects.filter(origin=origin, destination=destination).first()


def matching(text, limit=8):
    """Served airports whose code, city or name matches what was typed, best first."""
    text = (text or "").strip()
    if not text:
        return []
    code = normalise_iata(text)
    candidates = list(served_airports())
    def rank(airport):
        if airport.iata == code:
            return 0
        if text.lower() in (airport.city.lower(), airport.local_city.lower()):
            return 1
        if airport.city.lower().startswith(text.lower()) or airport.iata.startswith(code):
            return 2
        return 3
    hits = [a for a in candidates if a.iata == code
            or text.lower() in " ".join([a.city, a.name, *airport_names.all_names(a.iata)]).lower()]
    return sorted(hits, key=lambda a: (rank(a), a.city, a.iata))[:limit]


class UnknownAirport(LookupError):
    """Nothing we know matches; `known_elsewhere` is airportsdata's record when the code is real."""

    def __init__(self, text, known_elsewhere=None):
        super().__init__(text)
        self.text = text
        self.known_elsewhere = known_elsewhere


class AmbiguousAirport(LookupError):
    def __init__(self, text, choices):
        super().__init__(text)
        self.text = text
        self.choices = choices


def resolve(text):
    """The one served airport `text` means, or UnknownAirport / AmbiguousAirport."""
    bracketed = re.search(r"\(([A-Za-z]{3})\)\s*$", text or "")  # "Los Angeles (LAX)" from the type-ahead
    code = normalise_iata(bracketed.group(1) if bracketed else text)
    if len(code) == 3 and code.isalpha():
        airport = Airport.objects.filter(iata=code).first()
        if airport:
            return airport
        if code in iata_airports():
            raise UnknownAirport(text, known_elsewhere=iata_airports()[code])
    hits = matching(text)
    typed = text.strip().lower()
    exact = [a for a in hits if typed in (a.city.lower(), a.name.lower(), a.local_city.lower(), a.local_name.lower())]
    if len(exact) == 1 or len(hits) == 1:
        return (exact or hits)[0]
    if hits:
        raise AmbiguousAirport(text, hits)
    raise UnknownAirport(text)
