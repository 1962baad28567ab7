from django.contrib import admin

from core.admin import ReadOnlyAdmin
from nominations.models import Nomination, NominationEvent


class EventInline(admin.TabularInline):
    model = NominationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "from_status", "to_status", "by", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    """Read only: nominations change through their services, which keep the seat counts."""

    list_display = ["id", "person", "offering", "nation", "status", "submitted_at"]
    list_filter = ["status", "nation"]
    list_select_related = ["person", "offering", "nation"]
    search_fields = ["person__name_en", "person__name_ar", "offering__code"]
    inlines = [EventInline]
