"""Loyalty managers run campaigns and read their reports; they may see offers and claims too."""

from django.db import migrations

GRANTS = {"campaign": ["add", "change", "delete", "view"], "offer": ["view"], "offerclaim": ["view"]}


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    managers = Group.objects.filter(name="Loyalty managers").first()
    if managers is None:
        return
    for model, actions in GRANTS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="offers", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(content_type=content_type, codename=f"{action}_{model}",
                                                             defaults={"name": f"Can {action} {model}"})
            managers.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("offers", "0007_campaigns"), ("members", "0002_loyalty_managers_group")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
