from django.db import migrations
from django.db.models import Sum

STATES = ["submitted", "accepted", "waitlisted", "declined", "withdrawn", "completed", "incomplete", "no_show"]


def fill(apps, schema_editor):
    counts = apps.get_model("reports", "NominationCount").objects.all()
    sums = {state: Sum(state) for state in STATES}
    for name, column in (("NationYearCount", "nation_id"), ("AreaYearCount", "area_id")):
        model = apps.get_model("reports", name)
        rows = counts.values("year", column).annotate(**sums).order_by("year", column)
        model.objects.bulk_create(model(**row) for row in rows)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_year_totals")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
