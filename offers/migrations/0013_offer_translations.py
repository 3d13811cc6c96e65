"""Offers' text in other languages (`OfferTranslation`), and the zh-hant Locale they point at.

The Locale row is also what Wagtail's page localization uses; creating it here is
idempotent (get_or_create), so whichever migration runs first makes it.
"""

import django.db.models.deletion
import modelcluster.fields
import wagtail.fields
from django.db import migrations, models


def add_zh_hant_locale(apps, schema_editor):
    apps.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="zh-hant")


class Migration(migrations.Migration):

    dependencies = [
        ("offers", "0012_campaign_slot_trip_offers"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfferTranslation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=120, verbose_name="title")),
                ("summary", models.CharField(max_length=240, verbose_name="summary")),
                ("body", wagtail.fields.RichTextField(blank=True, help_text="Empty: members reading this language see the English details.", verbose_name="details")),
                ("locale", models.ForeignKey(limit_choices_to=models.Q(("language_code", "en"), _negated=True), on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="language")),
                ("offer", modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="translations", to="offers.offer")),
            ],
            options={
                "verbose_name": "offer translation",
                "verbose_name_plural": "offer translations",
                "constraints": [models.UniqueConstraint(fields=("offer", "locale"), name="offer_translation_one_per_language")],
            },
        ),
        migrations.RunPython(add_zh_hant_locale, migrations.RunPython.noop),
    ]
