"""Each timetable line carries the season it was flown in (first and last flight of 2013)."""

import datetime as dt

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("offers", "0002_scheduled_flight_line_includes_arrival")]

    operations = [
        migrations.AddField(
            model_name="scheduledflight", name="first_operated",
            field=models.DateField(default=dt.date(2013, 1, 1), verbose_name="first flight in 2013"), preserve_default=False,
        ),
        migrations.AddField(
            model_name="scheduledflight", name="last_operated",
            field=models.DateField(default=dt.date(2013, 12, 31), verbose_name="last flight in 2013"), preserve_default=False,
        ),
    ]
