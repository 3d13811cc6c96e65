"""Airports: every IATA airport that `airportsdata` knows (real data).

Loaded with one upsert per batch, so a re-run changes nothing unless a newer
`airportsdata` release changed a name, city or time zone.
"""

import airportsdata

from offers.models import Airport

BATCH_SIZE = 2000


def airport_rows():
    """One unsaved `Airport` per IATA code of `airportsdata`, fields cut to the model's lengths.

    816 airports have no city in the source; their region (`subd`) stands in, else their name.
    """
    fields = {f.name: f for f in Airport._meta.fields}

    def cut(name, value):
        return (value or "")[: fields[name].max_length]

    for code, a in sorted(airportsdata.load("IATA").items()):
        if not a["name"] or not a["tz"]:
            continue
        yield Airport(
            iata=code,
            name=cut("name", a["name"]),
            city=cut("city", a["city"] or a["subd"] or a["name"]),
            country=cut("country", a["country"]),
            time_zone=cut("time_zone", a["tz"]),
            latitude=a["lat"],
            longitude=a["lon"],
        )


def load_airports():
    """Insert or refresh every airport; returns how many `airportsdata` holds."""
    rows = list(airport_rows())
    Airport.objects.bulk_create(
        rows,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["iata"],
        update_fields=["name", "city", "country", "time_zone", "latitude", "longitude"],
    )
    return len(rows)
