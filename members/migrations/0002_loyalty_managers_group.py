"""The `Loyalty managers` group: may enter the Wagtail admin (tier screens come with issue 7)."""

from django.db import migrations


def create_group(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    group, _ = Group.objects.get_or_create(name="Loyalty managers")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group.permissions.add(access)


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("wagtailadmin", "0001_create_admin_access_permissions")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
