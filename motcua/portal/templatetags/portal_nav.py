"""`{% portal_nav %}`: the navigation items of features above the dossiers layer, shown to who may use them.

The officer's workspace; area broadcasts (the roles that may write or approve them, as the
broadcasts pages decide); the community team's visit tool and households (what the outreach pages
let this user open); outreach progress (whoever the progress pages assign a commune or the province).
Core's `{% site_nav %}` cannot read these apps (it sits below them), so the portal, which may read
every app, renders them. Each rule is the one the page itself applies, so a link shown answers 200.
"""

from django import template

from motcua.core import scope
from motcua.notifications.broadcasts.selectors import AUTHOR_ROLES
from motcua.outreach.progress.selectors import VIEW_ROLES, progress_home_for
from motcua.outreach.selectors.area import outreach_area_for

register = template.Library()


def portal_nav_items(user) -> dict[str, bool]:
    """Which portal navigation items this user gets (also read by the navigation tests)."""
    if not scope.is_signed_in(user):
        return {"workspace": False, "broadcasts": False, "visits": False, "households": False, "progress": False}
    officer = scope.is_officer(user)
    roles = scope.role_names(user)
    area = outreach_area_for(user)
    # The progress pages' own rule (a few queries): asked only of those it can answer yes for.
    progress = bool(user.is_superuser or area.team_ids or roles & VIEW_ROLES) and progress_home_for(user) is not None
    return {
        "workspace": officer,
        "broadcasts": bool(user.is_superuser or roles & AUTHOR_ROLES),
        "visits": bool(area.team_ids),
        "households": area.sees_households,
        "progress": progress,
    }


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context):
    return portal_nav_items(context.get("user"))
