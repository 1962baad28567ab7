from django.db import migrations

from core.search import rebuild_sqlite_index


class Migration(migrations.Migration):
    """SQLite: the people's index with the longer prefixes core.search reads lazily."""

    dependencies = [("people", "0002_search_index")]
    operations = [rebuild_sqlite_index("people_person")]
