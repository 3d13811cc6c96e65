"""serve()'s per-member state (consent, dismissals) in the cache, dropped the moment it changes."""

import numpy as np
import pytest
from django.db import connection
from django.dispatch import Signal
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


@pytest.fixture
def consent_signal(monkeypatch):
    """members.privacy.consent.consent_recorded as members would send it after record_consents."""
    import members.privacy.consent as consent

    signal = Signal()
    monkeypatch.setattr(consent, "consent_recorded", signal, raising=False)
    member_state.connect()
    yield signal
    member_state._consent_signal["connected"] = False


def queries_of(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def test_a_warm_serve_asks_the_database_nothing_when_consent_is_cached(fan, consent_signal):
    serve(fan, "route", n=5)  # fills the list and the state

    served, queries = queries_of(lambda: serve(fan, "route", n=5))

    assert queries == 0 and not any(item.is_fallback for item in served)


def test_without_the_members_signal_consent_is_one_query_and_dismissals_none(fan):
    serve(fan, "route", n=5)

    served, queries = queries_of(lambda: serve(fan, "route", n=5))

    assert queries == 1 and not any(item.is_fallback for item in served)


def test_a_dismissal_takes_effect_on_the_next_call(fan, consent_signal):
    first = serve(fan, "route", n=5)[0].ref

    dismiss(member=fan, token=dismiss_token(member=fan, kind="route", ref=first))

    assert first not in [item.ref for item in serve(fan, "route", n=5)]


@pytest.mark.parametrize("signal", [True, False], ids=["members-signal", "no-signal"])
def test_withdrawing_consent_takes_effect_on_the_next_call(fan, request, signal):
    sent = request.getfixturevalue("consent_signal") if signal else None
    assert not any(item.is_fallback for item in serve(fan, "route", n=5))

    record_consents(member=fan, choices={Purpose.PERSONALIZATION: False}, source="privacy_page")
    if sent is not None:
        sent.send(sender=None, member_id=fan.pk)

    assert all(item.is_fallback for item in serve(fan, "route", n=5))
    record_consents(member=fan, choices={Purpose.PERSONALIZATION: True}, source="privacy_page")
    if sent is not None:
        sent.send(sender=None, member_id=fan.pk)
    assert not any(item.is_fallback for item in serve(fan, "route", n=5))


def test_a_cache_that_raises_reads_the_state_from_the_database(fan, consent_signal, monkeypatch):
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
