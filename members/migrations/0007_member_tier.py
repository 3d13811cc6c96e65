"""Every member holds a tier; existing members start at the base tier ("member")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0006_seed_tier_programme")]
    operations = [
        migrations.AddField(
            model_name="member",
            name="tier",
            field=models.ForeignKey(default="member", on_delete=django.db.models.deletion.PROTECT, related_name="members",
                                    to="members.tier", to_field="code", verbose_name="tier"),
        ),
    ]
