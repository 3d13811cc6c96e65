"""Tiers get an upgrade window: how many hours before departure their members can upgrade.

The seeded tiers get AAdvantage's windows (24/48/72/100 hours for Gold, Platinum, Platinum Pro
and Executive Platinum; none for Member). A tier a manager has already given a window keeps it.
"""

import django.core.validators
from django.db import migrations, models

WINDOWS = {"gold": 24, "platinum": 48, "platinum_pro": 72, "executive_platinum": 100}  # frozen copy of programme.py


def set_windows(apps, schema_editor):
    Tier = apps.get_model("members", "Tier")
    for code, hours in WINDOWS.items():
        Tier.objects.filter(code=code, upgrade_window_hours__isnull=True).update(upgrade_window_hours=hours)


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0011_service_cases"),
    ]

    operations = [
        migrations.AddField(
            model_name="tier",
            name="upgrade_window_hours",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, validators=[django.core.validators.MaxValueValidator(336)],
                verbose_name="upgrade window (hours)",
                help_text="How many hours before departure members of this tier can upgrade. Empty: no upgrade window.",
            ),
        ),
        migrations.RunPython(set_windows, migrations.RunPython.noop),
    ]
