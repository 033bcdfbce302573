"""Admin for the province's configuration (indicators) and for correcting teams and campaigns.
Households and visits are read-mostly here: personal data is edited on the teams' own pages."""

from django.contrib import admin

from .models import (
    Campaign,
    Household,
    HouseholdMember,
    Indicator,
    IndicatorAchievement,
    OutreachTeam,
    TeamMember,
    Visit,
)
from .progress import admin as progress_admin  # noqa: F401  (the targets' admin)


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(OutreachTeam)
class OutreachTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "hamlet", "leader", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "unit__name"]
    raw_id_fields = ["unit", "hamlet", "leader"]
    filter_horizontal = ["hamlets"]
    inlines = [TeamMemberInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "applies_to", "business_only", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "starts_on", "ends_on"]
    raw_id_fields = ["unit"]
    filter_horizontal = ["teams"]
    search_fields = ["name"]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["head_name", "hamlet", "unit", "member_count", "is_business"]
    search_fields = ["identity_folded", "head_personal_id"]
    raw_id_fields = ["unit", "hamlet", "head"]
    inlines = [HouseholdMemberInline]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_at", "household", "team", "member", "campaign", "dossier"]
    list_filter = ["visited_at"]
    raw_id_fields = ["household", "team", "member", "campaign", "dossier", "helped_members"]
    readonly_fields = ["client_uuid"]
    date_hierarchy = "visited_at"


@admin.register(IndicatorAchievement)
class IndicatorAchievementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "household", "member", "achieved_at"]
    list_filter = ["indicator"]
    raw_id_fields = ["household", "member", "visit", "recorded_by"]
