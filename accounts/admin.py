from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "email", "role", "nation", "is_active"]
    list_filter = ["role", "nation", "is_active", "is_staff"]
    list_select_related = ["nation"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Shiraka"), {"fields": ["role", "nation", "language"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Shiraka"), {"fields": ["role", "nation", "language"]}),
    ]
