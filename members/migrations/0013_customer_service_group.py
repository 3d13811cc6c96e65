"""The `Customer service` group: answers and closes members' service cases in the admin.

It may view members (to read a case's member and their timeline) and view and change cases,
nothing else: no tiers, no offers, no pages.
"""

from django.db import migrations

GROUP = "Customer service"
PERMISSIONS = [("members", "servicecase", "view"), ("members", "servicecase", "change"), ("members", "member", "view")]


def create_group(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    group, _ = Group.objects.get_or_create(name=GROUP)
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group.permissions.add(access)
    for app_label, model, action in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
        )
        group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0012_tier_upgrade_window"), ("wagtailadmin", "0001_create_admin_access_permissions")]
    operations = [migrations.RunPython(create_group, remove_group)]
