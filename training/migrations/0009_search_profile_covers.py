from django.db import migrations

from core.search import cover_profiles


class Migration(migrations.Migration):
    """PostgreSQL: the offerings' index by shared document holds their ids and statuses, so that
    a search's first read of a list of offerings reads that index alone."""

    dependencies = [("training", "0008_search_profiles")]
    operations = [cover_profiles("training.Offering")]
