"""`import_activity` and `evaluate_recommender`: the analysts' commands."""

import io
import json

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from members.models import ActivityEvent, Member
from recommendations.training import pipeline
from tests.recommendations.conftest import grant_all_consents

pytestmark = pytest.mark.django_db

HEADER = "member,item_kind,item_ref,event,timestamp\n"


@pytest.fixture
def ana(db):
    member = Member.objects.create(email="ana@example.com", member_number="WF00001", home_airport="JFK")
    grant_all_consents([member])
    return member


@pytest.fixture
def bo(db):
    """A member who never allowed analytics."""
    return Member.objects.create(email="bo@example.com", member_number="WF00002", home_airport="JFK")


def write(tmp_path, text, name="activity.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_file_with_a_bad_line_imports_nothing_and_names_the_line(tmp_path, ana):
    path = write(tmp_path, HEADER
                 + "ana@example.com,route,JFK-MIA,search,2026-05-01T09:30:00+08:00\n"
                 + "WF00001,route,JFK-MIA,teleport,2026-05-01T10:00:00Z\n"
                 + "nobody@example.com,route,JFK-LAX,view,2026-05-02T10:00:00Z\n"
                 + "ana@example.com,route,JFK-LAX,view,yesterday\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 lines, 1 good, 3 bad: nothing imported"):
        call_command("import_activity", path, stdout=io.StringIO(), stderr=err)

    assert ActivityEvent.objects.count() == 0
    report = err.getvalue().splitlines()
    assert report[0].startswith("line 3: unknown event 'teleport'")
    assert report[1].startswith("line 4: no member with e-mail or number 'nobody@example.com'")
    assert report[2].startswith("line 5: timestamp 'yesterday' is not an ISO 8601")


def test_skip_invalid_imports_the_good_lines_by_email_or_member_number(tmp_path, ana):
    path = write(tmp_path, HEADER
                 + "ANA@example.com,route,JFK-MIA,search,2026-05-01T09:30:00+08:00\n"
                 + "wf00001,offer,spring-sale,claim,2026-05-01 10:00:00\n"
                 + "ana@example.com,route,,view,2026-05-02T10:00:00Z\n")
    out, err = run("import_activity", path, "--skip-invalid")

    assert "line 4: item_ref must be 1–64 characters" in err
    assert "2 events imported" in out
    events = {(e.kind, e.ref, e.event, e.occurred_at.isoformat()) for e in ana.activity.all()}
    assert events == {("route", "JFK-MIA", "search", "2026-05-01T01:30:00+00:00"),
                      ("offer", "spring-sale", "claim", "2026-05-01T10:00:00+00:00")}  # no offset: UTC


def test_importing_the_same_file_twice_adds_nothing(tmp_path, ana):
    path = write(tmp_path, HEADER + "ana@example.com,route,JFK-MIA,book,2026-05-01T09:30:00Z\n")
    run("import_activity", path)
    out, _err = run("import_activity", path)

    assert ActivityEvent.objects.count() == 1
    assert "0 events imported, 1 already there" in out


def test_members_without_analytics_consent_are_left_out(tmp_path, ana, bo):
    path = write(tmp_path, HEADER + "ana@example.com,route,JFK-MIA,book,2026-05-01T09:30:00Z\n"
                 + "bo@example.com,route,JFK-MIA,book,2026-05-01T09:30:00Z\n")
    out, _err = run("import_activity", path)

    assert list(ActivityEvent.objects.values_list("member__email", flat=True)) == ["ana@example.com"]
    assert "1 left out (no analytics consent)" in out


def test_a_file_without_the_columns_is_refused(tmp_path, ana):
    path = write(tmp_path, "who,what\nana@example.com,JFK-MIA\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_activity", path, stdout=io.StringIO(), stderr=err)
    assert "line 1: missing columns: member, item_kind, item_ref, event, timestamp" in err.getvalue()


def test_a_future_timestamp_and_a_repeated_event_are_bad_lines(tmp_path, ana):
    path = write(tmp_path, HEADER + "ana@example.com,route,JFK-MIA,book,2026-05-01T09:30:00Z\n"
                 + "ana@example.com,route,JFK-MIA,book,2026-05-01T09:30:00Z\n"
                 + "ana@example.com,route,JFK-MIA,book,2999-01-01T00:00:00Z\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_activity", path, stdout=io.StringIO(), stderr=err)
    assert "line 3: the same event as line 2" in err.getvalue()
    assert "line 4: timestamp 2999-01-01T00:00:00Z is in the future" in err.getvalue()


# --- evaluate_recommender -----------------------------------------------------------------------


def planted_dataset(path, users=120, seed=3):
    """Two taste groups over 30 items, six active days each: ALS has something to find."""
    rng = np.random.default_rng(seed)
    rows = []
    for user in range(users):
        group = user % 2
        taste = rng.choice(np.arange(15) + 15 * group, size=4, replace=False)
        for day in range(6):
            item = int(rng.choice(taste))
            for event in ("search", "view") + (("book",) if rng.random() < 0.3 else ()):
                rows.append((f"u{user}", f"route:I{item:02d}", event, f"2026-0{1 + day}-1{group}T08:00:00Z"))
    pd.DataFrame(rows, columns=["user", "item", "event", "timestamp"]).to_csv(path, index=False)
    return path


def test_evaluating_a_dataset_touches_no_database(tmp_path, django_assert_num_queries):
    path = planted_dataset(tmp_path / "planted.csv")
    out = io.StringIO()
    with django_assert_num_queries(0):
        call_command("evaluate_recommender", "--dataset", str(path), "--json", stdout=out)

    result = json.loads(out.getvalue())
    assert set(result["metrics"]) >= {"popularity", "history", "als", "blend", "protocol"}
    assert result["counts"]["members"] == 120 and result["metrics"]["protocol"]["members"] == 120
    assert result["tuning"]["grid"]  # the same tuning as a training run
    assert result["serving"] in ("als", "blend", "history", "popularity")
    assert result["metrics"]["als"]["ndcg"] > result["metrics"]["popularity"]["ndcg"]


def test_a_dataset_table_names_every_model_and_what_would_serve(tmp_path):
    path = planted_dataset(tmp_path / "planted.csv")
    out, _err = run("evaluate_recommender", "--dataset", str(path), "--no-tune")
    for name in ("popularity", "history", "als", "blend", "← serves", "NDCG@10"):
        assert name in out


def test_a_dataset_with_the_wrong_columns_is_a_clear_error(tmp_path):
    path = write(tmp_path, "user,item\nu1,route:A\n", name="bad.csv")
    with pytest.raises(CommandError, match="missing columns event, timestamp"):
        call_command("evaluate_recommender", "--dataset", path, stdout=io.StringIO())


def test_without_a_dataset_it_prints_the_active_versions_stored_metrics(florida_world):
    version = pipeline.train(tune=False)
    out = io.StringIO()
    call_command("evaluate_recommender", "--json", stdout=out)
    result = json.loads(out.getvalue())

    assert result["version"] == version.pk and result["metrics"] == json.loads(json.dumps(version.metrics))
    table, _err = run("evaluate_recommender")
    assert f"version {version.pk}" in table and version.verdict in table


def test_without_a_dataset_or_a_version_it_says_what_to_do(db):
    with pytest.raises(CommandError, match="train_recommender"):
        call_command("evaluate_recommender", stdout=io.StringIO())
