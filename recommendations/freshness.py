"""Freshness: a member's new activity reaches their recommendations in seconds, not at the nightly retrain.

How: the active version's item factors stay fixed and the member's factors are solved
again from their history as it is in the database now — the exact ALS user step that
implicit's `recalculate_user` / `partial_fit_users` perform (`ServingModel.fold_in`).
Their top-N list is then recomputed with the version's serving strategy (ALS, blend or
own history) and written over their cached list. Items the version does not know yet
(added after training) wait for the next retrain; a member the version does not know
(new since training) gets a list as soon as they have activity.

When:
- on new activity: `members.ActivityEvent` rows saved one by one (`record_activity`,
  from pages, the API, the Celery worker) send `post_save`; the receiver below queues
  `recommendations.tasks.refresh_recommendations` after commit, at most once per member
  per `RECOMMENDER_REFRESH_DEBOUNCE_SECONDS` (default 10 s: a search followed by three
  views is one refresh, which reads all four);
- after `import_activity` (bulk inserts send no signal): for the members imported;
- Celery beat (`recommender-frequent-refresh`, every 5 minutes): members with events
  since the last pass, a safety net for anything else that writes events in bulk.

The nightly retrain remains the full update (new items, item factors, popularity).
A cached list that expires or is evicted falls back to the version's artifact, i.e. to
the list as of training, until the next refresh or retrain.
"""

import logging
from datetime import timedelta

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

PENDING_KEY = "refresh-pending:m{}"
CURSOR_KEY = "refresh-cursor"
BATCH = 2048


def debounce_seconds():
    return getattr(settings, "RECOMMENDER_REFRESH_DEBOUNCE_SECONDS", 10)


def _cache():
    return caches[settings.RECOMMENDER_CACHE]


def member_histories(model, member_ids):
    """Consenting members' current history over `model`'s items: (member ids, history CSR, strongest CSR, groups)."""
    from members.models import ActivityEvent, Member
    from recommendations.consent import consenting_members
    from recommendations.training.matrix import _max_duplicates, interactions_from_database

    members = consenting_members(Member.objects.filter(pk__in=list(member_ids)))
    found = interactions_from_database(ActivityEvent.objects.filter(member__in=members.values("pk")))
    n_members, n_items = len(found.member_ids), len(model.item_keys)
    keys = found.item_keys.astype(str)
    where = np.searchsorted(model.item_keys, keys)
    known = (where < n_items) & (model.item_keys[np.minimum(where, n_items - 1)] == keys)
    mask = known[found.cols]
    rows, cols = found.rows[mask], where[found.cols[mask]]
    reference = max(model.reference_day or 0, found.reference_day)
    weights = found.weights[mask] * np.power(0.5, (reference - found.days[mask]) / settings.RECOMMENDER_HALF_LIFE_DAYS)
    history = sp.coo_matrix((weights, (rows, cols)), shape=(n_members, n_items)).tocsr()
    history.sum_duplicates()
    history.data[history.data <= 0] = 0
    history.eliminate_zeros()
    strongest = _max_duplicates(rows, cols, found.strongest[mask], (n_members, n_items))
    return found.member_ids, history.astype(np.float32), strongest, found.groups


def refresh_members(member_ids):
    """Recompute and cache the top-N of `member_ids` under the active version. Returns how many were refreshed."""
    from recommendations.serving import active_version, member_key, serving_model

    pointer = active_version()
    if not pointer or pointer[1] == "popularity":  # nothing personal to refresh
        return 0
    version_id, _serving = pointer
    model = serving_model(version_id)
    ids, history, strongest, groups = member_histories(model, member_ids)
    keep = np.flatnonzero(np.diff(history.indptr) > 0)
    if not len(keep):
        return 0
    history, strongest = history[keep], strongest[keep]
    popularity = np.vstack([model.popularity.for_group(str(groups[r])) for r in keep])
    factors = model.fold_in(history) if model.strategy in ("als", "blend") else None
    entries = model.entries_for(user_factors=factors, history=history, strongest=strongest, popularity=popularity,
                                n=settings.RECOMMENDER_TOP_N)
    _cache().set_many({member_key(version_id, int(ids[r])): e for r, e in zip(keep, entries)},
                      settings.RECOMMENDER_CACHE_TIMEOUT)
    return len(keep)


def run_refresh(member_ids):
    """The task's body: clear the members' debounce marks, refresh in batches. Never raises (logs)."""
    member_ids = sorted({int(m) for m in member_ids})
    try:
        _cache().delete_many([PENDING_KEY.format(m) for m in member_ids])
    except Exception:  # noqa: BLE001 - the marks expire by themselves
        pass
    refreshed = 0
    for start in range(0, len(member_ids), BATCH):
        try:
            refreshed += refresh_members(member_ids[start:start + BATCH])
        except Exception:  # noqa: BLE001 - the nightly retrain catches up
            log.exception("recommender: refreshing %d members failed", len(member_ids[start:start + BATCH]))
    return refreshed


def _enqueue(member_ids, countdown=0):
    try:
        from recommendations.tasks import refresh_recommendations

        refresh_recommendations.apply_async(args=[sorted(member_ids)], countdown=countdown)
    except Exception:  # noqa: BLE001 - a broker outage must not break recording activity
        log.warning("recommender: could not queue a refresh for %d members", len(member_ids), exc_info=True)


def refresh_member_soon(member_id):
    """Queue a refresh of one member after commit, at most once per debounce window."""
    wait = debounce_seconds()
    try:
        if not _cache().add(PENDING_KEY.format(member_id), 1, wait):
            return False  # a refresh is already queued; it will read this event too
    except Exception:  # noqa: BLE001
        return False
    transaction.on_commit(lambda: _enqueue([member_id], countdown=wait), robust=True)
    return True


def refresh_members_later(member_ids):
    """Queue refreshes for many members (after a bulk import), in batches."""
    member_ids = sorted(member_ids)
    for start in range(0, len(member_ids), BATCH):
        _enqueue(member_ids[start:start + BATCH])


def on_activity_recorded(sender, instance, created, raw=False, **kwargs):
    """`post_save` receiver for members.ActivityEvent (connected in RecommendationsConfig.ready)."""
    if created and not raw:
        refresh_member_soon(instance.member_id)


def refresh_recently_active(*, window_minutes=10, limit=50_000):
    """Members with events since the last pass (or the last `window_minutes`); refreshed in batches."""
    from members.models import ActivityEvent

    now = timezone.now()
    try:
        since = _cache().get(CURSOR_KEY)
    except Exception:  # noqa: BLE001
        since = None
    since = since or now - timedelta(minutes=window_minutes)
    ids = list(ActivityEvent.objects.filter(occurred_at__gte=since - timedelta(minutes=1)).order_by()
               .values_list("member_id", flat=True).distinct()[:limit])
    refreshed = run_refresh(ids) if ids else 0
    try:
        _cache().set(CURSOR_KEY, now, 24 * 3600)
    except Exception:  # noqa: BLE001
        pass
    return refreshed
