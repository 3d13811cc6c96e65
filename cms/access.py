"""Who may see which page: the one rule behind serving, listings, search, the sitemap and the feed.

A page is closed to a reader when it lies in (or is) a section they may not open:

- a `TierAreaPage` whose minimum tier ranks above the reader's tier (every tier area
  is closed to a visitor), with every page under it, of any type;
- a section under one of Wagtail's own view restrictions (log-in, groups, password)
  that the reader does not pass;
- a news article aimed at tiers (`NewsArticlePage.tiers`, empty = everyone) that do not
  include the reader's tier (a visitor sees only untargeted news).

`closed_sections(reader)` lists those sections as Wagtail tree paths. Everything else
derives from it: `visible_pages(queryset, reader)` for any list of pages (it excludes
by path prefix, the way Wagtail's `.public()` does, so it also narrows a queryset before
`.search()`), `can_view(page, reader)` for one page, and `locked_area(page, reader)` for
the page that says "Gold opens this". A reader is a request, a member, or None (a
visitor). Nobody bypasses a tier gate on the site, superusers included: editors read a
tier area in the admin's preview.

Translations (cms/localization.py) are closed together: a page's translations share its
`translation_key`, and a section closed in one language is closed in all, by the
strictest rule of any of them (a zh-Hant copy of the Gold area is exactly as closed as
the English one, even if its own minimum tier or tiers were edited).
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

REQUEST_CACHE = "_wayfare_closed_sections"
TARGETED_CACHE = "_wayfare_news_for_other_tiers"


def member_of(reader):
    """The signed-in member behind a request (or the member itself); None for a visitor."""
    user = getattr(reader, "user", reader)
    return user if getattr(user, "is_authenticated", False) else None


def tier_rank(member):
    """The rank of the member's tier; None for a visitor (who opens no tier area)."""
    return None if member is None else member.tier.rank


@dataclass(frozen=True)
class ClosedSections:
    tier_areas: tuple  # paths of the tier areas the reader's tier does not open
    restricted: tuple  # paths of the Wagtail view restrictions the reader does not pass
    targeted: frozenset = frozenset()  # ids of news articles aimed at other tiers than the reader's

    @property
    def paths(self):
        return self.tier_areas + self.restricted

    @property
    def signature(self):
        """A short key for these closed sections: readers with the same one see the same pages (cms/fragments.py)."""
        text = "|".join([*sorted(self.tier_areas), "", *sorted(self.restricted), "", *map(str, sorted(self.targeted))])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _passes(restriction, member, request):
    if request is not None:  # Wagtail's own answer, password sessions included
        return restriction.accept_request(request)
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return member is not None
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        return member is not None and (member.is_superuser or bool(
            {g.pk for g in restriction.groups.all()} & set(member.groups.values_list("pk", flat=True))))
    return False  # a password is given per browser session; without one the section stays closed


def closed_sections(reader) -> ClosedSections:
    """The sections (tree paths) closed to `reader`; computed once per request.

    A member reader (the dashboard's slots get the member, not the request) is answered once per visit:
    kept in the visit's memo (offers.segments.visit), which lives as long as the request.
    """
    cached = getattr(reader, REQUEST_CACHE, None)
    if cached is not None:
        return cached
    from cms.models import TierAreaPage
    from offers.segments.visit import visit_of

    member = member_of(reader)
    request = reader if hasattr(reader, "user") else None
    visit = visit_of(member) if request is None and member is not None else None
    memo_key = ("closed_sections", member.pk if member is not None else None, tier_rank(member))
    if visit is not None and memo_key in visit.memo:
        return visit.memo[memo_key]
    rank = tier_rank(member)
    areas = TierAreaPage.objects.all()
    if rank is not None:  # an area closed in any language is closed in all of them
        areas = TierAreaPage.objects.filter(translation_key__in=areas.filter(min_tier__rank__gt=rank).values("translation_key"))
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    failed = {r.page.translation_key for r in restrictions if not _passes(r, member, request)}
    closed = ClosedSections(
        tier_areas=tuple(areas.values_list("path", flat=True)),
        restricted=tuple(Page.objects.filter(translation_key__in=failed).values_list("path", flat=True)) if failed else (),
        targeted=_news_for_other_tiers(member),
    )
    if request is not None:
        setattr(request, REQUEST_CACHE, closed)
    elif visit is not None:
        visit.memo[memo_key] = closed
    return closed


def _news_for_other_tiers(member):
    """Ids of the news articles aimed at tiers without the member's (all tier-aimed news for a visitor).

    Kept on the member object for its tier (the request's member object lives one request).
    """
    from cms.models import NewsArticlePage

    cached = getattr(member, TARGETED_CACHE, None)
    if cached is not None and cached[0] == member.tier_id:
        return cached[1]
    targeted = NewsArticlePage.objects.filter(tiers__isnull=False)
    if member is not None:
        targeted = targeted.exclude(tiers__code=member.tier_id)
    # An article aimed elsewhere in any language is closed in all of them.
    ids = frozenset(NewsArticlePage.objects.filter(translation_key__in=targeted.values("translation_key")).values_list("pk", flat=True))
    if member is not None:
        setattr(member, TARGETED_CACHE, (member.tier_id, ids))
    return ids


def visible_pages(queryset, reader):
    """`queryset` (of pages of any type) without the pages closed to `reader`. Chain `.live()` as usual."""
    return hide_closed(queryset, closed_sections(reader))


def hide_closed(queryset, closed):
    """`queryset` without the pages in `closed` (a `ClosedSections`)."""
    hidden = Q()
    for path in closed.paths:
        hidden |= Q(path__startswith=path)
    if closed.targeted:
        hidden |= Q(pk__in=closed.targeted)
    return queryset.exclude(hidden) if hidden else queryset


def can_view(page, reader) -> bool:
    """Whether `reader` may see `page` (the same rule as `visible_pages`, for one page)."""
    closed = closed_sections(reader)
    return not page.path.startswith(closed.paths) and page.pk not in closed.targeted


def aimed_elsewhere(page, reader) -> bool:
    """A news article aimed at tiers that do not include the reader's (always, for a visitor)."""
    return page.pk in closed_sections(reader).targeted


def locked_area(page, reader):
    """The strictest tier area that closes `page` to `reader` (the page itself or an ancestor), or None."""
    from cms.models import TierAreaPage

    closed = closed_sections(reader).tier_areas
    if not page.path.startswith(closed):
        return None
    return (TierAreaPage.objects.ancestor_of(page, inclusive=True).filter(path__in=closed)
            .select_related("min_tier").order_by("-min_tier__rank").first())


def in_tier_area(page) -> bool:
    from cms.models import TierAreaPage

    return TierAreaPage.objects.ancestor_of(page, inclusive=True).exists()


@dataclass(frozen=True)
class Distance:
    """How far a member is from the tier that opens an area, in this qualification year's Loyalty Points."""

    held: object  # the member's Tier
    points: int  # Loyalty Points still to earn (0: earned, the status follows at the next recalculation)
    qualifying_points: int
    year_end: object


def distance_to(member, tier, on=None, status=None) -> Distance:
    """`status`: the member's `tier_status` on `on` when the caller has it already (the dashboard's tier card)."""
    from members.loyalty.tiers import tier_status

    if not member.pk:  # the preview's stand-in for a tier: no history, all of the tier's points to go
        from django.utils import timezone

        from members.loyalty.year import qualification_year

        return Distance(member.tier, tier.qualifying_points, 0, qualification_year(on or timezone.localdate()).end)
    status = status or tier_status(member, on=on)
    return Distance(status.tier, max(tier.qualifying_points - status.qualifying_points, 0), status.qualifying_points,
                    status.year_end)
