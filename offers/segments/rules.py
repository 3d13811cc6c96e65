"""The kinds of segment rule, each evaluated as a `Q` on `Member` (see the package docstring)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


def codes(rule):
    return [c for c in rule.values.replace(",", " ").split() if c]


class TierRule:
    label = _("Tier is one of")
    help = _("Tier codes separated by spaces, such as gold platinum.")
    needs_number = False

    def clean(self, rule):
        from members.models import Tier

        known = set(Tier.objects.values_list("code", flat=True))
        unknown = [c for c in codes(rule) if c not in known]
        if not codes(rule) or unknown:
            raise ValidationError({"values": _("Give tier codes from: %(known)s.") % {"known": ", ".join(sorted(known))}})

    def q(self, rule, at):
        return Q(tier_id__in=codes(rule))


class HomeAirportRule:
    label = _("Home airport is one of")
    help = _("Airport codes separated by spaces, such as JFK LGA.")
    needs_number = False

    def clean(self, rule):
        from members.validators import normalise_iata, validate_iata_airport

        if not codes(rule):
            raise ValidationError({"values": _("Give at least one airport code.")})
        for code in codes(rule):
            try:
                validate_iata_airport(code)
            except ValidationError as error:
                raise ValidationError({"values": error.messages}) from error
        rule.values = " ".join(normalise_iata(c) for c in codes(rule))

    def q(self, rule, at):
        return Q(home_airport__in=codes(rule))


class InterestRule:
    label = _("Has any of these travel interests")
    help = _("Interest codes separated by spaces, such as beaches skiing.")
    needs_number = False

    def clean(self, rule):
        from members.models import TravelInterest

        unknown = [c for c in codes(rule) if c not in TravelInterest.values]
        if not codes(rule) or unknown:
            raise ValidationError({"values": _("Give interest codes from: %(known)s.") % {"known": ", ".join(TravelInterest.values)}})

    def q(self, rule, at):
        # The interests are a JSON list of codes; the quoted code in its text works on SQLite and PostgreSQL alike.
        q = Q()
        for code in codes(rule):
            q |= Q(travel_interests__icontains=f'"{code}"')
        return q


class NearNextTierRule:
    label = _("Within N Loyalty Points of the next tier")
    help = _("N in the number field. Members at the top tier are never in it.")
    needs_number = True

    def clean(self, rule):
        pass

    def q(self, rule, at):
        from members.loyalty.models import LedgerEntry, Tier
        from members.loyalty.year import qualification_year
        from members.models import Member

        year = qualification_year(at.date())
        earned = (LedgerEntry.objects.filter(member=OuterRef("pk"), occurred_at__gte=year.starts_at,
                                             occurred_at__lt=year.ends_before)
                  .values("member").annotate(total=Sum("loyalty_points")).values("total"))
        tiers = list(Tier.objects.programme())
        near = Q(pk__in=[])
        for held, following in zip(tiers, tiers[1:]):  # the same distance as members.loyalty.tiers.tier_status
            near |= Q(tier_id=held.code, points__gte=following.qualifying_points - rule.number)
        return Q(pk__in=Member.objects.annotate(points=Coalesce(Subquery(earned), 0)).filter(near).values("pk"))


class TripWithinDaysRule:
    label = _("Has a trip departing within N days")
    help = _("N in the number field: a saved trip whose first flight leaves in the next N days.")
    needs_number = True

    def clean(self, rule):
        pass

    def q(self, rule, at):
        from members.models import Trip

        soon = (Trip.objects.annotate(starts=Min("legs__departs_at"))
                .filter(starts__gte=at, starts__lt=at + dt.timedelta(days=rule.number)).values("member_id"))
        return Q(pk__in=soon)


RULES = {
    "tier": TierRule(),
    "home_airport": HomeAirportRule(),
    "interest": InterestRule(),
    "near_next_tier": NearNextTierRule(),
    "trip_within_days": TripWithinDaysRule(),
}
