from django.db import migrations

from core.search import create_prefix_index


class Migration(migrations.Migration):
    """PostgreSQL: the index of the starts of the words of the offerings' shared documents
    (core.search._generic_walk)."""

    dependencies = [("training", "0014_search_prefixes")]
    operations = [create_prefix_index("training_offering", profile=True)]
