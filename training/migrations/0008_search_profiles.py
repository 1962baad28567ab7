from django.db import migrations

from core.search import create_profiles


class Migration(migrations.Migration):
    """PostgreSQL: the offerings' venue and course words, which many offerings share, indexed
    once for all of them (core.search.pg_profile_sql)."""

    dependencies = [("training", "0007_search_in_date_order")]
    operations = [create_profiles("training.Offering", related=("course",))]
