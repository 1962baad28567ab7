from django.db import migrations

from core.search import rebuild_sqlite_index


class Migration(migrations.Migration):
    """SQLite: the offerings' index marks drafts (Searchable.search_hidden), so that a catalogue
    search reads its matches from the index alone."""

    dependencies = [("training", "0012_open_by_deadline")]
    operations = [rebuild_sqlite_index("training_offering", order_column="start_date", hidden=("status", "= 'draft'"))]
