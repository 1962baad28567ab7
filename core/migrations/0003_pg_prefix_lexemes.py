from django.db import migrations

from core.search import pg_rebuild_sql

TABLES = ["training_course", "training_offering", "people_person"]


def forwards(apps, schema_editor):
    """PostgreSQL: the search vectors hold each word's prefixes as lexemes (core.search)."""
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            for sql in pg_rebuild_sql(table):
                schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_pg_search_tables"),
        ("training", "0007_search_in_date_order"),
        ("people", "0003_search_prefixes"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
