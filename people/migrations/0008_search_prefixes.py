from django.db import migrations

from core.search import create_prefix_index


class Migration(migrations.Migration):
    """PostgreSQL: the index of the starts of the people's words (core.search._pg_read_sql)."""

    dependencies = [("people", "0007_search_marks_merged")]
    operations = [create_prefix_index("people_person")]
