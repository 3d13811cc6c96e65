"""The recommender's panels on the loyalty managers' dashboard (members/dashboard/panels.py has the
contract of the hook `register_manager_dashboard_panel`): offer performance and model quality.

Registered from recommendations/wagtail_hooks.py. Each panel reads with aggregate queries.
"""

from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.dashboard.charts import bar_chart, column_chart
from members.dashboard.panels import Panel
from offers.models import Offer, OfferClaim
from recommendations.models import BASELINE_STRATEGIES, PERSONAL_STRATEGIES, Click, Impression, ModelVersion

WINDOW_DAYS = 30
TOP_OFFERS = 8
VERSIONS = 6
STRATEGY_LABELS = {"als": "ALS", "blend": "blend", "history": "own history", "popularity": "most popular"}


def offer_performance(request):
    """Per offer, the last 30 days: impressions, clicks, click-through rate, claims."""
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    day = since.date()

    def counted(model, **filters):
        rows = model.objects.filter(kind="offer", ref=OuterRef("slug"), **filters).order_by().values("ref")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

    offers = list(
        Offer.objects.order_by()
        .annotate(shown=counted(Impression, day__gte=day), clicked=counted(Click, day__gte=day),
                  claimed=Coalesce(Subquery(
                      OfferClaim.objects.filter(offer=OuterRef("pk"), claimed_at__gte=since).order_by()
                      .values("offer").annotate(n=Count("pk")).values("n")[:1]), 0))
        .filter(shown__gt=0)
        .order_by("-shown", "pk")
        .values("title", "shown", "clicked", "claimed")[:TOP_OFFERS]
    )
    for o in offers:
        o["ctr"] = 100 * o["clicked"] / o["shown"] if o["shown"] else 0.0
    shown, clicked = sum(o["shown"] for o in offers), sum(o["clicked"] for o in offers)
    summary = (_("The %(n)s most shown offers of the last %(days)s days: %(shown)s impressions, %(clicked)s clicks "
                 "(%(ctr).1f %% click-through), %(claimed)s claims.") % {
        "n": len(offers), "days": WINDOW_DAYS, "shown": f"{shown:,}", "clicked": f"{clicked:,}",
        "ctr": 100 * clicked / shown if shown else 0.0, "claimed": f"{sum(o['claimed'] for o in offers):,}"}
        if offers else _("No offer was shown in the last %(days)s days.") % {"days": WINDOW_DAYS})
    return Panel(
        "offer_performance", _("Offer performance"), order=50, summary=summary,
        chart=bar_chart(title=_("Click-through rate per offer"), unit=" %",
                        bars=[(o["title"][:28], round(o["ctr"], 1), None) for o in offers]) if offers else "",
        columns=[_("Offer"), _("Impressions"), _("Clicks"), _("Click-through"), _("Claims")],
        rows=[[o["title"], f"{o['shown']:,}", f"{o['clicked']:,}", f"{o['ctr']:.1f} %", f"{o['claimed']:,}"] for o in offers],
    )


def model_quality(request):
    """NDCG@10 of the recommender per trained version, against its baselines."""
    versions = list(ModelVersion.objects.filter(status=ModelVersion.Status.READY).order_by("-created_at", "-pk")[:VERSIONS])
    versions.reverse()
    strategies = [s for s in (*PERSONAL_STRATEGIES, *BASELINE_STRATEGIES) if any(v.ndcg(s) is not None for v in versions)]
    labels = [f"#{v.pk} {v.created_at:%m-%d}" for v in versions]
    active = next((v for v in versions if v.is_active), None)
    if active and active.best_model and active.best_baseline:
        model, baseline = active.ndcg(active.best_model), active.ndcg(active.best_baseline)
        summary = _("The serving version #%(pk)s scores NDCG@10 %(model).4f (%(name)s) against %(baseline).4f for the "
                    "best baseline (%(base)s): %(lift)+.0f %%.") % {
            "pk": active.pk, "model": model, "name": STRATEGY_LABELS.get(active.best_model, active.best_model),
            "baseline": baseline, "base": STRATEGY_LABELS.get(active.best_baseline, active.best_baseline),
            "lift": 100 * (model - baseline) / baseline if baseline else 0}
    elif versions:
        summary = _("No version is serving yet; the table compares the trained versions.")
    else:
        summary = _("No model version has been trained yet.")
    return Panel(
        "model_quality", _("Recommender quality per model version"), order=60, summary=summary,
        chart=column_chart(title=_("NDCG@10 per model version and baseline"), categories=labels,
                           series=[(STRATEGY_LABELS.get(s, s), [v.ndcg(s) or 0.0 for v in versions]) for s in strategies])
        if versions and strategies else "",
        columns=[_("Version"), *(f"NDCG@10 {STRATEGY_LABELS.get(s, s)}" for s in strategies), _("Serving")],
        rows=[[label, *(("—" if v.ndcg(s) is None else f"{v.ndcg(s):.4f}") for s in strategies),
               _("yes") if v.is_active else ""] for label, v in zip(labels, versions)],
        link=(reverse("recommender_versions:index"), _("All model versions")),
    )
