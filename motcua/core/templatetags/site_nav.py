"""`{% site_nav %}`: the navigation items of the apps after dossiers, shown by role.

Everyone gets field reports (phản ánh) and document verification; officers get the work pages of
the roles they hold (one query for the roles of the signed-in user, through `motcua.core.scope`).
"""

from django import template

from motcua.core import scope
from motcua.core.models import Role

register = template.Library()


@register.inclusion_tag("core/_site_nav.html", takes_context=True)
def site_nav(context):
    roles = scope.role_names(context.get("user"))
    return {
        "reports_desk": bool(roles & {Role.REPORT_HANDLER, Role.MANAGER}),
        "cashier": bool(roles & {Role.CASHIER, Role.RECEPTIONIST}),
        "leader": Role.LEADER in roles,
        "ratings": bool(roles & {Role.MANAGER, Role.LEADER, Role.ADMINISTRATOR}),
    }
