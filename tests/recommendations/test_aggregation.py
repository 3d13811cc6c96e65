"""The database aggregation (COPY + numpy on PostgreSQL, GROUP BY elsewhere) against the pandas one."""

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from members.models import ActivityEvent
from recommendations.models import Dismissal
from recommendations.training.matrix import _max_duplicates, interactions_from_database, interactions_from_frame
from tests.recommendations.conftest import END, FLORIDA, plant

pytestmark = pytest.mark.django_db


def test_the_database_and_the_dataset_path_give_the_same_entries(routes):
    members = plant(30, FLORIDA, rng=np.random.default_rng(3), sessions=5)
    # Several events of one member × item on one day, and an undone save (weight ≤ 0 leaves the matrix).
    ActivityEvent.objects.bulk_create([
        ActivityEvent(member=members[0], kind="route", ref="JFK-ORD", event=e, occurred_at=END - timedelta(days=3, hours=h))
        for h, e in enumerate(["save", "unsave", "view", "book"])
    ])
    Dismissal.objects.create(member=members[1], kind="route", ref=ActivityEvent.objects.filter(member=members[1]).first().ref)
    events = pd.DataFrame(list(ActivityEvent.objects.values_list("member_id", "kind", "ref", "event", "occurred_at")),
                          columns=["user", "kind", "ref", "event", "timestamp"])
    dismissed = set(Dismissal.objects.values_list("member_id", "kind", "ref"))
    events = events[[(u, k, r) not in dismissed for u, k, r in zip(events.user, events.kind, events.ref)]]
    frame = pd.DataFrame({"user": events.user.astype(str), "item": events.kind + ":" + events.ref,
                          "event": events.event, "timestamp": events.timestamp.astype(str)})

    database, expected = interactions_from_database(), interactions_from_frame(frame)

    def entries(i):
        users = np.asarray(i.member_ids).astype(str)
        return sorted(zip(users[i.rows], np.asarray(i.item_keys)[i.cols], i.days.tolist(), np.round(i.weights, 6).tolist(),
                          i.strongest.tolist()))

    assert entries(database) == entries(expected)


def test_max_duplicates_keeps_the_largest_value_per_cell():
    rng = np.random.default_rng(0)
    rows, cols, values = rng.integers(0, 40, 3000), rng.integers(0, 30, 3000), rng.integers(0, 7, 3000).astype(np.int8)
    expected = np.zeros((40, 30), np.int64)
    np.maximum.at(expected, (rows, cols), values)

    assert (_max_duplicates(rows.astype(np.int32), cols.astype(np.int32), values, (40, 30)).toarray() == expected).all()
