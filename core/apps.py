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
    and none that core.plans.for_values() runs."""
    from django.conf import settings

    from core import plans

    if connection.vendor == "postgresql":
        connection.connection.prepared_max = settings.PG_PREPARED_MAX
        connection.connection.cursor_factory = plans.cursor_class(connection.connection.cursor_factory)
