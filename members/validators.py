"""Airport codes a person types are checked against `airportsdata`, the one source of truth."""

from functools import cache

import airportsdata
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def iata_airports():
    return airportsdata.load("IATA")


def normalise_iata(value):
    return (value or "").strip().upper()


def validate_iata_airport(value):
    code = normalise_iata(value)
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(_("Enter a three-letter IATA airport code, such as JFK."), code="format")
    if code not in iata_airports():
        raise ValidationError(_("%(code)s is not an airport we know. Check the three-letter code."), code="unknown", params={"code": code})
