"""Where a member's *resource need* comes from: a registry of cost sources.

The contract (like a pretix plugin signal, written down here once):

    register_resource_source(name, label, cost)

`cost(since, until)` returns a QuerySet of rows with exactly two columns, `member_id`
and `cost` (whole miles, or miles-equivalents), aggregated per member by the database
(`.values("member_id").annotate(cost=Sum(...))`), covering what happened in
[since, until). It may return None when its data is not available. Registering the
same name again replaces the source (AppConfig.ready may run twice in tests).

members registers its own sources below (service cases); offers registers the cost of
its claims from `OffersConfig.ready` (offers/value_sources.py). members never imports
offers: the arrows go one way (CONVENTIONS.md).
"""

from dataclasses import dataclass
from typing import Callable

from django.apps import apps
from django.db.models import Count, IntegerField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

# What one service case costs, in miles-equivalents: about 15 minutes of an agent's time
# (≈ USD 15) at the 1.5 US cents a mile is commonly valued at. A documented proxy.
SERVICE_CASE_COST_MILES = 1_000


@dataclass(frozen=True)
class ResourceSource:
    name: str
    label: str
    cost: Callable


_SOURCES: dict[str, ResourceSource] = {}


def register_resource_source(name: str, label, cost: Callable) -> None:
    _SOURCES[name] = ResourceSource(name, label, cost)


def resource_sources() -> list[ResourceSource]:
    return list(_SOURCES.values())


def service_case_cost(since, until):
    """SERVICE_CASE_COST_MILES for each service case the member opened in the window."""
    try:
        ServiceCase = apps.get_model("members", "ServiceCase")
    except LookupError:
        return None
    return (
        ServiceCase.objects.filter(created_at__gte=since, created_at__lt=until).order_by()
        .values("member_id")
        .annotate(cost=Cast(Count("pk") * Value(SERVICE_CASE_COST_MILES), IntegerField()))
    )


register_resource_source("service_cases", _("Service cases"), service_case_cost)
