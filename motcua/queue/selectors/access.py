"""Who may operate which counter and see which office's queue figures (built on core.scope)."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.core import scope
from motcua.core.models import Counter, OneStopOffice, Role

DESK_ROLES = (Role.RECEPTIONIST, Role.MANAGER, Role.LEADER)
MANAGER_ROLES = (Role.MANAGER, Role.LEADER, Role.ADMINISTRATOR)


def desk_offices(user) -> QuerySet[OneStopOffice]:
    """Offices whose counters the user may operate: one-stop officers (and their managers) of the
    office's agency."""
    if scope.is_signed_in(user) and user.is_superuser:
        return OneStopOffice.objects.all()
    agencies = scope.covered_agencies(user, roles=DESK_ROLES, commune_siblings=False)
    return OneStopOffice.objects.filter(agency__in=agencies)


def desk_counters(user) -> QuerySet[Counter]:
    return Counter.objects.filter(office__in=desk_offices(user), is_active=True)


def managed_offices(user) -> QuerySet[OneStopOffice]:
    """Offices whose queue figures the user may read: managers, leaders and administrators covering
    the office's agency."""
    if scope.is_signed_in(user) and user.is_superuser:
        return OneStopOffice.objects.all()
    agencies = scope.covered_agencies(user, roles=MANAGER_ROLES)
    return OneStopOffice.objects.filter(agency__in=agencies)
