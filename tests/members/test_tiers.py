"""Tiers: thresholds, the qualification year, recalculation, history and notices."""

from datetime import date, datetime, timezone

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from members.loyalty.ledger import post_points
from members.loyalty.tiers import recalculate_tiers, tier_status
from members.loyalty.year import qualification_year
from members.models import Member, Notification, Tier, TierHistory

pytestmark = pytest.mark.django_db
ON = date(2026, 6, 30)


def earn(member, points, *, key="partner:1", day=date(2026, 4, 1)):
    post_points(member=member, source_key=key, kind="partner", miles=points, loyalty_points=points,
                occurred_at=datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


def tier_of(member):
    return Member.objects.get(pk=member.pk).tier_id


def test_the_seeded_programme_is_aadvantage_shaped():
    assert list(Tier.objects.programme().values_list("code", "qualifying_points", "earning_bonus_percent")) == [
        ("member", 0, 0), ("gold", 40_000, 40), ("platinum", 75_000, 60), ("platinum_pro", 125_000, 80),
        ("executive_platinum", 200_000, 120),
    ]
    assert all(t.contrast >= 4.5 for t in Tier.objects.all())


@pytest.mark.parametrize("day, start_year, end", [
    (date(2026, 3, 1), 2026, date(2027, 2, 28)),
    (date(2026, 2, 28), 2025, date(2026, 2, 28)),
    (date(2028, 2, 29), 2027, date(2028, 2, 29)),
])
def test_which_qualification_year_a_day_is_in(day, start_year, end):
    year = qualification_year(day)
    assert (year.start, year.end) == (date(start_year, 3, 1), end)
    assert year.status_valid_until == date(start_year + 2, 3, 31)


def test_39999_points_is_member_and_40000_is_gold(member, other_member):
    earn(member, 39_999)
    earn(other_member, 40_000)

    recalculate_tiers(on=ON)

    assert (tier_of(member), tier_of(other_member)) == ("member", "gold")


def test_an_upgrade_writes_history_one_notice_and_one_email(member, django_capture_on_commit_callbacks, eager_tasks):
    earn(member, 80_000)

    with django_capture_on_commit_callbacks(execute=True):
        result = recalculate_tiers(on=ON)

    assert result.upgrades == {"platinum": 1}
    change = TierHistory.objects.get(member=member)
    assert (change.old_tier_id, change.new_tier_id, change.reason, change.qualifying_points) == (
        "member", "platinum", "qualified", 80_000)
    notice = Notification.objects.get(member=member)
    assert "Platinum" in notice.message
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert TierHistory.objects.get(member=member).emailed_at is not None


def test_a_second_run_writes_nothing(member, other_member):
    earn(member, 130_000)
    recalculate_tiers(on=ON)

    again = recalculate_tiers(on=ON)

    assert again.changed == 0
    assert TierHistory.objects.count() == 1 and Notification.objects.count() == 1


def test_tiers_fall_only_at_the_year_end_review(member):
    earn(member, 50_000, day=date(2024, 6, 1))  # qualification year 2024/25: Gold until 31 March 2026
    recalculate_tiers(on=date(2025, 1, 1))
    assert tier_of(member) == "gold"

    assert recalculate_tiers(on=date(2026, 3, 31), year_end_review=True).changed == 0  # grace month
    assert recalculate_tiers(on=date(2026, 4, 1)).changed == 0  # an ordinary run never lowers
    review = recalculate_tiers(on=date(2026, 4, 1), year_end_review=True)

    assert review.downgrades == {"gold": 1} and tier_of(member) == "member"
    assert TierHistory.objects.filter(reason="year_end_review").count() == 1
    assert Notification.objects.count() == 1  # the upgrade only


def test_a_million_flown_miles_is_lifetime_gold(member):
    from members.loyalty.ledger import post_flight

    post_flight(member=member, source_key="long", distance_miles=1_000_000, cabin="economy", flown_on=date(2010, 5, 1))

    recalculate_tiers(on=ON)

    assert tier_of(member) == "gold"
    assert TierHistory.objects.get(member=member).reason == "lifetime"


def test_tier_card_tells_the_points_to_the_next_tier(member):
    earn(member, 31_000)

    status = tier_status(member, on=ON)

    assert (status.tier.code, status.next_tier.code, status.points_to_next, status.progress_percent) == (
        "member", "gold", 9_000, 77)
    assert status.year_end == date(2027, 2, 28)


def test_a_tier_colour_without_enough_contrast_is_refused():
    gold = Tier.objects.get(code="gold")
    gold.text_colour = "#FFFFFF"  # white on gold: 2.0:1
    with pytest.raises(ValidationError) as error:
        gold.full_clean()
    assert "text_colour" in error.value.message_dict


def test_a_threshold_must_stay_between_its_neighbours():
    gold = Tier.objects.get(code="gold")
    gold.qualifying_points = 80_000
    with pytest.raises(ValidationError) as error:
        gold.full_clean()
    assert "qualifying_points" in error.value.message_dict


def test_the_account_page_shows_the_tier_card_and_the_upgrade_notice(member_client, member):
    earn(member, 50_000, day=date.today())
    recalculate_tiers()

    page = member_client.get("/me/").content.decode()

    assert "Your status: Gold" in page
    assert 'role="progressbar"' in page and 'aria-valuenow="50000"' in page and 'aria-valuemax="75000"' in page
    assert "you are now Gold" in page
