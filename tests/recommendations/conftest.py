"""A small world with planted structure: Florida fans and business commuters from JFK."""

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from django.core.cache import caches

from members.models import ActivityEvent, Member
from offers.models import Airport, Route

FLORIDA = ["MIA", "FLL", "TPA", "MCO", "PBI"]
BUSINESS = ["ORD", "BOS", "DFW", "LAX", "SFO", "SEA"]
END = datetime(2026, 6, 30, 12, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def recommender_settings(settings):
    """Small, fast, deterministic training; a clean recommender cache and process memory."""
    from recommendations.eligibility import forget_routes
    from recommendations.serving import forget_models

    settings.RECOMMENDER_ALS = {"factors": 8, "regularization": 1.0, "alpha": 1.0, "iterations": 8}
    settings.RECOMMENDER_TUNING_GRID = {"factors": [8], "regularization": [1.0, 10.0], "alpha": [1.0]}
    settings.RECOMMENDER_TUNING_ITERATIONS = None  # the grid fits like RECOMMENDER_ALS (8 sweeps): tiny world
    settings.RECOMMENDER_BLEND_WEIGHTS = [0.5]
    settings.RECOMMENDER_THREADS = 1
    caches[settings.RECOMMENDER_CACHE].clear()
    forget_models()
    forget_routes()
    yield settings
    try:
        caches[settings.RECOMMENDER_CACHE].clear()
    except Exception:  # noqa: BLE001 - a test that broke the cache on purpose
        pass
    forget_models()
    forget_routes()


def _airport(code):
    return Airport(iata=code, name=code, city=code, country="US", time_zone="America/New_York", latitude=0, longitude=0)


@pytest.fixture
def routes(db):
    Airport.objects.bulk_create([_airport(c) for c in ["JFK", "LGA", *FLORIDA, *BUSINESS]])
    Route.objects.bulk_create([Route(origin_id="JFK", destination_id=d, distance_miles=1000) for d in FLORIDA + BUSINESS])
    Route.objects.create(origin_id="LGA", destination_id="ORD", distance_miles=733)
    return Route.objects.all()


def plant(members, destinations, *, rng, sessions=4, home="JFK", prefix="m"):
    """Members who each plan `sessions` trips (on separate days) among `destinations`."""
    rows = []
    created = Member.objects.bulk_create([
        Member(email=f"{prefix}{i}@planted.example", member_number=f"{prefix[:2].upper()}{i:05d}"[:7], home_airport=home)
        for i in range(members)
    ])
    grant_all_consents(created)
    for member in created:
        taste = rng.choice(destinations, size=min(3, len(destinations)), replace=False)
        for s in range(sessions):
            when = END - timedelta(days=int(rng.integers(1, 300)), hours=s)
            ref = f"{home}-{rng.choice(taste)}"
            for event in ["search", "view", "view"] + (["book"] if rng.random() < 0.3 else []):
                rows.append(ActivityEvent(member=member, kind="route", ref=ref, event=event, occurred_at=when))
    ActivityEvent.objects.bulk_create(rows)
    return created


def grant_all_consents(members):
    """Planted members ticked every consent at sign-up (members.privacy), like MemberFactory's."""
    from members.privacy.consent import PURPOSES
    from members.privacy.models import ConsentRecord

    ConsentRecord.objects.bulk_create([ConsentRecord(member=m, purpose=p, granted=True, text_version="test",
                                                     source=ConsentRecord.Source.SIGNUP)
                                       for m in members for p in PURPOSES])


@pytest.fixture
def florida_world(routes):
    """60 Florida fans, 80 business commuters (so popularity near JFK is business routes)."""
    rng = np.random.default_rng(5)
    florida = plant(60, FLORIDA, rng=rng, prefix="fl")
    business = plant(80, BUSINESS, rng=rng, prefix="bz")
    return {"florida": florida, "business": business}
