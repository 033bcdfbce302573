"""`{% portal_nav %}`: the navigation items of features above the dossiers layer, shown to who may use them.

The officer's workspace; area broadcasts (the roles that may write or approve them, as the
broadcasts pages decide); the community team's visit tool and households (what the outreach pages
let this user open); outreach progress (whoever the progress pages assign a commune or the province).
Core's `{% site_nav %}` cannot read these apps (it sits below them), so the portal, which may read
every app, renders them. Each rule mirrors the one the page itself applies (the navigation tests
open every link shown, for every role), read in two queries: the user's roles with their units,
and their team memberships.
"""

from django import template

from motcua.assistant.selectors import REVIEW_ROLES as ASSISTANT_REVIEW_ROLES
from motcua.core import scope
from motcua.core.models import COMMUNE_KINDS, PROVINCE_KINDS
from motcua.notifications.broadcasts.selectors import AUTHOR_ROLES
from motcua.outreach.progress.selectors import VIEW_ROLES
from motcua.outreach.selectors.area import LEADER_ROLES, team_memberships

register = template.Library()

NONE = {
    "workspace": False, "broadcasts": False, "visits": False, "households": False, "progress": False,
    "assistant": False,
}  # fmt: skip


def portal_nav_items(user) -> dict[str, bool]:
    """Which portal navigation items this user gets (also read by the navigation tests)."""
    if not scope.is_signed_in(user):
        return dict(NONE)
    teams = team_memberships(user)
    in_active_team = any(teams)
    if user.is_superuser:
        return {
            **NONE,
            "workspace": scope.is_officer(user),
            "broadcasts": True,
            "visits": in_active_team,
            "households": True,
            "progress": True,
            "assistant": True,
        }
    held = [
        (row.role, row.unit if row.unit_id else row.agency.unit)
        for row in scope.assignments(user).select_related("unit", "agency__unit")
    ]
    roles = {role for role, _unit in held}
    return {
        "workspace": scope.is_officer(user),
        "broadcasts": bool(roles & AUTHOR_ROLES),
        # outreach.selectors.area.outreach_area_for: a team, or a leader's role in a commune.
        "visits": in_active_team,
        "households": in_active_team or any(r in LEADER_ROLES and u.kind in COMMUNE_KINDS for r, u in held),
        # outreach.progress.selectors.progress_home_for: a viewing role in a province or a commune, or a team.
        "progress": bool(teams)
        or any(r in VIEW_ROLES and u.kind in (*PROVINCE_KINDS, *COMMUNE_KINDS) for r, u in held),
        # assistant.selectors.may_review: an officer holding a reviewing role.
        "assistant": scope.is_officer(user) and bool(roles & set(ASSISTANT_REVIEW_ROLES)),
    }


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context):
    return portal_nav_items(context.get("user"))
