"""Editors and Moderators build segments (the audiences offers and pages are aimed at)."""

from django.db import migrations

PERMISSIONS = ["add_segment", "change_segment", "delete_segment", "view_segment"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    # Django creates permissions after all migrations; these groups need them now.
    content_type, _ = ContentType.objects.get_or_create(app_label="cms", model="segment")
    permissions = [Permission.objects.get_or_create(content_type=content_type, codename=codename,
                                                    defaults={"name": f"Can {codename.split('_')[0]} segment"})[0]
                   for codename in PERMISSIONS]
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_segments"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
