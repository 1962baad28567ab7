from django.db import migrations

from core.search import rebuild_sqlite_index


class Migration(migrations.Migration):
    """SQLite: the people's index marks those merged into another (core.search.hidden_of), so
    that a search of everyone reads its matches from the index alone."""

    dependencies = [("people", "0006_person_nation_current")]
    operations = [rebuild_sqlite_index("people_person", hidden=("merged_into_id", "IS NOT NULL"))]
