from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from reports import receivers  # noqa: F401
        from reports.offerings import repair_sqlite_triggers

        post_migrate.connect(repair_sqlite_triggers, dispatch_uid="repair_offering_counts")
