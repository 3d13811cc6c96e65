"""factory_boy factories: build only what a test needs, with readable defaults."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission

from members.models import ActivityEvent, Member

TEST_PASSWORD = "Wayfare-Test-Pass-2026"


class MemberFactory(factory.django.DjangoModelFactory):
    """A member who can sign in: a usable password and a verified primary e-mail.

    `MemberFactory(verified=False)` leaves the e-mail unverified (the account exists,
    the sign-in is refused until the e-mail is confirmed).
    """

    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    home_airport = "JFK"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """The primary e-mail address allauth signs in with; verified unless told otherwise."""
        if create:
            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"primary": True, "verified": True if extracted is None else extracted}
            )


    @factory.post_generation
    def consents(obj, create, extracted, **kwargs):
        """The three consents of sign-up (members.privacy), all ticked unless told otherwise:
        `MemberFactory(consents={"analytics": False})` or `consents=False` for none at all."""
        if not create or extracted is False:
            return
        from members.privacy.consent import PURPOSES, record_consents
        from members.privacy.models import ConsentRecord

        choices = {purpose: True for purpose in PURPOSES} | dict(extracted or {})
        record_consents(member=obj, choices=choices, source=ConsentRecord.Source.SIGNUP)

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        """Staff have an activated TOTP authenticator (the admin asks for one): on for is_staff,
        or with `second_factor=True`; `second_factor=False` leaves it out."""
        if create and (extracted if extracted is not None else obj.is_staff):
            activate_totp(obj)


def activate_totp(member):
    """An activated TOTP authenticator for `member`; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    return secret


class EditorFactory(MemberFactory):
    """A content editor: may enter the Wagtail admin through Wagtail's `Editors` group (with a second factor)."""

    email = factory.Sequence(lambda n: f"editor{n}@example.com")
    is_staff = False

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            activate_totp(obj)

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name="Editors"))


class ActivityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityEvent

    member = factory.SubFactory(MemberFactory)
    kind = "route"
    ref = "JFK-LAX"
    event = ActivityEvent.Event.VIEW


def customer_service_group():
    """The group members/0013 makes, made again if a transactional test before this one flushed it."""
    group, _ = Group.objects.get_or_create(name="Customer service")
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="members", codename__in=["view_servicecase", "change_servicecase", "view_member"]))
    group.permissions.add(*Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group
