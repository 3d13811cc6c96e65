"""What `serve()` reads about a member on every call — consent and dismissals — in the cache.

One entry per member, `state:m<id>` in the recommender cache: `{"personal": bool | None,
"dismissed": {kind: set(refs)}}`, read in the same round trip as the active-version pointer.
It is dropped the moment the member changes it, both at once and again when the transaction
commits; a drop leaves a "changing" marker for a few seconds and misses are filled with `add`,
so a reader that read the database just before the commit cannot put the old value back:

- a `Dismissal` saved or deleted (post_save / post_delete);
- a `ConsentRecord` created one by one (post_save) or deleted (erasure);
- `members.privacy.consent.consent_recorded`, which `record_consents` sends: it writes with
  `bulk_create`, which sends no post_save. **Consent is cached only once that receiver is
  connected** (at start-up); before, `personal` stays None and consent is asked of the
  database on every call (one query), so a withdrawal always takes effect on the next page.

A cache that fails: the database answers (two queries) and nothing is written. A delete that
fails while Redis is down cannot reach the entry, hence the short lifetime (`STATE_SECONDS`).
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

log = logging.getLogger(__name__)

STATE_SECONDS = 15 * 60  # bounds a stale entry to 15 min if an invalidation hit a Redis outage
_consent_signal = {"connected": False}


def state_key(member_id):
    return f"state:m{member_id}"


def _cache():
    return caches[settings.RECOMMENDER_CACHE]


def consent_is_cached():
    return _consent_signal["connected"]


def load_state(member):
    """The member's state from the database: dismissals of every kind (one query), and consent
    (one more) only while it may be cached; `personal` None means "ask at each call" (`allows`)."""
    from recommendations.consent import allows_personalization
    from recommendations.models import Dismissal

    dismissed = {}
    for kind, ref in Dismissal.objects.filter(member_id=member.pk).values_list("kind", "ref"):
        dismissed.setdefault(kind, set()).add(ref)
    return {"personal": allows_personalization(member) if consent_is_cached() else None, "dismissed": dismissed}


CHANGING = "changing"  # what a drop leaves for DROP_SECONDS: read the database, cache nothing
DROP_SECONDS = 10


def member_state(member, cached=None, read=True):
    """The member's state; `cached`/`read=False`: what a caller's `get_many` found (None: a miss).

    A miss is filled with `add`, and a drop leaves CHANGING for a few seconds rather than nothing:
    a reader that read the database just before a change committed cannot then cache the old state.
    """
    key = state_key(member.pk)
    state = cached
    if state is None and read:
        try:
            state = _cache().get(key)
        except Exception:  # noqa: BLE001 - cache down: the database answers
            log.warning("recommender: cache unavailable for the member state", exc_info=True)
            return load_state(member)
    if state == CHANGING:
        return load_state(member)
    if state is not None:
        return state
    state = load_state(member)
    try:
        _cache().add(key, state, STATE_SECONDS)
    except Exception:  # noqa: BLE001
        pass
    return state


def allows(member, state):
    """Consent from the state; asked of the database when it is not cached (no signal from members)."""
    if state["personal"] is not None:
        return state["personal"]
    from recommendations.consent import allows_personalization

    return allows_personalization(member)


def forget_state(member_id):
    """Drop the member's cached state now and once more on commit. Never raises."""

    def drop():
        try:
            _cache().set(state_key(member_id), CHANGING, DROP_SECONDS)
        except Exception:  # noqa: BLE001 - the entry expires within STATE_SECONDS
            log.warning("recommender: could not drop the state of member %s", member_id, exc_info=True)

    drop()
    transaction.on_commit(drop)


def on_member_row_changed(sender, instance, **kwargs):
    """post_save / post_delete receiver for Dismissal and ConsentRecord."""
    if instance.member_id:
        forget_state(instance.member_id)


def on_consent_recorded(sender, member_id=None, member=None, **kwargs):
    """Receiver of members' `consent_recorded` signal (member_id or member)."""
    member_id = member_id or getattr(member, "pk", None)
    if member_id:
        forget_state(member_id)


def connect():
    """Called from RecommendationsConfig.ready()."""
    from django.db.models.signals import post_delete, post_save

    from members.privacy import consent
    from members.privacy.models import ConsentRecord
    from recommendations.models import Dismissal

    for model in (Dismissal, ConsentRecord):
        for signal in (post_save, post_delete):
            signal.connect(on_member_row_changed, sender=model, dispatch_uid=f"recommendations.state.{model.__name__}.{signal is post_save}")
    consent.consent_recorded.connect(on_consent_recorded, dispatch_uid="recommendations.state.consent_recorded")
    _consent_signal["connected"] = True
