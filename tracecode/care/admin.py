"""The administrator keeps the cause categories of complaints here; credit reviews and
releases are read here and recorded on the pages and the API."""

from django.contrib import admin

from .models import (
    CauseCategory,
    CreditAssessment,
    CreditRelease,
    SurveyQuestion,
    SurveyTemplate,
)


@admin.register(CreditAssessment)
class CreditAssessmentAdmin(admin.ModelAdmin):
    list_display = ["customer", "level", "limit", "reviewed_on", "reviewed_by", "next_review_on"]
    list_select_related = ["customer", "reviewed_by"]
    search_fields = ["customer__code", "customer__company_name"]

    def has_add_permission(self, request):
        return False


@admin.register(CreditRelease)
class CreditReleaseAdmin(admin.ModelAdmin):
    list_display = ["order", "released_at", "released_by", "exposure", "limit"]
    list_select_related = ["order", "released_by"]
    search_fields = ["order__code", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CauseCategory)
class CauseCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "active"]
    list_editable = ["active"]
    search_fields = ["name", "name_zh"]


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 1


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    inlines = [SurveyQuestionInline]
