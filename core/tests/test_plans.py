import pytest
from django.db import connection

from core import plans
from training.models import Offering

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")


def _prepared(marker):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{marker}%"])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_list_read_is_planned_for_its_values_and_other_reads_stay_prepared():
    """A read in for_values() (a list's count and ids, core.tables) is never prepared, so that
    PostgreSQL never plans it once for every value; the same read outside is, after two runs."""
    for _ in range(6):
        with plans.for_values():
            list(Offering.objects.filter(capacity__gt=10).values_list("pk", flat=True))
        list(Offering.objects.filter(capacity__lt=10).values_list("pk", flat=True))
    assert _prepared('"capacity" >') == 0
    assert _prepared('"capacity" <') == 1


@pytest.mark.django_db
def test_a_connection_reads_pages_ahead_where_the_server_allows_it(settings):
    """The app's connections ask the disk for a bitmap scan's pages ahead (PG_IO_CONCURRENCY). A
    value the server refuses (any but 0 on a server without prefetch advice) leaves a working
    connection with the server's own setting."""
    import psycopg

    from core.apps import read_ahead

    with psycopg.connect(**connection.get_connection_params()) as raw:
        server = raw.execute("SHOW effective_io_concurrency").fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("SHOW effective_io_concurrency")
            assert cursor.fetchone()[0] == str(settings.PG_IO_CONCURRENCY or server)
        read_ahead(raw, 5000)  # out of the server's range: refused as a server without it refuses
        assert raw.execute("SHOW effective_io_concurrency").fetchone()[0] == server
        read_ahead(raw, 64)
        assert raw.execute("SHOW effective_io_concurrency").fetchone()[0] == "64"
