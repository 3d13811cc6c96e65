"""serve()'s per-member state (consent, dismissals) in the cache, dropped the moment it changes."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import recommendations.member_state as member_state
from members.privacy.consent import record_consents
from members.privacy.models import Purpose
from recommendations import serve
from recommendations.tracking import dismiss, dismiss_token
from recommendations.training import pipeline
from tests.recommendations.conftest import plant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services("redis")]


@pytest.fixture
def fan(florida_world):
    (member,) = plant(1, ["MIA"], rng=np.random.default_rng(1), sessions=2, prefix="fan")
    pipeline.train(tune=False)
    return member


def queries_of(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def test_a_warm_serve_asks_the_database_nothing(fan):
    serve(fan, "route", n=5)  # fills the list and the state

    served, queries = queries_of(lambda: serve(fan, "route", n=5))

    assert queries == 0 and not any(item.is_fallback for item in served)


def test_a_dismissal_takes_effect_on_the_next_call(fan):
    first = serve(fan, "route", n=5)[0].ref

    dismiss(member=fan, token=dismiss_token(member=fan, kind="route", ref=first))

    assert first not in [item.ref for item in serve(fan, "route", n=5)]


def test_withdrawing_consent_takes_effect_on_the_next_call(fan):
    assert member_state.consent_is_cached()  # members' consent_recorded is connected at start-up
    assert not any(item.is_fallback for item in serve(fan, "route", n=5))

    record_consents(member=fan, choices={Purpose.PERSONALIZATION: False}, source="privacy_page")
    assert all(item.is_fallback for item in serve(fan, "route", n=5))

    record_consents(member=fan, choices={Purpose.PERSONALIZATION: True}, source="privacy_page")
    assert not any(item.is_fallback for item in serve(fan, "route", n=5))


def test_a_reader_that_read_before_a_change_cannot_cache_the_old_state(fan):
    stale = member_state.load_state(fan)  # a request reads the database just before the withdrawal commits
    record_consents(member=fan, choices={Purpose.PERSONALIZATION: False}, source="privacy_page")

    member_state._cache().add(member_state.state_key(fan.pk), stale, member_state.STATE_SECONDS)  # its late fill

    assert all(item.is_fallback for item in serve(fan, "route", n=5))


def test_a_cache_that_raises_reads_the_state_from_the_database(fan, monkeypatch):
    import recommendations.serving as serving

    first = serve(fan, "route", n=5)[0].ref
    dismiss(member=fan, token=dismiss_token(member=fan, kind="route", ref=first))
    monkeypatch.setattr(serving, "_cache", lambda: RaisingCache())
    monkeypatch.setattr(member_state, "_cache", lambda: RaisingCache())

    served = serve(fan, "route", n=5)

    assert served and first not in [item.ref for item in served] and not any(item.is_fallback for item in served)


class RaisingCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail
