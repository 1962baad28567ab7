import django.db.models.deletion
from django.db import migrations, models

from reports.offerings import keep_offering_counts


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_reference_data"),
        ("training", "0014_search_prefixes"),
        ("reports", "0003_fill_year_totals"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfferingYearCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("offerings", models.IntegerField(default=0, verbose_name="offerings")),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="partners.area"
                    ),
                ),
            ],
            options={
                "verbose_name": "offering count of an area's year",
                "verbose_name_plural": "offering counts of areas' years",
                "constraints": [models.UniqueConstraint(fields=("year", "area"), name="offering_year_count_key")],
            },
        ),
        keep_offering_counts(),
    ]
