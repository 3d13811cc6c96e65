"""Freshness: new activity changes a member's recommendations before any retrain."""

import numpy as np
import pytest
from django.core.cache import caches

from members.models import ActivityEvent
from members.services import record_activity
from recommendations import serve
from recommendations.freshness import refresh_member_soon, refresh_recently_active
from recommendations.models import ModelVersion
from recommendations.serving import serving_model
from recommendations.training import pipeline
from tests.recommendations.conftest import END, FLORIDA, plant

pytestmark = pytest.mark.django_db


def florida_share(items):
    return sum(item.ref.split("-")[1] in FLORIDA for item in items) / len(items)


@pytest.fixture
def commuter(florida_world):
    """A business commuter from JFK: the model serves them business routes."""
    return florida_world["business"][0]


def test_new_activity_changes_the_served_list_before_any_retrain(commuter, eager_tasks, django_capture_on_commit_callbacks):
    version = pipeline.train(tune=False)
    before = serve(commuter, "route", n=5)
    assert florida_share(before[:1]) == 0  # what they booked before: a business route

    with django_capture_on_commit_callbacks(execute=True):
        for destination in ("MIA", "MCO", "TPA"):
            for event in ("search", "view", "save", "book"):
                record_activity(member=commuter, kind="route", ref=f"JFK-{destination}", event=event)

    after = serve(commuter, "route", n=5)
    assert ModelVersion.objects.count() == 1 and after[0].version_id == version.pk  # no retrain
    assert [i.ref for i in after] != [i.ref for i in before]
    assert florida_share(after[:3]) == 1.0 and not any(i.is_fallback for i in after)


def test_a_member_the_model_never_saw_gets_a_personal_list_after_their_first_activity(florida_world, eager_tasks,
                                                                                        django_capture_on_commit_callbacks):
    pipeline.train(tune=False)
    (newcomer,) = plant(1, ["MIA"], rng=np.random.default_rng(9), sessions=0, prefix="new")
    before = serve(newcomer, "route", n=3)
    assert all(i.is_fallback for i in before)

    with django_capture_on_commit_callbacks(execute=True):
        record_activity(member=newcomer, kind="route", ref="JFK-MIA", event="book")

    served = serve(newcomer, "route", n=3)
    assert not any(i.is_fallback for i in served) and served[0].ref == "JFK-MIA"
    assert florida_share(served) > florida_share(before)  # popularity near JFK: business routes


def test_the_fold_in_is_implicits_own_user_step(florida_world):
    from implicit.cpu.als import AlternatingLeastSquares

    version = pipeline.train(tune=False)
    model = serving_model(version.pk)
    rows = np.arange(20)
    reference = AlternatingLeastSquares(factors=model.als.item_factors.shape[1], regularization=model.regularization,
                                        alpha=model.alpha, random_state=1)
    reference.item_factors = model.als.item_factors.astype(np.float32)
    reference.user_factors = np.zeros((len(model.member_ids), reference.factors), np.float32)

    ours = model.fold_in(model.history[rows])
    theirs = reference.recalculate_user(rows, model.history[rows])
    assert np.allclose(ours, theirs, atol=1e-4, rtol=1e-3)


def test_refreshes_are_debounced_per_member(commuter):
    assert refresh_member_soon(commuter.pk) is True
    assert refresh_member_soon(commuter.pk) is False  # one refresh per window reads every event in it
    caches["recommendations"].clear()
    assert refresh_member_soon(commuter.pk) is True


def test_the_frequent_beat_refresh_picks_up_events_written_in_bulk(commuter):
    pipeline.train(tune=False)
    before = serve(commuter, "route", n=5)
    ActivityEvent.objects.bulk_create([  # no post_save: only the beat pass sees these
        ActivityEvent(member=commuter, kind="route", ref=f"JFK-{d}", event=e, occurred_at=END)
        for d in ("MIA", "FLL", "PBI") for e in ("search", "view", "book", "book")])
    ActivityEvent.objects.filter(member=commuter, occurred_at=END).update(occurred_at=pipeline.timezone.now())

    assert refresh_recently_active() == 1
    after = serve(commuter, "route", n=5)
    assert florida_share(after[:2]) == 1.0 and [i.ref for i in after] != [i.ref for i in before]
