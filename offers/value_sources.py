"""What offers cost, handed to members' customer-value registry (members/value/sources.py).

Registered from OffersConfig.ready: members must not import offers (CONVENTIONS.md).
"""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _


def claims_cost(since, until):
    """The bonus miles of every offer the member claimed in [since, until)."""
    from offers.models import OfferClaim

    return (
        OfferClaim.objects.filter(claimed_at__gte=since, claimed_at__lt=until).order_by()
        .values("member_id")
        .annotate(cost=Sum("offer__miles_bonus"))
    )


def register():
    from members.value.sources import register_resource_source

    register_resource_source("offer_claims", _("Offer claims (bonus miles)"), claims_cost)
