from datetime import date

import pytest
from django.core.management import call_command

from offers.demo.airports import load_airports
from offers.demo.return_legs import load_return_legs
from offers.demo.timetable import load_timetable
from offers.models import Airport, Route, ScheduledFlight


@pytest.fixture(scope="module")
def timetable_2013(django_db_setup, django_db_blocker):
    """Airports and the 2013 timetable, loaded once for a module and removed after it."""
    with django_db_blocker.unblock():
        load_airports()
        load_timetable()
        yield
        ScheduledFlight.objects.all().delete()
        Route.objects.all().delete()
        Airport.objects.all().delete()


@pytest.fixture
def timetable(db):
    """Airports, the 2013 timetable and its derived returns, in this test's transaction."""
    load_airports()
    load_timetable()
    load_return_legs()


@pytest.fixture
def fast_passwords(settings):
    """Demo accounts hash their password once each; MD5 keeps that instant in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def load_demo(fast_passwords):
    def run(members=50, seed=2013, as_of="2026-06-30"):
        call_command("load_demo", members=members, seed=seed, as_of=date.fromisoformat(as_of), verbosity=0)

    return run
