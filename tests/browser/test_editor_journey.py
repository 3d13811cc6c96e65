"""An editor drafts an offer for Gold members from JFK and submits it; a moderator approves it; Gold from JFK sees it.

Runs the real Wagtail admin (snippet editor, moderation workflow) and the member's /offers/
in Chromium. Transactional tests flush the groups and the workflow the migrations made, so
`ensure_moderation()` puts them back the way the migrations do.
"""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group, Permission

from members.models import Tier
from offers.models import Offer
from tests.browser.conftest import ensure_home_page, sign_in
from tests.factories import TEST_PASSWORD, MemberFactory, activate_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Breakfast at the JFK lounge"
EDITOR_PERMISSIONS = ["add_offer", "change_offer", "view_offer", "lock_offer"]
MODERATOR_PERMISSIONS = EDITOR_PERMISSIONS + ["publish_offer", "delete_offer", "unlock_offer"]


def ensure_moderation():
    """Editors and Moderators with the offer permissions, and the 'Moderators approval' workflow on offers."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowTask

    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for name, codenames in (("Editors", EDITOR_PERMISSIONS), ("Moderators", MODERATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access, *Permission.objects.filter(content_type__app_label="offers", codename__in=codenames))
        groups[name] = group
    workflow, _ = Workflow.objects.get_or_create(name="Moderators approval")
    if not WorkflowTask.objects.filter(workflow=workflow).exists():  # (the cluster manager would not save it)
        task, _ = GroupApprovalTask.objects.get_or_create(name="Moderators approval")
        task.groups.set([groups["Moderators"]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.get_or_create(content_type=ContentType.objects.get_for_model(Offer), defaults={"workflow": workflow})
    return groups


def staff(email, group):
    person = MemberFactory(email=email, first_name=group.name[:-1], tier=Tier.objects.get(code="member"))
    person.groups.add(group)
    return person, activate_totp(person)


def sign_in_with_code(page, email, secret):
    sign_in(page, email, TEST_PASSWORD)
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def new_reader(page, live_server):
    """A fresh browser context (a new person at the same site)."""
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    return context.new_page()


def test_an_editor_targets_an_offer_a_moderator_publishes_and_only_gold_from_jfk_sees_it(page, screenshot, live_server):
    ensure_home_page()
    groups = ensure_moderation()
    editor, editor_secret = staff("edith@example.com", groups["Editors"])
    moderator, moderator_secret = staff("mo@example.com", groups["Moderators"])
    gold = MemberFactory(email="gold@example.com", tier=Tier.objects.get(code="gold"), home_airport="JFK")
    plain = MemberFactory(email="member@example.com", tier=Tier.objects.get(code="member"), home_airport="JFK")

    # The editor drafts the offer in the admin and submits it for moderation.
    sign_in_with_code(page, editor.email, editor_secret)
    page.goto("/admin/snippets/offers/offer/add/")
    page.locator("input[name=title]").fill(TITLE)
    page.locator("input[name=slug]").fill("jfk-gold-breakfast")
    page.locator("input[name=summary]").fill("Gold from JFK: breakfast on us before a morning flight.")
    page.locator("select[name=category]").select_option("lounge")
    page.locator("select[name=tiers]").select_option(label="Gold")
    page.locator("input[name=home_airports]").fill("JFK")
    screenshot(page, "editor-drafts")
    page.locator("footer").get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit to Moderators approval").click()
    offer = Offer.objects.get(slug="jfk-gold-breakfast")
    assert not offer.live and offer.workflow_in_progress
    assert set(offer.tiers.values_list("code", flat=True)) == {"gold"} and offer.home_airports == "JFK"
    assert not Offer.objects.live_at().filter(pk=offer.pk).exists()
    screenshot(page, "editor-submitted")

    reader = new_reader(page, live_server)
    sign_in(reader, gold.email, TEST_PASSWORD)
    reader.goto("/offers/")
    assert TITLE not in reader.locator("main").inner_text()  # not live before a moderator approves
    reader.context.close()

    # The moderator approves and publishes it.
    moderating = new_reader(page, live_server)
    sign_in_with_code(moderating, moderator.email, moderator_secret)
    moderating.goto(f"/admin/snippets/offers/offer/edit/{offer.pk}/")
    moderating.locator("footer").get_by_role("button", name="More actions").click()
    with moderating.expect_navigation():
        moderating.locator("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])").click()
    screenshot(moderating, "moderator-approved")
    offer.refresh_from_db()
    assert offer.live and Offer.objects.live_at().filter(pk=offer.pk).exists()
    moderating.context.close()

    # Gold from JFK sees it; a member of the lowest tier does not.
    for who, sees in ((gold, True), (plain, False)):
        reader = new_reader(page, live_server)
        sign_in(reader, who.email, TEST_PASSWORD)
        reader.goto("/offers/")
        assert (TITLE in reader.locator("main").inner_text()) is sees, who.email
        screenshot(reader, f"offers-as-{who.tier_id}")
        if sees:
            reader.get_by_role("link", name=TITLE).click()
            assert reader.get_by_role("heading", level=1).inner_text() == TITLE
            screenshot(reader, "offer-detail")
        reader.context.close()


def test_an_editor_previews_the_offers_as_gold_from_jfk_next_week(page, screenshot, live_server):
    import datetime as dt

    from django.utils import timezone

    from offers.models import Segment, SegmentRule

    ensure_home_page()
    groups = ensure_moderation()
    groups["Editors"].permissions.add(*Permission.objects.filter(content_type__app_label="offers", codename__endswith="_segment"))
    editor, secret = staff("edith@example.com", groups["Editors"])
    segment = Segment.objects.create(name="JFK Gold and up", description="Gold and above from JFK")
    SegmentRule.objects.create(segment=segment, kind="tier", values="gold platinum platinum_pro executive_platinum")
    SegmentRule.objects.create(segment=segment, kind="home_airport", values="JFK")
    MemberFactory(tier=Tier.objects.get(code="gold"), home_airport="JFK")
    offer = Offer.objects.create(title="Holiday fares", slug="holiday-fares", summary="Next week", category="fare_sale", live=True,
                                 go_live_at=timezone.now() + dt.timedelta(days=5))
    offer.segments.set([segment])

    sign_in_with_code(page, editor.email, secret)
    page.goto("/admin/snippets/offers/segment/")
    row = page.locator("tr", has_text="JFK Gold and up")
    assert "Holiday fares" in row.inner_text() and "1" in row.inner_text()
    screenshot(page, "segments")
    page.goto("/admin/preview-as-member/")
    page.get_by_label("or a tier").select_option("gold")
    page.get_by_label("and a home airport").fill("JFK")
    page.get_by_label("As of").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Preview").click()
    assert "Holiday fares" in page.locator("table.listing").inner_text()
    screenshot(page, "preview-next-week")
    page.get_by_label("As of").fill("")
    with page.expect_navigation():  # wait for the new answer, not the page being replaced
        page.get_by_role("button", name="Preview").click()
    assert page.locator("table.listing").count() == 0 and "No offer for this reader" in page.locator("main").inner_text()
