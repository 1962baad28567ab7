from django.db import migrations


def forwards(apps, schema_editor):
    """PostgreSQL: the ids of people not merged into another, so that a search's matches are
    counted and paged on this index alone (1.4 ms for 265 namesakes) rather than by a visit to
    each one's row (4–5 ms when their pages are not in memory). SQLite reads them in its search
    index's order instead (core.search)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS person_unmerged ON people_person (id) WHERE merged_into_id IS NULL"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_unmerged")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_search_prefixes")]
    operations = [migrations.RunPython(forwards, backwards)]
