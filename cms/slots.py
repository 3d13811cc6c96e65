"""The member's portal, slot by slot. Each slot degrades on its own.

A slot is a function `(member, today) -> list` of display items. `fill_slots` runs each
one; a slot whose source fails (the recommender, the cache, a query) logs and shows its
fallback, so the dashboard never 500s because one source is down.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from members.loyalty.ledger import miles_balance
from members.loyalty.tiers import tier_status
from members.loyalty.year import qualification_year
from members.models import Cabin, Trip
from offers import search
from cms import fragments
from offers.campaigns import HOLDOUT, group
from offers.experiments import offers_to_show, running_campaigns
from offers.models import Campaign, Route, with_translations
from offers.segments.visit import attach_visit, visit_of
from offers.selectors import offer_candidates
from offers.trip_offers import offers_for_trip
from recommendations import serve
from recommendations.eligibility import offers_to_serve
from recommendations.serving import dismissed_refs, fallback

log = logging.getLogger(__name__)

FARE_WINDOW_DAYS = 28  # "from $…": the lowest fare for a departure in the next four weeks


@dataclass
class Item:
    """One thing a slot shows, with why the member sees it (the "why this?" disclosure)."""

    kind: str
    ref: str
    title: str
    url: str
    why: str
    detail: str = ""
    personal: bool = True
    extra: dict = field(default_factory=dict)


@dataclass
class Slot:
    name: str
    items: list
    failed: bool = False


def fill_slots(member, today=None, slots=None, visit=None):
    today = today or timezone.localdate()
    attach_visit(member, visit)  # the offers slot and the recommender's eligibility read it
    filled = {}
    for name, source in (slots or SLOTS).items():
        try:
            if name in TRACKED_SLOTS:  # a campaign's hold-out sees the slot's non-personal order
                filled[name] = Slot(name, source(member, today, personal=name not in held_out_slots(member, today)))
            else:
                filled[name] = Slot(name, source(member, today))
        except Exception:  # noqa: BLE001 - one slot's failure must not take the page down
            log.exception("dashboard slot %s failed for member %s; showing its fallback", name, member.pk)
            filled[name] = Slot(name, [], failed=True)
    return filled


def projected_qualification(card, today):
    """When the member reaches the next tier at this year's pace, if it is before the year closes."""
    if card.next_tier is None or card.qualifying_points <= 0:
        return None
    year = qualification_year(today)
    elapsed = (today - year.start).days + 1
    day = year.start + dt.timedelta(days=-(-card.next_tier.qualifying_points * elapsed // card.qualifying_points) - 1)
    return max(day, today) if day <= year.end else None


TRACKED_SLOTS = ("offers", "fares", "news", "trip_offers")  # the personalized slots whose response is measured


def held_out_slots(member, today):
    """The tracked slots in whose running hold-out the member is (offers.campaigns: a global one covers them all).

    Which hold-outs run today is shared by everyone (a fragment); the member's group is worked out here, per
    member, every time — never taken from another member's answer. Once per visit.
    """
    visit = visit_of(member)
    if visit is not None and "held_out_slots" in visit.memo:
        return visit.memo["held_out_slots"]
    running = fragments.shared("holdouts", [today.isoformat()], lambda: list(
        Campaign.objects.running(today).filter(kind=Campaign.Kind.HOLDOUT)), sources=("campaigns",), memo=_memo(member))
    held = {c.slot for c in running if group(c, member.pk) == HOLDOUT}
    held = set(TRACKED_SLOTS) if Campaign.Slot.ALL in held else held
    if visit is not None:
        visit.memo["held_out_slots"] = held
    return held


def _memo(member):
    visit = visit_of(member)
    return visit.memo if visit is not None else None


def routes(memo=None):
    """Every route the airline flies, ref → Route with its airports: the timetable's, the same for everyone.

    Read once per visit (with its `memo`): the fares, the offers and the visitor's slots ask.
    """
    if memo is not None and "routes" in memo:
        return memo["routes"]
    flown = fragments.shared("routes", [], lambda: {r.ref: r for r in Route.objects.select_related("origin", "destination")},
                             sources=("routes",), memo=memo)
    if memo is not None:
        memo["routes"] = flown
    return flown


def fares_from(origins, cabin, today, memo=None):
    """ref → the lowest fare ("from $…") of every route flown from each of `origins`, in `cabin`, from tomorrow.

    Per origin, cabin and day a fragment (the segment of every member at home there who flies that
    cabin): one cache read for a member's fares instead of one per route. The fares themselves are
    `offers.search.from_fare`'s, cached for the hour like there.
    """
    flown = routes(memo)

    def compute(parts):
        origin, cabin, _day = parts
        return {ref: search.from_fare(route=route, first_day=today + dt.timedelta(days=1), days=FARE_WINDOW_DAYS, cabin=cabin)
                for ref, route in flown.items() if route.origin_id == origin}

    found = fragments.shared_many("fares-from", [(o, cabin, today.isoformat()) for o in sorted(origins)], compute,
                                  sources=("routes",), timeout=search.FROM_FARE_SECONDS, memo=memo)
    return {ref: fare for fares in found.values() for ref, fare in fares.items()}


def track(member, slots, today):
    """Point each item of the measured slots through a signed tracked link and log its impressions.

    The impressions go to one Celery task for the page (deduplicated per slot, item and day), so the page
    does not wait, and the broker is asked once rather than once per slot.
    """
    from recommendations.tasks import record_impressions
    from recommendations.tracking import dismiss_token, tracked_url

    shown = {}
    for name in TRACKED_SLOTS:
        slot = slots.get(name)
        if not slot or not slot.items:
            continue
        for item in slot.items:
            item.url = tracked_url(member=member, slot=name, kind=item.kind, ref=item.ref, target=item.url)
            item.extra["dismiss"] = dismiss_token(member=member, kind=item.kind, ref=item.ref)
        shown[name] = [(i.kind, i.ref, i.personal) for i in slot.items]
    if not shown:
        return
    try:
        record_impressions.delay(member.pk, None, None, today.isoformat(), by_slot=shown)
    except Exception:  # noqa: BLE001 - a broker that is down costs us the count, not the page
        log.warning("could not queue the impressions of slots %s", ", ".join(shown), exc_info=True)


def member_tier_status(member, today):
    """`tier_status` once per visit: the tier card and the tier area's distance to the next area ask."""
    memo = _memo(member)
    key = ("tier_status", today)
    if memo is not None and key in memo:
        return memo[key]
    card = tier_status(member, on=today)
    if memo is not None:
        memo[key] = card
    return card


def status(member, today):
    """The tier card: tier, progress to the next, the projected date, miles, and when the year closes."""
    card = member_tier_status(member, today)
    return [Item("tier", card.tier.code, card.tier.display_name, "", "", extra={
        "status": card, "miles": miles_balance(member), "projected": projected_qualification(card, today)})]


def likely_destinations(member):
    """Airports the recommender expects the member to fly to next.

    Two slots ask; it is computed once per request, kept on the member object of the
    request (setattr passes through request.user's lazy wrapper to the member).
    """
    cached = getattr(member, "_likely_destinations", None)
    if cached is None:
        cached = [rec.ref.split("-")[1] for rec in recommended_routes(member, 6)]
        member._likely_destinations = cached
    return cached


ROUTES_ASKED = 8  # the longest route list a dashboard slot asks for (fares: 4, and 4 spare for routes without a fare)


def recommended_routes(member, n):
    """`serve(member, "route")`, asked once per visit at the longest length any slot wants.

    A shorter list is the longer one's beginning (serve() ranks, then fills from popularity; a
    short personal list may be filled a little further), so the offers' likely destinations and
    the fares slot share one call.
    """
    memo = _memo(member)
    asked, recommended = memo.get("route_recommendations", (0, [])) if memo is not None else (0, [])
    if n > asked:
        asked = max(n, ROUTES_ASKED)
        recommended = serve(member, "route", n=asked)
        if memo is not None:
            memo["route_recommendations"] = (asked, recommended)
    return recommended[:n]


def route_destinations(member, today, n=4, personal=True):
    """Where the recommender thinks the member will fly next, with today's lowest fare from their home airport."""
    recommended = recommended_routes(member, n + 4) if personal else fallback(member, "route", n=n + 4)
    cabin = member.preferred_cabin or Cabin.ECONOMY
    return priced_routes(recommended, cabin, today, n, lambda route: str(route.destination), _memo(member))


def visitor_routes(request, today, n=4):
    """A visitor's routes on the home page: like what they looked at this browser session, else the most popular.

    `recommendations.serve_visitor` decides (their signed cookie of looks; the non-personal fallback
    without one); each route with its lowest fare from its origin, marked personal or not. A failure
    gives a failed slot, which the page leaves out.
    """
    from recommendations import serve_visitor

    try:
        items = priced_routes(serve_visitor(request, "route", n + 4), Cabin.ECONOMY, today, n, lambda route: _(
            "%(origin)s to %(destination)s") % {"origin": route.origin, "destination": route.destination})
        return Slot("visitor_routes", items)
    except Exception:  # noqa: BLE001 - the marketing page never fails for it
        log.exception("home page: the visitor's routes failed; leaving the slot out")
        return Slot("visitor_routes", [], failed=True)


def priced_routes(recommended, cabin, today, n, title, memo=None):
    """The first `n` recommended routes that have a fare in the window, as items with their lowest fare.

    A route with no flight in the fare window (out of season) gives way to the next one.
    """
    flown = routes(memo)
    fares = fares_from({flown[r.ref].origin_id for r in recommended if r.ref in flown}, cabin, today, memo)
    items = []
    for rec in recommended:
        route, fare = flown.get(rec.ref), fares.get(rec.ref)
        if route is None or fare is None:
            continue
        items.append(Item("route", rec.ref, title(route), f"/flights/?origin={route.origin_id}&destination={route.destination_id}",
                          rec.explanation, detail=fare, personal=not rec.is_fallback, extra={"route": route, "cabin": cabin}))
        if len(items) == n:
            break
    return items


def offers_shown(member, today):
    """The offers this member may be shown now: eligible (recommendations.eligibility) and narrowed by the
    running A/B tests and bandits (offers.experiments). Worked out once per visit, so the offers slot and
    the trip slot show the same variant and the same bandit arm."""
    visit = visit_of(member)
    if visit is not None and "offers_shown" in visit.memo:
        return visit.memo["offers_shown"]
    memo = _memo(member)
    # The shared parts: the tier's published offers with their targeting, and today's A/B tests and bandits
    # (kept in the process too: model instances cost more to unpickle than to look up). Per member, one query
    # re-reads liveness, claims and budget counters, then segments, frequency caps, variant and arm.
    candidates = fragments.shared("tier-offers", [member.tier_id], lambda: offer_candidates(member.tier_id),
                                  sources=("offers",), memo=memo, local=True)
    campaigns = fragments.shared("offer-campaigns", [today.isoformat()], lambda: running_campaigns(today),
                                 sources=("campaigns", "offers"), memo=memo, local=True)
    offers = offers_to_show(member, offers_to_serve(member, at=visit.at if visit else None, visit=visit, candidates=candidates),
                            today, campaigns=campaigns)
    offers = with_translations(offers)  # their words in the reader's language: one query for the lot
    if visit is not None:
        visit.memo["offers_shown"] = offers
    return offers


def offers_for_you(member, today, n=4, personal=True):
    """The recommender's offers first; then offers linked to where the member flies (cold start); then by priority.

    Offers at their frequency cap for the member are left out (recommendations.eligibility).
    """
    dismissed = dismissed_refs(member, "offer")
    eligible = {o.slug: o for o in offers_shown(member, today) if o.slug not in dismissed}
    items, seen = [], set()
    for rec in serve(member, "offer", n=n) if personal else []:
        if rec.ref in eligible and rec.ref not in seen:
            offer = eligible[rec.ref]
            items.append(Item("offer", offer.slug, offer.localized_title, f"/offers/{offer.slug}/", rec.explanation,
                              detail=offer.localized_summary, personal=not rec.is_fallback, extra={"offer": offer}))
            seen.add(offer.slug)
    destinations = likely_destinations(member) if personal else []
    names = {r.destination_id: r.destination.local_city for r in routes(_memo(member)).values()} if destinations else {}
    for code in destinations:  # a new offer with no interactions still reaches the members who fly there
        for offer in eligible.values():
            if len(items) < n and offer.slug not in seen and code in offer.destination_codes:
                items.append(Item("offer", offer.slug, offer.localized_title, f"/offers/{offer.slug}/",
                                  _("Because you look at flights to %(city)s") % {"city": names.get(code, code)},
                                  detail=offer.localized_summary, extra={"offer": offer}))
                seen.add(offer.slug)
    for offer in eligible.values():
        if len(items) >= n:
            break
        if offer.slug not in seen:
            items.append(Item("offer", offer.slug, offer.localized_title, f"/offers/{offer.slug}/", _("Open to members like you"),
                              detail=offer.localized_summary, personal=False, extra={"offer": offer}))
            seen.add(offer.slug)
    return items


def next_trips(member, n=3):
    """The member's trips not yet over, soonest first; read once per request (the trips and trip-offer slots ask)."""
    visit = visit_of(member)
    if visit is not None and "next_trips" in visit.memo:
        return visit.memo["next_trips"][:n]
    trips = list(Trip.objects.filter(member=member).annotate(starts=Min("legs__departs_at"), ends=Max("legs__arrives_at"))
                 .filter(ends__gte=timezone.now()).order_by("starts").prefetch_related("legs")[:3])
    if visit is not None:
        visit.memo["next_trips"] = trips
    return trips[:n]


def upcoming_trips(member, today, n=3):
    return [Item("trip", str(t.pk), t.name, f"/trips/{t.pk}/", "", extra={"trip": t}) for t in next_trips(member, n)]


def trip_offers(member, today, n=4, personal=True):
    """Offers the member's upcoming trips bring forward (offers.trip_offers): upgrade, lounge, bags, destination partners.

    The same eligible offers as the offers slot (targeting, claim limit, budget, frequency cap;
    read once per visit), less those the member is not interested in. A hold-out member
    (personal=False) gets none: the slot is personalization through and through.
    """
    trips = next_trips(member) if personal else []
    if not trips:
        return []
    visit = visit_of(member)
    dismissed = dismissed_refs(member, "offer")
    offers = [o for o in offers_shown(member, today) if o.slug not in dismissed]  # the visit's memo: no new query
    items, seen = [], set()
    for trip in trips:
        for offer, reason in offers_for_trip(member=member, trip=trip, at=visit.at if visit else None, offers=offers):
            if offer.slug not in seen and len(items) < n:
                items.append(Item("offer", offer.slug, offer.localized_title, f"/offers/{offer.slug}/", reason, detail=offer.localized_summary,
                                  extra={"offer": offer, "trip": trip, "label": offer.get_category_display()}))
                seen.add(offer.slug)
    return items


NEWS_ASKED = 24  # the latest articles the news slot picks from (its relevant ones first)
NEWS_KEPT = 48  # the shared list's length: room for a member's dismissed articles before it must ask the database


@dataclass(frozen=True)
class Article:
    """What the news slot shows of an article: the shared fragment holds these, not pages."""

    pk: int
    translation_key: str
    title: str
    url: str
    summary: str
    date: object
    destination_codes: tuple


def latest_news(closed, n):
    """The `n` latest live articles open to readers for whom `closed` (cms.access) is closed, in the reader's
    language, newest first: the same for every reader with those closed sections."""
    from cms.access import hide_closed
    from cms.localization import in_reader_language
    from cms.models import NewsArticlePage

    news = in_reader_language(hide_closed(NewsArticlePage.objects.live(), closed)).order_by("-date", "-pk")
    return [Article(a.pk, str(a.translation_key), a.title, a.url, a.summary, a.date, tuple(a.destination_codes))
            for a in news[:n]]


def news_for_you(member, today, n=3, personal=True):
    """Latest news, those about the member's home airport or likely destinations first.

    Each article once, in the active language (the member's, on the dashboard and in e-mails), English where it
    has no live translation. A dismissed article stays dismissed in every language (its translations go too).
    The latest articles are a fragment per set of closed sections (cms.access: tier areas, view restrictions,
    news aimed at other tiers) and language; the member's dismissals and places are applied here.
    """
    from cms.access import closed_sections
    from cms.models import NewsArticlePage

    places = ({member.home_airport} | set(likely_destinations(member))) if personal else set()
    dismissed = dismissed_refs(member, "news")
    closed = closed_sections(member)
    latest = fragments.shared("latest-news", [closed.signature], lambda: latest_news(closed, NEWS_KEPT),
                              sources=("pages",), memo=_memo(member))
    if dismissed:
        gone = {str(k) for k in NewsArticlePage.objects.filter(pk__in=[r for r in dismissed if r.isdigit()])
                .values_list("translation_key", flat=True)}
        kept = [a for a in latest if a.translation_key not in gone]
        if len(kept) < NEWS_ASKED and len(latest) == NEWS_KEPT:  # dismissed more than the spare: ask the database
            kept = [a for a in latest_news(closed, NEWS_KEPT + len(gone)) if a.translation_key not in gone]
        latest = kept
    latest = latest[:NEWS_ASKED]
    relevant = [a for a in latest if places & set(a.destination_codes)]
    picked = (relevant + [a for a in latest if a not in relevant])[:n]
    return [Item("news", str(a.pk), a.title, a.url, _("About %(places)s, where you fly") % {"places": ", ".join(sorted(places & set(a.destination_codes)))}
                 if a in relevant else _("Latest news"), detail=a.summary, personal=a in relevant, extra={"date": a.date})
            for a in picked]


def live_tier_areas():
    """Every live tier area, each once in the reader's language, highest tier first: shared by all readers of a language."""
    from cms.localization import in_reader_language
    from cms.models import TierAreaPage

    return list(in_reader_language(TierAreaPage.objects.live()).select_related("min_tier").order_by("-min_tier__rank", "path"))


def tier_area(member, today):
    """The highest tier area the member's status opens; without one, the nearest area and the points it takes.

    The areas are a shared fragment; which of them the member may open (cms.access: tier, view
    restrictions) and their distance to the nearest are worked out for the member.
    """
    from cms.access import closed_sections, distance_to

    areas = fragments.shared("tier-areas", [], live_tier_areas, sources=("pages",), memo=_memo(member))
    closed = closed_sections(member).paths  # cms.access.can_view's rule, the sections read once for all the areas
    area = next((a for a in areas if not a.path.startswith(closed)), None)
    if area is not None:
        return [Item("tier_area", str(area.pk), area.title, area.url, _("Your %(tier)s status opens it") % {"tier": member.tier.display_name},
                     detail=area.introduction, extra={"open": True, "tier": area.min_tier})]
    area = min(areas, key=lambda a: (a.min_tier.rank, a.path), default=None)
    if area is None:
        return []
    distance = distance_to(member, area.min_tier, on=today, status=member_tier_status(member, today) if member.pk else None)
    return [Item("tier_area", str(area.pk), area.title, area.url, _("%(tier)s status opens it") % {"tier": area.min_tier.display_name},
                 personal=False, extra={"open": False, "tier": area.min_tier, "distance": distance})]


def open_cases(member, today, n=3):
    """The member's open customer-service questions (members.cases), latest activity first."""
    from members.cases.models import ServiceCase

    cases = ServiceCase.objects.open().filter(member=member).order_by("-updated_at", "-pk")[:n]
    return [Item("case", str(c.pk), c.subject, f"/me/cases/{c.pk}/", "", detail=f"{c.reference} · {c.get_status_display()}",
                 personal=False) for c in cases]


SLOTS = {
    "status": status,
    "tier_area": tier_area,
    "offers": offers_for_you,
    "fares": route_destinations,
    "trips": upcoming_trips,
    "trip_offers": trip_offers,
    "news": news_for_you,
    "cases": open_cases,
}
