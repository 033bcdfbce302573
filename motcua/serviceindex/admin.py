from django.contrib import admin

from .models import IndexDefinition, IndexGroup, IndexRollup, SubIndicator


class IndexGroupInline(admin.TabularInline):
    model = IndexGroup
    extra = 0
    show_change_link = True


@admin.register(IndexDefinition)
class IndexDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_basis", "effective_from")
    inlines = [IndexGroupInline]


class SubIndicatorInline(admin.TabularInline):
    model = SubIndicator
    extra = 0


@admin.register(IndexGroup)
class IndexGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "definition", "max_points", "order")
    list_filter = ("definition",)
    inlines = [SubIndicatorInline]


@admin.register(SubIndicator)
class SubIndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group", "measure", "target_rate", "points", "needs_review")
    list_filter = ("group__definition", "needs_review", "measure")


@admin.register(IndexRollup)
class IndexRollupAdmin(admin.ModelAdmin):
    list_display = ("month", "agency", "measure", "numerator", "denominator")
    list_filter = ("measure", "month")
    raw_id_fields = ("agency", "unit")
