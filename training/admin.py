from django.contrib import admin

from core.admin import ReadOnlyAdmin
from training.models import Course, Offering, OfferingTransition, Quota


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    """Read and search here; the catalogue's own pages create and edit through its services."""

    list_display = ["code", "title_en", "title_ar", "area", "active"]
    list_filter = ["area", "active"]
    list_select_related = ["area"]
    search_fields = ["code", "title_en", "title_ar"]


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = OfferingTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offering)
class OfferingAdmin(ReadOnlyAdmin):
    list_display = ["code", "course", "start_date", "end_date", "status", "capacity", "seats_taken"]
    list_filter = ["status", "admission", "course__area"]
    list_select_related = ["course"]
    search_fields = ["code", "course__title_en", "course__title_ar"]
    date_hierarchy = "start_date"
    inlines = [QuotaInline, TransitionInline]
