""""Not interested" is negative feedback in evaluation: a dismissed held-out item is never a hit."""

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from members.models import ActivityEvent
from recommendations.models import Dismissal
from recommendations.training.evaluate import ranking_metrics
from recommendations.training.matrix import interactions_from_database, interactions_from_frame
from recommendations.training.split import last_day_split, relevant_matrix
from tests.factories import MemberFactory
from tests.recommendations.conftest import END

pytestmark = pytest.mark.django_db


def relevant_items(interactions):
    _train, test = last_day_split(interactions)
    relevant = relevant_matrix(interactions, test)
    return relevant, {str(interactions.item_keys[c]) for c in relevant.indices}


@pytest.fixture
def member(db):
    member = MemberFactory()
    for ref, event, days_ago in (("JFK-ORD", "book", 30), ("JFK-MIA", "book", 1), ("JFK-BOS", "view", 1)):
        ActivityEvent.objects.create(member=member, kind="route", ref=ref, event=event, occurred_at=END - timedelta(days=days_ago))
    return member


def test_a_held_out_item_the_member_dismissed_is_not_relevant(member):
    assert relevant_items(interactions_from_database())[1] == {"route:JFK-MIA", "route:JFK-BOS"}

    Dismissal.objects.create(member=member, kind="route", ref="JFK-MIA")
    interactions = interactions_from_database()
    relevant, items = relevant_items(interactions)

    assert items == {"route:JFK-BOS"}
    dismissed = list(interactions.item_keys).index("route:JFK-MIA")
    kept = list(interactions.item_keys).index("route:JFK-BOS")
    # A model that puts the dismissed item first earns nothing for it; the kept one still counts.
    assert ranking_metrics(np.array([[dismissed]]), relevant, relevant.shape[1], k=1)["precision"] == 0.0
    assert ranking_metrics(np.array([[kept]]), relevant, relevant.shape[1], k=1)["precision"] == 1.0


def test_a_dismiss_event_in_a_dataset_file_does_the_same():
    frame = pd.DataFrame([
        ("u1", "route:JFK-ORD", "book", "2026-05-01T08:00:00Z"),
        ("u1", "route:JFK-MIA", "book", "2026-06-01T08:00:00Z"),
        ("u1", "route:JFK-BOS", "view", "2026-06-01T09:00:00Z"),
        ("u1", "route:JFK-MIA", "dismiss", "2026-06-02T08:00:00Z"),
    ], columns=["user", "item", "event", "timestamp"])

    assert relevant_items(interactions_from_frame(frame))[1] == {"route:JFK-BOS"}
