from django.contrib import admin

from evaluations.models import QuestionnaireTemplate, TemplateQuestion


class TemplateQuestionInline(admin.TabularInline):
    model = TemplateQuestion
    extra = 1


@admin.register(QuestionnaireTemplate)
class QuestionnaireTemplateAdmin(admin.ModelAdmin):
    """The centre keeps its questionnaires here; each offering copies one when it is completed."""

    list_display = ["name_en", "name_ar", "is_default"]
    inlines = [TemplateQuestionInline]
