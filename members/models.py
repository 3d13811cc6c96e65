"""The member: e-mail is the login; a member number identifies them to the airline."""

import secrets
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.loyalty.models import BASE_TIER_CODE, LedgerEntry, Notification, Tier, TierChange, TierHistory  # noqa: F401
from members.privacy.models import AuditEntry, ConsentRecord  # noqa: F401 - registered in this app
from members.validators import validate_iata_airport

# No 0/O, 1/I/L: a member reads their number out on the phone.
MEMBER_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MEMBER_NUMBER_LENGTH = 7


def new_member_number(rng=secrets):
    return "".join(rng.choice(MEMBER_NUMBER_ALPHABET) for _ in range(MEMBER_NUMBER_LENGTH))


class Cabin(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    PREMIUM_ECONOMY = "premium", _("Premium Economy")
    BUSINESS = "business", _("Business")
    FIRST = "first", _("First")


class TravelInterest(models.TextChoices):
    BEACHES = "beaches", _("Beaches and islands")
    CITIES = "cities", _("City breaks")
    BUSINESS = "business", _("Business travel")
    FAMILY = "family", _("Family holidays")
    SKIING = "skiing", _("Skiing and mountains")
    FOOD = "food", _("Food and wine")
    CULTURE = "culture", _("Culture and museums")
    NATURE = "nature", _("Nature and national parks")
    SPORTS = "sports", _("Sports events")
    SHOPPING = "shopping", _("Shopping")


class MemberManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("A member needs an e-mail address.")
        member = self.model(email=self.normalize_email(email).lower(), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class Member(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    member_number = models.CharField(
        _("member number"), max_length=MEMBER_NUMBER_LENGTH, unique=True, default=new_member_number, editable=False
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    home_airport = models.CharField(
        _("home airport"), max_length=3, blank=True, validators=[validate_iata_airport],
        help_text=_("The three-letter IATA code of the airport you usually fly from, such as JFK."),
    )
    preferred_cabin = models.CharField(_("preferred cabin"), max_length=16, choices=Cabin.choices, default=Cabin.ECONOMY)
    travel_interests = models.JSONField(_("travel interests"), default=list, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The tier held now; written only by members.loyalty.tiers.recalculate_tiers (docs/loyalty.md).
    tier = models.ForeignKey(
        Tier, to_field="code", default=BASE_TIER_CODE, on_delete=models.PROTECT, related_name="members",
        verbose_name=_("tier"),
    )
    # The language e-mails are written in: the site language of the first sign-in, or as chosen on the profile.
    language = models.CharField(_("language for e-mails"), max_length=10, blank=True, choices=settings.LANGUAGES)

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(Lower("email"), name="member_email_case_insensitive_unique")]

    def __str__(self):
        return f"{self.get_full_name() or self.email} ({self.member_number})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if self.home_airport:
            self.home_airport = self.home_airport.strip().upper()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    def email_language(self):
        """The language to write to this member in: their own, else the site's default."""
        return self.language or settings.LANGUAGE_CODE

    def miles_balance(self):
        """Redeemable miles: the sum of the ledger."""
        from members.loyalty.ledger import miles_balance

        return miles_balance(self)

    def qualifying_points(self, on=None):
        """Loyalty Points earned in the qualification year that `on` (default today) is in."""
        from members.loyalty.ledger import qualifying_points

        return qualifying_points(self, on=on)

    def points_to_next_tier(self, on=None):
        """Loyalty Points still needed this qualification year for the next tier; None at the top."""
        from members.loyalty.tiers import tier_status

        return tier_status(self, on=on).points_to_next

    @property
    def travel_interest_labels(self):
        labels = dict(TravelInterest.choices)
        return [labels[i] for i in self.travel_interests if i in labels]


class ActivityEvent(models.Model):
    """One thing a member did with an item: the recommender's raw material.

    `kind` is the item's kind (route, offer, news …) and `ref` its reference within
    that kind (`JFK-LAX`, an offer's slug). Events never point at other apps' rows, so
    an item can be removed without losing the history that trained the model.
    """

    class Event(models.TextChoices):
        SEARCH = "search", _("search")
        VIEW = "view", _("view")
        CLICK = "click", _("click")
        SAVE = "save", _("save")
        UNSAVE = "unsave", _("remove")
        CLAIM = "claim", _("claim")
        BOOK = "book", _("book")

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        MOBILE = "mobile", _("mobile app")
        CALL_CENTRE = "call_centre", _("call centre")
        DEMO = "demo", _("demo generator")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="activity")
    kind = models.CharField(max_length=16)
    ref = models.CharField(max_length=64)
    event = models.CharField(max_length=16, choices=Event.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Who sent the event names it once; a second delivery of the same id is ignored.
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["member", "kind", "occurred_at"]), models.Index(fields=["kind", "ref"])]
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.member_id} {self.event} {self.kind}:{self.ref}"


class Trip(models.Model):
    """A trip the member planned: one flight, or an outbound and a return."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="trips")
    name = models.CharField(_("name"), max_length=80)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def starts_at(self):
        return min(leg.departs_at for leg in self.legs.all())

    @property
    def ends_at(self):
        return max(leg.arrives_at for leg in self.legs.all())


class TripLeg(models.Model):
    """One flight of a trip, as it was in the timetable when the member saved it.

    Instants are stored in UTC with each airport's zone, so the trip shows and exports
    correct local times even if the timetable changes later.
    """

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="legs")
    sequence = models.PositiveSmallIntegerField(default=0)
    flight_designator = models.CharField(_("flight"), max_length=8)
    route_ref = models.CharField(max_length=7)
    origin = models.CharField(max_length=3)
    origin_name = models.CharField(max_length=128)
    origin_time_zone = models.CharField(max_length=64)
    destination = models.CharField(max_length=3)
    destination_name = models.CharField(max_length=128)
    destination_time_zone = models.CharField(max_length=64)
    departs_at = models.DateTimeField()
    arrives_at = models.DateTimeField()
    departure_hour = models.PositiveSmallIntegerField(help_text=_("Local hour of departure: the member's habit"))
    cabin = models.CharField(max_length=16, choices=Cabin.choices, default=Cabin.ECONOMY)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "sequence"], name="trip_leg_unique_sequence"),
            models.CheckConstraint(condition=models.Q(arrives_at__gt=models.F("departs_at")), name="trip_leg_arrives_after_departure"),
        ]

    def __str__(self):
        return f"{self.flight_designator} {self.route_ref} {self.departs_at:%Y-%m-%d}"

    @property
    def local_departure(self):
        return timezone.localtime(self.departs_at, ZoneInfo(self.origin_time_zone))

    @property
    def local_arrival(self):
        return timezone.localtime(self.arrives_at, ZoneInfo(self.destination_time_zone))


class SignIn(models.Model):
    """A successful sign-in (allauth's `user_logged_in`): the member's timeline and their security record.

    Account-security data, recorded whatever the analytics consent; erased with the member.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=32, blank=True, help_text=_("How: password, code, e-mail confirmation …"))

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["member", "-at"])]


class EmailSent(models.Model):
    """An e-mail the portal sent a member (weekly offers, a customer-service answer …).

    `(member, kind, key)` is unique: the key names one e-mail for good (the weekly one's
    ISO week, a case reply's message id), so a rerun or a redelivered task sends nothing twice.
    """

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("weekly offers")
        CASE_REPLY = "case_reply", _("customer service answer")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="emails_sent")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=64)
    subject = models.CharField(_("subject"), max_length=255)
    language = models.CharField(_("language"), max_length=10)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        constraints = [models.UniqueConstraint(fields=["member", "kind", "key"], name="email_sent_once_per_key")]

    def __str__(self):
        return f"{self.member_id} {self.kind} {self.key}"


from members.cases.models import CaseMessage, ServiceCase  # noqa: E402, F401 - registered in this app
