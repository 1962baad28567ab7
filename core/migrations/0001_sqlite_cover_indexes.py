from django.db import migrations

# SQLite only: the full-text index gives ids, and these indexes let it check and order them
# without reading the rows. PostgreSQL's planner misuses them for date ranges, and needs none.
INDEXES = [
    ("offering_id_cover", "training_offering", "id, status, start_date"),
    ("person_id_cover", "people_person", "id, merged_into_id, nation_id"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, table, columns in INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, _table, _columns in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("training", "0006_catalogue_indexes"), ("people", "0002_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
