"""offers' part of the member timeline: offer claims (the hook is documented in members/timeline/__init__.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.timeline import Entry, Source, register
from offers.models import OfferClaim


def _claim(row):
    return Entry("claim", row.claimed_at, _("Claimed the offer “%(title)s”") % {"title": row.offer.text().title},
                 row.offer.text().summary, f"/offers/{row.offer.slug}/")


register(Source("claim", gettext_lazy("Offer claims"), lambda m: OfferClaim.objects.filter(member=m).select_related("offer")
                .prefetch_related("offer__translations__locale"),
                "claimed_at", _claim, order=40))
