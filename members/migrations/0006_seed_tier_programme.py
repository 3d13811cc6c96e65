"""The seeded tier programme (a frozen copy of members/loyalty/programme.py), and the
`Loyalty managers` group's rights: view and change tiers, view the tier audit trail."""

from django.db import migrations

TIERS = (
    ("member", "Member", 0, 0, 0, None, "#1F3A5F", "#FFFFFF",
     "Earn miles on every flight\nMiles never expire while you are active"),
    ("gold", "Gold", 1, 40_000, 40, 1_000_000, "#E0B84C", "#1A1A1A",
     "40 % bonus miles\nPriority check-in\nOne free checked bag\nComplimentary upgrades (24 hours ahead)"),
    ("platinum", "Platinum", 2, 75_000, 60, 2_000_000, "#D9DCE1", "#1A1A1A",
     "60 % bonus miles\nPriority security\nTwo free checked bags\nComplimentary upgrades (48 hours ahead)\nOneworld Sapphire"),
    ("platinum_pro", "Platinum Pro", 3, 125_000, 80, None, "#4B5563", "#FFFFFF",
     "80 % bonus miles\nComplimentary upgrades (72 hours ahead)\nMain Cabin Extra seats at booking\nOneworld Emerald"),
    ("executive_platinum", "Executive Platinum", 4, 200_000, 120, None, "#111827", "#F5D67B",
     "120 % bonus miles\nComplimentary upgrades (100 hours ahead), also on long-haul\nThree free checked bags\n"
     "Flagship lounge access\nOneworld Emerald"),
)
FIELDS = ("code", "name", "rank", "qualifying_points", "earning_bonus_percent", "lifetime_flown_miles", "colour",
          "text_colour", "benefits")
MANAGER_RIGHTS = (("tier", "view"), ("tier", "change"), ("tierchange", "view"))


def seed(apps, schema_editor):
    Tier = apps.get_model("members", "Tier")
    for row in TIERS:
        values = dict(zip(FIELDS, row))
        Tier.objects.get_or_create(code=values.pop("code"), defaults=values)

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    group, _ = Group.objects.get_or_create(name="Loyalty managers")
    for model, action in MANAGER_RIGHTS:
        content_type, _ = ContentType.objects.get_or_create(app_label="members", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_loyalty"), ("members", "0002_loyalty_managers_group")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
