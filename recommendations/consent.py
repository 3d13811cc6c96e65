"""The consent hook: who may be personalised.

Consent belongs to `members` (members.privacy.consent); settings point
`RECOMMENDER_CONSENT_FILTER` at `members_allowing_personalization`. To plug in another, point `RECOMMENDER_CONSENT_FILTER` at a function

    def members_allowing_personalization(members: QuerySet[Member]) -> QuerySet[Member]

that returns the subset of `members` who allow personalised recommendations. The
recommender then (1) leaves everyone else's events out of the next training matrix and
(2) serves them the non-personal list (popularity near their home airport), marked
as a fallback with reason "consent". The function must be a queryset filter (no
Python loop): training applies it to every member in one query.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def _filter():
    path = getattr(settings, "RECOMMENDER_CONSENT_FILTER", None)
    return import_string(path) if path else None


def consent_filter_configured():
    return _filter() is not None


def consenting_members(members):
    """The members of the queryset `members` who allow personalization."""
    hook = _filter()
    return hook(members) if hook else members


def allows_personalization(member):
    hook = _filter()
    if hook is None:
        return True
    # member._meta, not type(member): request.user is a SimpleLazyObject around the member.
    return hook(member._meta.model._default_manager.filter(pk=member.pk)).exists()
