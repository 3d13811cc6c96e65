"""Training, activation and serving on a world with planted structure."""

import pytest
from django.core.cache import caches
from django.core.management import call_command

from members.models import ActivityEvent
from recommendations import serve
from recommendations.models import ModelVersion
from recommendations.serving import fallback
from recommendations.training import pipeline
from recommendations.training.scorers import ALS
from tests.recommendations.conftest import END, FLORIDA

pytestmark = pytest.mark.django_db


def florida_share(items):
    return sum(item.ref.split("-")[1] in FLORIDA for item in items) / len(items)


@pytest.fixture
def fan(florida_world):
    """A member who has only looked at one Florida route."""
    from tests.recommendations.conftest import plant
    import numpy as np

    (member,) = plant(1, ["MIA"], rng=np.random.default_rng(1), sessions=2, prefix="fan")
    return member


def test_members_who_use_florida_routes_get_florida_routes_and_popularity_does_not(fan):
    version = pipeline.train(tune=True)

    served = serve(fan, "route", n=5)

    assert version.is_active and version.serving in ("als", "blend")
    assert len(served) == 5 and not any(item.is_fallback for item in served)
    assert florida_share(served) == 1.0
    assert served[0].explanation.startswith("Because you ")
    assert florida_share(fallback(fan, "route", n=5)) < 0.5  # most popular near JFK: business routes


def test_training_stores_metrics_for_the_model_and_both_baselines(florida_world):
    version = pipeline.train(tune=False)

    for name in ("popularity", "history", "als", "blend"):
        assert set(version.metrics[name]) >= {"precision", "recall", "ndcg", "map", "coverage"}
    assert version.artifact.storage.exists(version.artifact.name)
    assert version.data_counts["members"] == 140
    assert version.note == version.verdict


def test_a_training_that_raises_leaves_the_old_version_active_and_serving(fan, monkeypatch):
    first = pipeline.train(tune=False)
    before = serve(fan, "route", n=5)

    def broken_fit(self, matrix, callback=None):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(ALS, "fit", broken_fit)
    with pytest.raises(RuntimeError):
        pipeline.train(tune=False)

    assert ModelVersion.objects.get(is_active=True) == first
    assert ModelVersion.objects.exclude(pk=first.pk).get().status == ModelVersion.Status.FAILED
    after = serve(fan, "route", n=5)
    assert [i.ref for i in after] == [i.ref for i in before] and after[0].version_id == first.pk


def test_an_activation_that_fails_leaves_the_old_version_active(fan, monkeypatch):
    first = pipeline.train(tune=False)

    def broken_precompute(version, **kwargs):
        raise ConnectionError("cache went away")

    monkeypatch.setattr("recommendations.serving.precompute", broken_precompute)
    with pytest.raises(ConnectionError):
        pipeline.train(tune=False)

    assert ModelVersion.objects.get(is_active=True) == first
    assert serve(fan, "route", n=3)[0].version_id == first.pk


def test_a_model_that_does_not_beat_the_best_baseline_does_not_serve():
    version = ModelVersion(metrics={
        "popularity": {"ndcg": 0.30}, "history": {"ndcg": 0.52}, "als": {"ndcg": 0.50}, "blend": {"ndcg": 0.51},
    })

    assert version.decide_serving() == "history"
    assert version.verdict.startswith("baseline serves (history)")


def test_without_a_model_the_member_gets_popular_routes_from_home_marked_as_fallback(florida_world, member):
    served = serve(member, "route", n=3)

    assert served and all(item.is_fallback and item.source == "popularity" for item in served)
    assert all(item.ref.startswith("JFK-") for item in served)
    assert "JFK" in served[0].explanation


def test_a_member_the_model_does_not_know_gets_the_fallback(florida_world, member):
    pipeline.train(tune=False)

    served = serve(member, "route", n=3)

    assert served and all(item.is_fallback for item in served)


def test_only_routes_flown_from_the_members_home_airport_are_served(fan):
    ActivityEvent.objects.create(member=fan, kind="route", ref="LGA-ORD", event="book", occurred_at=END)
    pipeline.train(tune=False)

    served = serve(fan, "route", n=20)

    assert served and all(item.ref.startswith("JFK-") for item in served)
    assert serve(fan, "news", n=5) == []  # a kind without an eligibility rule serves nothing


class RaisingCache:
    """Stands in for a cache whose server is gone."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis is down")

        return fail


@pytest.fixture
def cache_raises(monkeypatch):
    import recommendations.serving as serving

    monkeypatch.setattr(serving, "_cache", lambda: RaisingCache())


def test_a_cache_that_raises_still_serves_the_model_from_its_artifact(fan, monkeypatch):
    pipeline.train(tune=False)
    import recommendations.serving as serving

    serving.forget_models()
    monkeypatch.setattr(serving, "_cache", lambda: RaisingCache())

    served = serve(fan, "route", n=5)

    assert len(served) == 5 and not any(item.is_fallback for item in served)


def test_a_cache_that_raises_and_no_model_serves_the_fallback(florida_world, member, cache_raises):
    served = serve(member, "route", n=3)

    assert served and all(item.is_fallback for item in served)


@pytest.mark.services("redis")
def test_redis_unreachable_serves_the_fallback(florida_world, member, settings):
    settings.CACHES = {**settings.CACHES, "recommendations": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }}

    served = serve(member, "route", n=3)

    assert served and all(item.is_fallback for item in served)


def test_a_broken_artifact_serves_the_fallback(fan):
    version = pipeline.train(tune=False)
    version.artifact.storage.delete(version.artifact.name)
    import recommendations.serving as serving

    serving.forget_models()
    caches["recommendations"].clear()

    served = serve(fan, "route", n=3)

    assert served and all(item.is_fallback for item in served)


def test_members_without_consent_leave_the_matrix_and_get_the_non_personal_list(fan, settings):
    settings.RECOMMENDER_CONSENT_FILTER = "tests.recommendations.test_training_and_serving.everyone_but_fans"

    version = pipeline.train(tune=False)

    assert version.data_counts["members"] == 140  # the fan's events were left out
    assert all(item.is_fallback for item in serve(fan, "route", n=3))


def everyone_but_fans(members):
    return members.exclude(email__startswith="fan")


def test_train_recommender_command_end_to_end(florida_world, capsys):
    call_command("train_recommender")

    out = capsys.readouterr().out
    assert "NDCG@10" in out and "popularity" in out and "history" in out
    assert ModelVersion.objects.get(is_active=True).status == "ready"


def test_rollback_reactivates_the_previous_version(florida_world):
    first = pipeline.train(tune=False)
    second = pipeline.train(tune=False)
    assert second.is_active

    call_command("recommender_rollback", verbosity=0)

    assert ModelVersion.objects.get(is_active=True) == first


def test_only_the_last_versions_are_kept(florida_world, settings):
    settings.RECOMMENDER_KEEP_VERSIONS = 2
    versions = [pipeline.train(tune=False) for _ in range(3)]

    assert list(ModelVersion.objects.order_by("pk")) == versions[1:]
    assert not versions[0].artifact.storage.exists(versions[0].artifact.name)


@pytest.mark.django_db
def test_a_dismissed_item_leaves_the_training_matrix():
    from members.models import ActivityEvent
    from recommendations.models import Dismissal
    from recommendations.training.matrix import interactions_from_database
    from tests.factories import MemberFactory

    member = MemberFactory()
    for ref in ("JFK-MIA", "JFK-LAX"):
        ActivityEvent.objects.create(member=member, kind="route", ref=ref, event="book")
    Dismissal.objects.create(member=member, kind="route", ref="JFK-MIA")
    interactions = interactions_from_database()
    items = {interactions.item_keys[c] for c in interactions.cols}
    assert items == {"route:JFK-LAX"}


@pytest.mark.django_db
def test_explanations_speak_the_members_language():
    from django.utils import translation

    from members.models import ActivityEvent
    from tests.factories import MemberFactory

    from offers.models import Airport, Route
    from recommendations.eligibility import forget_routes

    for code, zone in (("JFK", "America/New_York"), ("MIA", "America/New_York")):
        Airport.objects.create(iata=code, name=code, city=code, country="US", time_zone=zone, latitude=0, longitude=0)
    Route.objects.create(origin_id="JFK", destination_id="MIA", distance_miles=1089)
    forget_routes()
    someone = MemberFactory(home_airport="JFK")
    ActivityEvent.objects.create(member=someone, kind="route", ref="JFK-MIA", event="book")
    member = MemberFactory(home_airport="JFK")
    with translation.override("zh-hant"):
        served = fallback(member, "route", n=3)
    assert served and served[0].explanation == "從 JFK 出發的會員最常選擇"
    assert fallback(member, "route", n=3)[0].explanation == "Popular with members flying from JFK"
