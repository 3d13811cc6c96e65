"""factory_boy factories: build only what a test needs, with readable defaults."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

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


class EditorFactory(MemberFactory):
    """A content editor: may enter the Wagtail admin through Wagtail's `Editors` group."""

    email = factory.Sequence(lambda n: f"editor{n}@example.com")
    is_staff = False

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
