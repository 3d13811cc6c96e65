"""Tiers get a name in Traditional Chinese, which members reading zh-hant see.

The seeded tiers get theirs (as Taiwan's carriers name card tiers); a tier a manager has
already named in Chinese keeps its name.
"""

from django.db import migrations, models

NAMES = {"member": "會員", "gold": "金卡", "platinum": "白金卡", "platinum_pro": "白金卓越卡",
         "executive_platinum": "特級白金卡"}  # frozen copy of programme.py


def set_names(apps, schema_editor):
    Tier = apps.get_model("members", "Tier")
    for code, name in NAMES.items():
        Tier.objects.filter(code=code, name_zh_hant="").update(name_zh_hant=name)


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0013_customer_service_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="tier",
            name="name_zh_hant",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="name in Traditional Chinese",
                help_text="What members reading Traditional Chinese see. Empty: the English name.",
            ),
        ),
        migrations.RunPython(set_names, migrations.RunPython.noop),
    ]
