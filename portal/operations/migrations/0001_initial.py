from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="JobRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("task", models.CharField(max_length=200, unique=True, verbose_name="task")),
                ("last_started_at", models.DateTimeField(blank=True, null=True, verbose_name="last started")),
                ("last_succeeded_at", models.DateTimeField(blank=True, null=True, verbose_name="last succeeded")),
                ("last_failed_at", models.DateTimeField(blank=True, null=True, verbose_name="last failed")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
            ],
            options={"verbose_name": "job run", "ordering": ["task"]},
        ),
    ]
