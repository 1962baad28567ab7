from django.db import migrations

from core.search import create_prefix_index


class Migration(migrations.Migration):
    """PostgreSQL: the indexes of the starts of the courses' and offerings' words
    (core.search._pg_read_sql)."""

    dependencies = [("training", "0013_search_marks_drafts")]
    operations = [create_prefix_index("training_course"), create_prefix_index("training_offering")]
