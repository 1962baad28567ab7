from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core.search import repair_sqlite_indexes

        post_migrate.connect(repair_sqlite_indexes, dispatch_uid="repair_sqlite_indexes")
