"""Shared dashboard fragments: what depends only on a segment is worked out once per segment.

A fragment is the part of a slot that is the same for every member of a segment (tier,
home airport, language) or for everyone: the tier area a tier opens, the routes flown
from an airport, the airports' city names, the hold-out campaigns running today, a tier's
published offers with their targeting, today's A/B tests and bandits, the latest news for
readers with the same closed sections. It is
kept in Django's default cache (Redis) under

    fragment:<name>:<segment parts>:<language>:<version of each source it reads>

and a source's version changes when what it shows changes (the receivers below: an
offer, a segment, a campaign, a page, a route or an airport saved, published, unpublished
or deleted), so a changed source is never served from an old entry; entries also expire
after `TIMEOUT` as a bound for a process that missed a signal.

What is personal never goes in: a member's recommendations, dismissals, trips, cases,
miles, distance to a tier, frequency caps and hold-out group are computed per request
from the shared part (cms/slots.py). A fragment must therefore be a pure function of
its key. The cache is only a speed-up: when it fails or Redis is down, the fragment is
computed directly (never from a per-process copy another process cannot invalidate).
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

log = logging.getLogger(__name__)

TIMEOUT = 600  # seconds; the bound on staleness for a process that did not see a change's signal
VERSION_TIMEOUT = None  # a source's version lives until it changes (an evicted one just starts a new generation)
SOURCES = ("offers", "campaigns", "pages", "routes")


def _version_key(source):
    return f"fragment-version:{source}"


def versions(memo=None):
    """{source: version} of every source, one cache round trip (once per visit with its `memo`).

    A missing version is started with `add` (the first writer wins, every process then reads the same).
    """
    if memo is not None and "fragment-versions" in memo:
        return memo["fragment-versions"]
    keys = {_version_key(s): s for s in SOURCES}
    found = cache.get_many(list(keys))
    for key in keys.keys() - found.keys():
        cache.add(key, uuid.uuid4().hex[:12], VERSION_TIMEOUT)
        found[key] = cache.get(key)
    current = {source: str(found[key]) for key, source in keys.items()}
    if memo is not None:
        memo["fragment-versions"] = current
    return current


def bump(*sources):
    """What `sources` show changed: the entries that read them are never served again."""
    for source in sources:
        try:
            cache.set(_version_key(source), uuid.uuid4().hex[:12], VERSION_TIMEOUT)
        except Exception:  # noqa: BLE001 - the entries still expire after TIMEOUT
            log.warning("fragments: could not bump the version of %s", source, exc_info=True)


def key_for(name, parts, sources, memo=None):
    """fragment:<name>:<parts…>:<language>:<version of each source>."""
    current = versions(memo)
    language = translation.get_language() or ""
    return ":".join(["fragment", name, *(str(p) for p in parts), language, *(current[s] for s in sources)])


# Entries that are costly to unpickle (model instances with their relations) may also be kept in the process,
# under the same versioned key: the versions are read from Redis once per visit, so a change seen by any
# process retires the local copy too; TIMEOUT still bounds its age. Such an entry is shared by the
# process's requests: callers copy before they change anything in it.
LOCAL_ENTRIES = 256
_local = {}


def _local_get(key):
    entry = _local.get(key)
    if entry is not None and entry[0] > time.monotonic():
        return entry
    return None


def _local_put(key, value, timeout):
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()  # old generations' keys: simpler than an LRU, and rare
    _local[key] = (time.monotonic() + min(timeout, TIMEOUT), value)


def shared_many(name, parts_list, compute, *, sources, timeout=TIMEOUT, memo=None, local=False):
    """{parts: compute(parts)} for several segments at once, from the cache where another member of one asked first.

    `compute(parts)` must read nothing personal: what it returns is served to every member whose
    segment is `parts` (+ the language). A cache that fails, or Redis that is down, means computing
    directly; one failing fragment never fails the others. `local`: keep it in the process as well
    (see `_local`): for values whose unpickling costs more than a dictionary lookup; read-only to callers.
    """
    parts_list = list(dict.fromkeys(tuple(parts) for parts in parts_list))
    if not parts_list:
        return {}
    if getattr(cache, "redis_is_down", False):  # its memory stand-in could not be invalidated from other processes
        return {parts: compute(parts) for parts in parts_list}
    try:
        keys = {key_for(name, parts, sources, memo): parts for parts in parts_list}
        here = {key: entry[1] for key in keys if local and (entry := _local_get(key)) is not None}
        found = cache.get_many([key for key in keys if key not in here]) if len(here) < len(keys) else {}
    except Exception:  # noqa: BLE001 - the cache is a speed-up only
        log.warning("fragments: cache unavailable for %s; computing it", name, exc_info=True)
        return {parts: compute(parts) for parts in parts_list}
    result, computed = {}, {}
    for key, parts in keys.items():
        if key in here:
            result[parts] = here[key]
        elif key in found:
            result[parts] = found[key][0]
        else:
            result[parts] = compute(parts)
            computed[key] = (result[parts],)  # wrapped: an empty or None fragment is still a hit
        if local and key not in here:
            _local_put(key, result[parts], timeout)
    if computed:
        try:
            cache.set_many(computed, timeout)
        except Exception:  # noqa: BLE001
            log.warning("fragments: could not store %s", name, exc_info=True)
    return result


def shared(name, parts, compute, *, sources, timeout=TIMEOUT, memo=None, local=False):
    """`compute()` for one segment `parts` (+ the language): `shared_many` for one."""
    return shared_many(name, [parts], lambda _parts: compute(), sources=sources, timeout=timeout, memo=memo,
                       local=local)[tuple(parts)]


# --- invalidation -------------------------------------------------------------------------------
# Connected when this module is imported, which CmsConfig.ready() does: a process that only
# publishes still bumps. Saving covers Wagtail's publish and unpublish of an
# offer (both save the row); pages have their own signals.


def _bump_receiver(*sources):
    def on_change(sender, **kwargs):
        bump(*sources)

    return on_change


def _connect():
    from wagtail.signals import page_published, page_unpublished

    from members.models import Tier
    from offers.models import Airport, Campaign, Offer, OfferTranslation, Route, Segment, SegmentRule

    wiring = {
        Offer: ("offers",), OfferTranslation: ("offers",), Campaign: ("campaigns",), Route: ("routes",), Airport: ("routes",),
        Segment: ("offers",), SegmentRule: ("offers",),  # an offer's targeting, in the tier's offer fragment
        Tier: ("pages", "offers"),  # tier names appear in the tier-area fragment
    }
    for model, sources in wiring.items():
        handler = _bump_receiver(*sources)
        _handlers.append(handler)  # the signals hold weak references
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"fragments-save-{model._meta.label}")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"fragments-delete-{model._meta.label}")
    pages = _bump_receiver("pages")
    page_published.connect(pages, weak=False, dispatch_uid="fragments-page-published")
    page_unpublished.connect(pages, weak=False, dispatch_uid="fragments-page-unpublished")
    post_delete.connect(_page_deleted, weak=False, dispatch_uid="fragments-page-deleted")
    m2m_changed.connect(_relation_changed, weak=False, dispatch_uid="fragments-m2m")


_handlers = []


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump("pages")


def _relation_changed(sender, instance, action, **kwargs):
    """An offer's tiers or segments, a campaign's arms, a page's tiers: a targeting change is a change of what is shown."""
    from wagtail.models import Page

    from members.models import Tier
    from offers.models import Campaign, Offer, Segment

    if not action.startswith("post_"):
        return
    if isinstance(instance, (Offer, Segment)):  # either side of offer ↔ segments
        bump("offers")
    elif isinstance(instance, Campaign):
        bump("campaigns")
    elif isinstance(instance, Tier):  # the reverse side of an offer's or a page's tiers
        bump("offers", "pages")
    elif isinstance(instance, Page):
        bump("pages")


_connect()
