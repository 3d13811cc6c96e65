"""The audit log: staff reads and changes of member data, with who and when; superusers read it in the admin."""

import pytest
from django.urls import reverse

from members.loyalty.ledger import adjust
from members.privacy.models import AuditEntry
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    """Sam, an administrator (with the second factor the admin asks of staff)."""
    return MemberFactory(email="sam@example.com", is_staff=True, is_superuser=True)


def test_a_ledger_adjustment_is_logged_with_who_and_when(member, superuser):
    adjust(member=member, source_key="goodwill:1", reason="Lost bag", staff=superuser, miles=2500)

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject) == (superuser, "ledger_adjustment", member)
    assert "+2500 miles" in entry.detail and "Lost bag" in entry.detail and entry.at


def test_audit_entries_are_never_changed(member, superuser):
    adjust(member=member, source_key="goodwill:1", reason="Lost bag", staff=superuser, miles=1)
    entry = AuditEntry.objects.get()
    entry.detail = "nothing happened"

    with pytest.raises(ValueError):
        entry.save()


def test_viewing_and_changing_a_member_in_the_admin_is_logged(client, member, superuser):
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=[member.pk])

    assert client.get(url).status_code == 200

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject) == (superuser, "view_member", member)


def test_downloading_a_list_from_the_admin_is_logged(client, superuser):
    client.force_login(superuser)

    response = client.get("/admin/corporate_leads/", {"export": "csv"})

    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (superuser, "admin_export") and "corporate_leads" in entry.detail


def test_superusers_read_the_audit_log_in_the_admin(client, member, superuser):
    adjust(member=member, source_key="goodwill:1", reason="Lost bag", staff=superuser, miles=2500)
    client.force_login(superuser)

    listing = client.get(reverse("privacy_audit_log:index"))

    assert listing.status_code == 200
    assert "Lost bag" in listing.content.decode()
    assert client.get(reverse("privacy_audit_log:add")).status_code in (302, 403)


def test_other_staff_do_not_see_the_audit_log(client, editor):
    client.force_login(editor)
    manager = MemberFactory(is_staff=True)
    from django.contrib.auth.models import Group

    manager.groups.add(Group.objects.get(name="Loyalty managers"))

    for user in (editor, manager):
        client.force_login(user)
        response = client.get(reverse("privacy_audit_log:index"))
        assert response.status_code in (302, 403)
        assert "Audit log" not in client.get("/admin/").content.decode()
