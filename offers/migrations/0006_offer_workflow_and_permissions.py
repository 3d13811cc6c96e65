"""Editors draft and submit offers, Moderators approve and publish: permissions and workflow."""

from django.db import migrations

EDITOR_PERMISSIONS = ["add_offer", "change_offer", "view_offer", "lock_offer"]
MODERATOR_PERMISSIONS = EDITOR_PERMISSIONS + ["publish_offer", "delete_offer", "unlock_offer", "view_offerclaim"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    # Django creates permissions after all migrations; these groups need them now.
    for model, codenames in (("offer", MODERATOR_PERMISSIONS), ("offerclaim", ["view_offerclaim"])):
        content_type, _ = ContentType.objects.get_or_create(app_label="offers", model=model)
        for codename in codenames:
            if codename.endswith(f"_{model}"):
                Permission.objects.get_or_create(content_type=content_type, codename=codename,
                                                 defaults={"name": f"Can {codename.split('_')[0]} {model}"})
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    for name, codenames in (("Editors", EDITOR_PERMISSIONS), ("Moderators", MODERATOR_PERMISSIONS)):
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(*Permission.objects.filter(content_type__app_label="offers", codename__in=codenames))
    workflow = Workflow.objects.filter(name="Moderators approval").first()
    if workflow:
        offer_type, _ = ContentType.objects.get_or_create(app_label="offers", model="offer")
        WorkflowContentType.objects.get_or_create(content_type=offer_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [("offers", "0005_special_offers"), ("wagtailcore", "0098_apitoken"), ("wagtailadmin", "0006_formstate")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
