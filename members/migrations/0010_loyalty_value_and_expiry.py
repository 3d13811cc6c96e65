"""Loyalty: the customer-value snapshot (members/value) and miles-expiry notices (members/loyalty/expiry.py)."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def grant_managers(apps, schema_editor):
    """Loyalty managers may view the customer-value list and the tier history."""
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    group, _ = Group.objects.get_or_create(name="Loyalty managers")
    for model in ("customervalue", "tierhistory"):
        content_type, _ = ContentType.objects.get_or_create(app_label="members", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=f"view_{model}", defaults={"name": f"Can view {model}"})
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("members", "0009_tier_fare_discount"), ("contenttypes", "0002_remove_content_type_name"),
                    ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.CreateModel(
            name="CustomerValue",
            fields=[
                ("member", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="customer_value", serialize=False, to=settings.AUTH_USER_MODEL, verbose_name="member")),
                ("demand_value", models.IntegerField(default=0, help_text="Loyalty Points earned from flights and partners in the 12 months.", verbose_name="demand value (LP)")),
                ("resource_need", models.IntegerField(default=0, help_text="What serving the member cost in the 12 months, in miles.", verbose_name="resource need (miles)")),
                ("relative_value", models.FloatField(default=0.0, help_text="Demand value ÷ resource need (÷ 1 when nothing was spent).", verbose_name="relative value")),
                ("rank", models.PositiveIntegerField(db_index=True, default=0, help_text="1 is the most valuable.", verbose_name="rank")),
                ("last_earned_at", models.DateTimeField(blank=True, null=True, verbose_name="last earned")),
                ("frequency", models.PositiveIntegerField(default=0, verbose_name="earning postings")),
                ("recency_score", models.PositiveSmallIntegerField(default=1, verbose_name="R")),
                ("frequency_score", models.PositiveSmallIntegerField(default=1, verbose_name="F")),
                ("monetary_score", models.PositiveSmallIntegerField(default=1, verbose_name="M")),
                ("segment", models.CharField(choices=[("champions", "Champions"), ("loyal", "Loyal"), ("potential", "Potential loyalists"), ("new", "New or occasional"), ("attention", "Needs attention"), ("at_risk", "At risk"), ("hibernating", "Hibernating"), ("lost", "Lost (no earning in 12 months)")], db_index=True, default="lost", max_length=16, verbose_name="segment")),
                ("lifetime_value", models.IntegerField(default=0, help_text="Estimated future net value, in Loyalty Points.", verbose_name="lifetime value (LP)")),
                ("computed_on", models.DateField(default=datetime.date.today, verbose_name="computed on")),
            ],
            options={"verbose_name": "customer value", "verbose_name_plural": "customer value", "ordering": ["rank"]},
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(choices=[("tier_upgrade", "tier upgrade"), ("miles_expiry_warn", "miles expire soon"), ("miles_expired", "miles expired")], max_length=20),
        ),
        migrations.RunPython(grant_managers, migrations.RunPython.noop),
    ]
