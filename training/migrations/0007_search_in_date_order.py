from django.db import migrations

from core.search import rebuild_sqlite_index


class Migration(migrations.Migration):
    """SQLite: the offerings' index kept in the order of their start dates, and both indexes with
    the longer prefixes core.search reads lazily."""

    dependencies = [("training", "0006_catalogue_indexes")]
    operations = [
        rebuild_sqlite_index("training_course"),
        rebuild_sqlite_index("training_offering", order_column="start_date"),
    ]
