"""Editors and Moderators build segments (now in offers/, where the offers that target them live)."""

from django.db import migrations

PERMISSIONS = ["add_segment", "change_segment", "delete_segment", "view_segment"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    # Django creates permissions after all migrations; these groups need them now.
    content_type, _ = ContentType.objects.get_or_create(app_label="offers", model="segment")
    permissions = [Permission.objects.get_or_create(content_type=content_type, codename=codename,
                                                    defaults={"name": f"Can {codename.split('_')[0]} segment"})[0]
                   for codename in PERMISSIONS]
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*permissions)
    # The segments used to live in cms/: their old permissions go with them.
    Permission.objects.filter(content_type__app_label="cms", content_type__model__in=["segment", "segmentrule"]).delete()
    ContentType.objects.filter(app_label="cms", model__in=["segment", "segmentrule"]).delete()


class Migration(migrations.Migration):
    dependencies = [("offers", "0009_segments_targeting_budget"), ("cms", "0007_news_tiers_service_variants")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
