"""Which items a member may be shown, per item kind: rules as data.

`ELIGIBILITY` maps an item kind to a function

    def eligible(member, refs: list[str]) -> set[str]

that returns the refs of `refs` the member may see now (one query for the whole list,
never one per item). `serve()` applies it to the precomputed list at request time, so
an offer that expired after training is never shown. A kind without a rule serves
nothing (fail closed).

Hook for the apps that own other kinds: `offers` (special offers: live, not expired,
targeting, claim limit) and the news pages each provide such a function and it is
registered here, in `ELIGIBILITY` (recommendations may import offers; offers must not
import recommendations). An app above recommendations (`cms`) calls
`register_eligibility(kind, function)` in its `AppConfig.ready()`.
"""

import time

from django.db.models import Value
from django.db.models.functions import Concat

from offers.selectors import eligible_offer_refs

ROUTES_TTL_SECONDS = 300
_routes = {"loaded_at": 0.0, "by_origin": {}, "all": set()}


def _route_refs():
    """Routes by origin, kept in process memory for five minutes (the timetable rarely moves)."""
    if time.monotonic() - _routes["loaded_at"] > ROUTES_TTL_SECONDS:
        from offers.models import Route

        by_origin = {}
        for origin, ref in Route.objects.annotate(ref_text=Concat("origin_id", Value("-"), "destination_id")).values_list("origin_id", "ref_text"):
            by_origin.setdefault(origin, set()).add(ref)
        _routes.update(loaded_at=time.monotonic(), by_origin=by_origin, all=set().union(*by_origin.values()) if by_origin else set())
    return _routes


def forget_routes():
    _routes["loaded_at"] = 0.0


def routes_flown_from_home(member, refs):
    """Routes the airline flies from the member's home airport (any route when none is set)."""
    routes = _route_refs()
    allowed = routes["by_origin"].get(member.home_airport, set()) if member.home_airport else routes["all"]
    return {ref for ref in refs if ref in allowed}


ELIGIBILITY = {
    "route": routes_flown_from_home,
    "offer": eligible_offer_refs,
    # "news": …  — registered by the CMS
}


def register_eligibility(kind, function):
    ELIGIBILITY[kind] = function


def eligible_refs(member, kind, refs):
    rule = ELIGIBILITY.get(kind)
    if rule is None or not refs:
        return []
    allowed = rule(member, list(refs))
    return [ref for ref in refs if ref in allowed]
