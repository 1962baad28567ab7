from django.db import migrations

from core.search import exclude_from_index


class Migration(migrations.Migration):
    """PostgreSQL: the people's search index holds those not merged into another record, the
    list that staff search, which a search of it then reads alone (Person.search_index_excludes)."""

    dependencies = [("people", "0004_pg_unmerged_index"), ("core", "0003_pg_stripped_vectors")]
    operations = [exclude_from_index("people_person", "merged_into_id")]
