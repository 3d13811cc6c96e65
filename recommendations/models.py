"""Model versions: every training run, its numbers, its artifact, and which one serves."""

import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

PERSONAL_STRATEGIES = ("als", "blend")
BASELINE_STRATEGIES = ("popularity", "history")


class ModelVersionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).first()


class ModelVersion(models.Model):
    """One training run. Exactly one version at most is active: its artifact serves.

    `serving` says what the active version serves: the model (`als` or `blend`) when it
    beat the best baseline on NDCG@10 in its own evaluation, otherwise that baseline
    (`history` or `popularity`, computed from the same run's data).
    """

    class Status(models.TextChoices):
        TRAINING = "training", _("training")
        READY = "ready", _("trained")
        FAILED = "failed", _("failed")

    class Serving(models.TextChoices):
        ALS = "als", _("ALS model")
        BLEND = "blend", _("ALS blended with own history")
        HISTORY = "history", _("baseline: the member's own history")
        POPULARITY = "popularity", _("baseline: most popular near home")

    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.TRAINING)
    is_active = models.BooleanField(_("active"), default=False)
    serving = models.CharField(_("serves"), max_length=16, choices=Serving.choices, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    data_counts = models.JSONField(_("data counts"), default=dict, blank=True)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True, help_text=_("Test-day metrics per model and baseline"))
    tuning = models.JSONField(_("tuning"), default=dict, blank=True)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    artifact = models.FileField(_("artifact"), upload_to="recommender/", blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ModelVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recommender model version")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="one_active_model_version"),
            models.CheckConstraint(condition=~models.Q(is_active=True) | models.Q(status="ready"), name="only_ready_versions_serve"),
        ]

    def __str__(self):
        return f"v{self.pk} {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    # --- questions about this version ---------------------------------------------------

    def ndcg(self, name):
        return (self.metrics.get(name) or {}).get("ndcg")

    @property
    def best_model(self):
        scored = [(self.ndcg(n), n) for n in PERSONAL_STRATEGIES if self.ndcg(n) is not None]
        return max(scored)[1] if scored else None

    @property
    def best_baseline(self):
        scored = [(self.ndcg(n), n) for n in BASELINE_STRATEGIES if self.ndcg(n) is not None]
        return max(scored)[1] if scored else None

    @property
    def beats_baseline(self):
        model, baseline = self.best_model, self.best_baseline
        return bool(model and baseline and self.ndcg(model) > self.ndcg(baseline))

    def decide_serving(self):
        """The activation rule: the best model if it beats the best baseline on NDCG@10, else that baseline."""
        if self.beats_baseline:
            return self.best_model
        return self.best_baseline or self.Serving.POPULARITY

    @property
    def verdict(self):
        model, baseline = self.best_model, self.best_baseline
        if not model or not baseline:
            return ""
        if self.beats_baseline:
            return f"{model} serves: NDCG@10 {self.ndcg(model):.4f} > {baseline} {self.ndcg(baseline):.4f}"
        return f"baseline serves ({baseline}): model NDCG@10 {self.ndcg(model):.4f} ≤ {baseline} {self.ndcg(baseline):.4f}"

    # --- the state change -------------------------------------------------------------------

    def activate(self, serving=None):
        """Make this version the one that serves, in one transaction; the cache pointer follows on commit."""
        if self.status != self.Status.READY or not self.artifact:
            raise ValueError(f"version {self.pk} is not a finished training run with an artifact")
        with transaction.atomic():
            list(ModelVersion.objects.select_for_update().filter(is_active=True))
            ModelVersion.objects.filter(is_active=True).exclude(pk=self.pk).update(is_active=False)
            self.is_active = True
            self.serving = serving or self.serving or self.decide_serving()
            self.save(update_fields=["is_active", "serving"])
            transaction.on_commit(_forget_active_pointer)
        return self

    def delete_artifact(self):
        if self.artifact:
            self.artifact.storage.delete(self.artifact.name)


def _forget_active_pointer():
    from recommendations.serving import forget_active_version

    forget_active_version()


def prune_versions(keep=None):
    """Keep the newest `keep` versions (the active one always); remove the others and their artifacts."""
    keep = keep or settings.RECOMMENDER_KEEP_VERSIONS
    old = ModelVersion.objects.filter(is_active=False).order_by("-created_at", "-pk")[max(keep - 1, 0):]
    removed = 0
    for version in list(old):
        version.delete_artifact()
        version.delete()
        removed += 1
    return removed


class Impression(models.Model):
    """An item a slot showed a member. At most one per member × slot × item × day (reloads do not count again)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="impressions")
    slot = models.CharField(max_length=32)
    kind = models.CharField(max_length=16)
    ref = models.CharField(max_length=80)
    day = models.DateField()
    personal = models.BooleanField(default=True, help_text=_("False when the slot showed its non-personal fallback"))
    shown_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "slot", "kind", "ref", "day"], name="impression_once_a_day")]
        indexes = [models.Index(fields=["slot", "day"]), models.Index(fields=["kind", "ref"])]


class Click(models.Model):
    """A tracked click on a slot's item. At most one per member × slot × item × day, like impressions."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="clicks")
    slot = models.CharField(max_length=32)
    kind = models.CharField(max_length=16)
    ref = models.CharField(max_length=80)
    day = models.DateField()
    clicked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "slot", "kind", "ref", "day"], name="click_once_a_day")]


class Dismissal(models.Model):
    """"Not interested": the item is never served to the member again and leaves their training data."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dismissals")
    kind = models.CharField(max_length=16)
    ref = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "kind", "ref"], name="dismissal_once")]
