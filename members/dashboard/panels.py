"""Dashboard panels: the contract other apps follow, and the members app's own panels.

Contract of the Wagtail hook `register_manager_dashboard_panel`: a function taking the
request and returning a `Panel` (or a list of them, or None to show nothing). Panels
are sorted by `order`. Every panel shows its numbers as a table beside the chart, and a
sentence that says what the chart shows (WCAG 1.1.1: the chart is never the only
source). Panels must read with aggregate queries: the dashboard serves 100k members.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from members.dashboard.charts import bar_chart, column_chart
from members.loyalty.models import Tier, TierHistory
from members.loyalty.tiers import today
from members.loyalty.year import qualification_year
from members.value.models import CustomerValue, Segment

HOOK = "register_manager_dashboard_panel"
NEAR_PERCENT = 90  # "near the next threshold": at least 90 % of its Loyalty Points this year


@dataclass
class Panel:
    key: str
    title: str
    summary: str
    chart: str
    columns: list
    rows: list
    order: int = 100
    link: tuple | None = None  # (url, label)
    notes: list = field(default_factory=list)


def collect_panels(request) -> list[Panel]:
    panels = []
    for fn in hooks.get_hooks(HOOK):
        result = fn(request)
        if result is None:
            continue
        panels.extend(result if isinstance(result, (list, tuple)) else [result])
    return sorted(panels, key=lambda p: (p.order, p.key))


@hooks.register(HOOK)
def tier_distribution(request):
    tiers = list(Tier.objects.programme().annotate(n=Count("members")))
    total = sum(t.n for t in tiers) or 1
    top = max(tiers, key=lambda t: t.n)
    return Panel(
        "tier_distribution", _("Members per tier"), order=10,
        summary=_("%(total)s members; the largest tier is %(tier)s with %(share)s %%.") % {
            "total": f"{sum(t.n for t in tiers):,}", "tier": top.name, "share": round(100 * top.n / total)},
        chart=bar_chart(title=_("Members per tier"), bars=[(t.name, t.n, t.colour) for t in tiers]),
        columns=[_("Tier"), _("Members"), _("Share")],
        rows=[[t.name, f"{t.n:,}", f"{100 * t.n / total:.1f} %"] for t in tiers],
        link=(reverse("tiers:index"), _("Edit the tier programme")),
    )


@hooks.register(HOOK)
def tier_movement(request):
    since = (timezone.now() - timedelta(days=365)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = (
        TierHistory.objects.filter(at__gte=since).order_by()
        .annotate(month=TruncMonth("at")).values("month")
        .annotate(up=Count("pk", filter=Q(new_tier__rank__gt=F("old_tier__rank"))),
                  down=Count("pk", filter=Q(new_tier__rank__lt=F("old_tier__rank"))))
        .order_by("month")
    )
    months = list(months)
    labels = [m["month"].strftime("%Y-%m") for m in months]
    up, down = [m["up"] for m in months], [m["down"] for m in months]
    summary = (_("In the last 12 months %(up)s members moved up a tier and %(down)s moved down.") % {
        "up": f"{sum(up):,}", "down": f"{sum(down):,}"}) if months else _("No member has changed tier in the last 12 months.")
    return Panel(
        "tier_movement", _("Tier movement per month"), order=20, summary=summary,
        chart=column_chart(title=_("Tier changes per month"), categories=labels,
                           series=[(_("Moved up"), up), (_("Moved down"), down)]) if months else "",
        columns=[_("Month"), _("Moved up"), _("Moved down")],
        rows=[[label, f"{u:,}", f"{d:,}"] for label, u, d in zip(labels, up, down)],
        link=(reverse("tier_history:index"), _("See every tier change")),
    )


@hooks.register(HOOK)
def near_next_threshold(request):
    """Per tier, members this year within NEAR_PERCENT % of the next tier's threshold: one aggregate query."""
    from members.models import Member

    tiers = list(Tier.objects.programme())
    year = qualification_year(today())
    # Only members with postings this year can be near: an inner join on the year's ledger rows.
    this_year = Member.objects.filter(ledger__occurred_at__gte=year.starts_at, ledger__occurred_at__lt=year.ends_before)
    points = Sum("ledger__loyalty_points")
    counts = {}
    for tier, following in zip(tiers, tiers[1:]):
        near = following.qualifying_points * NEAR_PERCENT // 100
        counts[tier.code] = Count("pk", filter=Q(tier_id=tier.code, points__gte=near,
                                                 points__lt=following.qualifying_points))
    totals = this_year.order_by().values("pk").annotate(points=points).aggregate(**counts) if counts else {}
    rows = [(t, f, totals[t.code]) for t, f in zip(tiers, tiers[1:])]
    return Panel(
        "near_next_threshold", _("Members near the next tier"), order=30,
        summary=_("%(n)s members have at least %(pct)s %% of the next tier's Loyalty Points this qualification year "
                  "(ends %(end)s): the ones a nudge may move.") % {
            "n": f"{sum(n for *_x, n in rows):,}", "pct": NEAR_PERCENT, "end": year.end.isoformat()},
        chart=bar_chart(title=_("Members near the next tier"),
                        bars=[(_("%(from)s → %(to)s") % {"from": t.name, "to": f.name}, n, f.colour) for t, f, n in rows],
                        ),
        columns=[_("From"), _("To"), _("Threshold (LP)"), _("Members within %(pct)s %%") % {"pct": NEAR_PERCENT}],
        rows=[[t.name, f.name, f"{f.qualifying_points:,}", f"{n:,}"] for t, f, n in rows],
    )


@hooks.register(HOOK)
def value_ranking(request):
    segments = dict(CustomerValue.objects.order_by().values_list("segment").annotate(n=Count("pk")))
    top = list(CustomerValue.objects.select_related("member", "member__tier").order_by("rank")[:10])
    computed = CustomerValue.objects.order_by().values_list("computed_on", flat=True).first()
    if computed is None:
        summary = _("Customer value has not been computed yet: it runs nightly, or run manage.py compute_customer_value.")
    else:
        summary = _("Computed for %(day)s. Segments by recency and frequency of earning; the table lists the ten "
                    "members with the highest relative value (demand ÷ resource).") % {"day": computed.isoformat()}
    return Panel(
        "value_ranking", _("Customer value"), order=40, summary=summary,
        chart=bar_chart(title=_("Members per value segment"),
                        bars=[(str(label), segments.get(code, 0), None) for code, label in Segment.choices]),
        columns=[_("Rank"), _("Member"), _("Tier"), _("Demand (LP)"), _("Resource (miles)"), _("Relative value"),
                 _("Segment")],
        rows=[[v.rank, f"{v.member.get_full_name() or v.member.email} ({v.member.member_number})", v.member.tier.name,
               f"{v.demand_value:,}", f"{v.resource_need:,}", f"{v.relative_value:,.2f}", v.get_segment_display()]
              for v in top],
        notes=[_("Members per segment: %(list)s.") % {"list": ", ".join(
            f"{label} {segments.get(code, 0):,}" for code, label in Segment.choices)}],
        link=(reverse("customer_value:index"), _("Rank, filter and export members")),
    )
