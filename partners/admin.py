from django.contrib import admin

from partners.models import Area, Membership, Nation, Organisation, PartnershipGroup


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["nation"]


@admin.register(Nation)
class NationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ar"]
    search_fields = ["code", "name_en", "name_ar"]


@admin.register(PartnershipGroup)
class PartnershipGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ar"]
    inlines = [MembershipInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ar"]
    search_fields = ["code", "name_en", "name_ar"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ar", "kind", "nation"]
    list_filter = ["kind", "nation"]
    list_select_related = ["nation"]
    search_fields = ["code", "name_en", "name_ar"]
