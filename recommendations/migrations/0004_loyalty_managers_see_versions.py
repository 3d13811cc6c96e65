"""Loyalty managers watch recommender quality: view permission on model versions."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="recommendations", model="modelversion")
    view, _ = Permission.objects.get_or_create(content_type=content_type, codename="view_modelversion",
                                               defaults={"name": "Can view recommender model version"})
    for group in Group.objects.filter(name="Loyalty managers"):
        group.permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_dismissals"), ("members", "0002_loyalty_managers_group")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
