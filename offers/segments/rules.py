"""The kinds of segment rule (see the package docstring).

A member rule has `q(rule, at)`, a `Q` on `Member`; `for_visitor(rule, visit)` answers for a
visitor (default: no) and `holds_for(rule, member)` for the preview's unsaved stand-in
(default: no). A visit rule (`per_visit = True`) has `test(rule, visit)` only.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

NOBODY = Q(pk__in=[])
EVERYBODY = Q(pk__isnull=False)  # an empty Q() would vanish when combined


def codes(rule):
    return [c for c in rule.values.replace(",", " ").split() if c]


class MemberRule:
    """A rule on the member: `q(rule, at)` is it as a `Q` on Member. `on_the_row`: `holds_for`
    decides it from the member's own row, no query needed."""

    per_visit = False
    needs_number = False
    on_the_row = False

    def clean(self, rule):
        pass

    def for_visitor(self, rule, visit):
        return False

    def holds_for(self, rule, member):
        return False


class TierRule(MemberRule):
    label = _("Tier is one of")
    help = _("Tier codes separated by spaces, such as gold platinum.")
    on_the_row = True

    def clean(self, rule):
        from members.models import Tier

        known = set(Tier.objects.values_list("code", flat=True))
        unknown = [c for c in codes(rule) if c not in known]
        if not codes(rule) or unknown:
            raise ValidationError({"values": _("Give tier codes from: %(known)s.") % {"known": ", ".join(sorted(known))}})

    def q(self, rule, at):
        return Q(tier_id__in=codes(rule))

    def holds_for(self, rule, member):
        return member.tier_id in codes(rule)


class HomeAirportRule(MemberRule):
    label = _("Home airport is one of")
    help = _("Airport codes separated by spaces, such as JFK LGA.")
    on_the_row = True

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

    def holds_for(self, rule, member):
        return member.home_airport in codes(rule)


class InterestRule(MemberRule):
    label = _("Has any of these travel interests")
    help = _("Interest codes separated by spaces, such as beaches skiing.")
    on_the_row = True

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

    def holds_for(self, rule, member):
        return bool(set(codes(rule)) & set(member.travel_interests or []))


class NearNextTierRule(MemberRule):
    label = _("Within N Loyalty Points of the next tier")
    help = _("N in the number field. Members at the top tier are never in it.")
    needs_number = True

    def q(self, rule, at):
        from members.loyalty.models import LedgerEntry, Tier
        from members.loyalty.year import qualification_year

        year = qualification_year(at.date())
        # Both correlated to the outer query's member: checking one member sums one member's ledger
        # (0.6 s → 1 ms at 100,000 members) and reads one tier — the same distance as
        # members.loyalty.tiers.tier_status. No next tier (the top): NULL, never near.
        earned = (LedgerEntry.objects.filter(member=OuterRef("pk"), occurred_at__gte=year.starts_at,
                                             occurred_at__lt=year.ends_before)
                  .values("member").annotate(total=Sum("loyalty_points")).values("total"))
        following = Tier.objects.filter(rank__gt=OuterRef("tier__rank")).order_by("rank").values("qualifying_points")[:1]
        return Q(GreaterThanOrEqual(Coalesce(Subquery(earned), 0), Subquery(following) - rule.number))


class TripWithinDaysRule(MemberRule):
    label = _("Has a trip departing within N days")
    help = _("N in the number field: a saved trip whose first flight leaves in the next N days.")
    needs_number = True

    def q(self, rule, at):
        from members.models import Trip

        soon = (Trip.objects.annotate(starts=Min("legs__departs_at"))
                .filter(starts__gte=at, starts__lt=at + dt.timedelta(days=rule.number)).values("member_id"))
        return Q(pk__in=soon)


class VisitCountRule(MemberRule):
    label = _("Visited at least N times")
    help = _("N in the number field. A member's visits are the days with activity in the last 90 days; "
             "a visitor's are the days their browser came this session.")
    needs_number = True
    window_days = 90

    def q(self, rule, at):
        from members.models import ActivityEvent

        days = (ActivityEvent.objects.filter(occurred_at__gte=at - dt.timedelta(days=self.window_days), occurred_at__lte=at)
                .annotate(day=TruncDate("occurred_at")).values("member_id")
                .annotate(days=Count("day", distinct=True)).filter(days__gte=rule.number).values("member_id"))
        return Q(pk__in=days)

    def for_visitor(self, rule, visit):
        return visit.visits >= rule.number


class SignedInRule(MemberRule):
    label = _("Signed in")
    help = _("yes: signed-in members; no: visitors who are not signed in.")
    choices = ("yes", "no")

    def clean(self, rule):
        rule.values = rule.values.strip().lower()
        if rule.values not in self.choices:
            raise ValidationError({"values": _("Write yes or no.")})

    def q(self, rule, at):
        return EVERYBODY if rule.values == "yes" else NOBODY

    def for_visitor(self, rule, visit):
        return rule.values == "no"

    def holds_for(self, rule, member):
        return rule.values == "yes"


class VisitRule:
    per_visit = True
    needs_number = False

    def clean(self, rule):
        rule.values = " ".join(c.lower() for c in codes(rule))
        if not rule.values:
            raise ValidationError({"values": _("Give at least one value.")})


class DeviceRule(VisitRule):
    label = _("Device is one of")
    help = _("phone, tablet or desktop (read from the browser's User-Agent).")
    choices = ("phone", "tablet", "desktop")

    def clean(self, rule):
        super().clean(rule)
        if any(c not in self.choices for c in codes(rule)):
            raise ValidationError({"values": _("Give devices from: phone, tablet, desktop.")})

    def test(self, rule, visit):
        return visit.device in codes(rule)


class CampaignRule(VisitRule):
    label = _("Came from UTM campaign")
    help = _("utm_campaign values separated by spaces, such as winter-sun. Kept for the rest of the visit.")

    def test(self, rule, visit):
        return bool(visit.campaign) and visit.campaign in codes(rule)


class ReferrerRule(VisitRule):
    label = _("Came from a site")
    help = _("Site names separated by spaces, such as google.com: the referring page's host ends with one of them.")

    def test(self, rule, visit):
        host = visit.referrer_host
        return bool(host) and any(host == c or host.endswith("." + c) for c in codes(rule))


RULES = {
    "tier": TierRule(),
    "home_airport": HomeAirportRule(),
    "interest": InterestRule(),
    "near_next_tier": NearNextTierRule(),
    "trip_within_days": TripWithinDaysRule(),
    "visit_count": VisitCountRule(),
    "signed_in": SignedInRule(),
    "device": DeviceRule(),
    "utm_campaign": CampaignRule(),
    "referrer": ReferrerRule(),
}
