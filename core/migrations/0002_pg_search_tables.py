from django.db import migrations

from core.search import pg_index_sql

TABLES = ["training_course", "training_offering", "people_person"]


def forwards(apps, schema_editor):
    """Databases made before the search vectors moved to tables of their own get them too."""
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            for sql in pg_index_sql(table):
                schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_sqlite_cover_indexes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
