from django.contrib import admin

from core.admin import ReadOnlyAdmin
from people.models import Person, PersonMerge


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Read and search here; people change through the app's pages and services."""

    list_display = ["id", "name_en", "name_ar", "nation", "organization", "email"]
    list_filter = ["nation"]
    list_select_related = ["nation"]
    search_fields = ["name_en", "name_ar", "email"]


@admin.register(PersonMerge)
class PersonMergeAdmin(ReadOnlyAdmin):
    list_display = ["at", "survivor", "merged", "by", "reason"]
