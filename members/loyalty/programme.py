"""The seeded tier programme (the shape of AAdvantage), and how it is kept present.

The data migration `0006_seed_tier_programme` writes these rows on `migrate`. A test
database flushed by a transactional test loses them; `ensure_programme` (connected
to `post_migrate`, which Django sends after a flush too) writes them back when the
tier table is empty. It never touches tiers that exist: managers own those.
"""

SEEDED_TIERS = (
    # code, name, rank, LP threshold, bonus %, lifetime flown miles, colour, text colour, benefits
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
# The names members reading Traditional Chinese see (migration 0014 writes them onto the seeded tiers).
NAMES_ZH_HANT = {"member": "會員", "gold": "金卡", "platinum": "白金卡", "platinum_pro": "白金卓越卡",
                 "executive_platinum": "特級白金卡"}
FIELDS = ("code", "name", "rank", "qualifying_points", "earning_bonus_percent", "lifetime_flown_miles", "colour",
          "text_colour", "benefits")


# Hours before departure from which a tier can upgrade (migration 0012 writes them onto the seeded tiers).
UPGRADE_WINDOW_HOURS = {"gold": 24, "platinum": 48, "platinum_pro": 72, "executive_platinum": 100}


def seed_rows():
    return [{**dict(zip(FIELDS, row)), "upgrade_window_hours": UPGRADE_WINDOW_HOURS.get(row[0]),
             "name_zh_hant": NAMES_ZH_HANT.get(row[0], "")} for row in SEEDED_TIERS]


def ensure_programme(using="default", **kwargs):
    """Write the seeded tiers if there are none (post_migrate receiver; safe to call any time)."""
    from django.db import connections

    from members.loyalty.models import Tier

    if Tier._meta.db_table not in connections[using].introspection.table_names():
        return  # migrating backwards, or not yet this far
    if not Tier.objects.using(using).exists():
        Tier.objects.using(using).bulk_create([Tier(**row) for row in seed_rows()])
