from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read and search in the admin; the records change only through the app's services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
