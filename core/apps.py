from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core.search import repair_sqlite_indexes

        post_migrate.connect(repair_sqlite_indexes, dispatch_uid="repair_sqlite_indexes")
        connection_created.connect(keep_prepared, dispatch_uid="keep_prepared")


def keep_prepared(sender, connection, **kwargs):
    """PostgreSQL: keep as many statements prepared as the setting says (see PG_PREPARED_MAX),
    and none that core.plans.for_values() runs; read pages ahead (PG_IO_CONCURRENCY)."""
    from django.conf import settings

    from core import plans

    if connection.vendor == "postgresql":
        connection.connection.prepared_max = settings.PG_PREPARED_MAX
        connection.connection.cursor_factory = plans.cursor_class(connection.connection.cursor_factory)
        read_ahead(connection.connection, settings.PG_IO_CONCURRENCY)


def read_ahead(raw, pages):
    """Set effective_io_concurrency to `pages` on a new PostgreSQL connection (settings.
    PG_IO_CONCURRENCY), where the server allows it: one without prefetch advice (macOS, Windows)
    refuses any value but 0, and then the connection keeps the server's setting."""
    import psycopg

    if not pages:
        return
    try:
        raw.execute(f"SET effective_io_concurrency = {int(pages)}")
    except psycopg.errors.InvalidParameterValue:
        if not raw.autocommit:
            raw.rollback()
