"""Pages are translatable: the zh-hant content locale, and Editors and Moderators may use "Translate"."""

from django.db import migrations


def forwards(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale.objects.get_or_create(language_code="zh-hant")
    # Django creates permissions after all migrations; these groups need this one now.
    content_type, _ = ContentType.objects.get_or_create(app_label="simple_translation", model="simpletranslation")
    permission, _ = Permission.objects.get_or_create(content_type=content_type, codename="submit_translation",
                                                     defaults={"name": "Can submit translations"})
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("cms", "0007_news_tiers_service_variants"), ("simple_translation", "0001_initial"),
                    ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
