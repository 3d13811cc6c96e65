"""ActivityEvent.event_id: a unique id per event, so a redelivered event is ignored.

Existing rows each get their own uuid (a plain AddField with a callable default would
give every existing row the same value and break the unique index), then the column
becomes unique and required.
"""

import uuid

from django.db import migrations, models


def give_each_event_an_id(apps, schema_editor):
    ActivityEvent = apps.get_model("members", "ActivityEvent")
    pending = ActivityEvent.objects.filter(event_id__isnull=True).only("pk")
    batch = []
    for event in pending.iterator(chunk_size=2000):
        event.event_id = uuid.uuid4()
        batch.append(event)
        if len(batch) >= 2000:
            ActivityEvent.objects.bulk_update(batch, ["event_id"])
            batch = []
    if batch:
        ActivityEvent.objects.bulk_update(batch, ["event_id"])


class Migration(migrations.Migration):
    dependencies = [("members", "0002_loyalty_managers_group")]

    operations = [
        migrations.AddField(
            model_name="activityevent",
            name="event_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_event_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="activityevent",
            name="event_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
