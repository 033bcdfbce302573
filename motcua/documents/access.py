"""Who may do what with an agency's documents: the roles held there, the head, the named people."""

from __future__ import annotations

from django.db.models import Q

from motcua.core import scope
from motcua.core.models import Role

from .models import DocumentOffice

# Pseudo-roles added to the held ones for the state machines.
ASSIGNEE = "assignee"
HEAD = "head"
CLERK_ROLES = (Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER, Role.MANAGER)


def visible_agencies(user):
    """The agencies whose books this officer reads (their own agency; not the commune's others)."""
    return scope.covered_agencies(user, commune_siblings=False)


def heads_of(agency) -> set[int]:
    """The agency head: the head named in its document settings, else its leaders."""
    head = DocumentOffice.objects.filter(agency=agency, head__isnull=False).values_list("head_id", flat=True).first()
    if head:
        return {head}
    return set(scope.officers_holding(Role.LEADER, agencies=[agency.pk]).values_list("pk", flat=True))


def headed_agency_condition(user, prefix: str = "") -> Q:
    """Documents of the agencies this user heads (named head, or leader where none is named)."""
    named = DocumentOffice.objects.filter(head=user).values("agency_id")
    unnamed_led = (
        scope.assignments(user, roles=[Role.LEADER])
        .filter(agency__isnull=False)
        .exclude(agency__document_office__head__isnull=False)
        .values("agency_id")
    )
    return Q(**{f"{prefix}agency_id__in": named}) | Q(**{f"{prefix}agency_id__in": unnamed_led})


def held_roles(user, agency, document=None) -> set[str]:
    """The roles `user` holds for `agency` (agency-scoped ones), plus assignee and head."""
    if not scope.is_officer(user):
        return set()
    held = set(scope.assignments(user).filter(agency=agency).values_list("role", flat=True))
    if user.is_superuser:
        held |= set(Role.values)
    if user.pk in heads_of(agency):
        held |= {HEAD, Role.LEADER}
    if document is not None and hasattr(document, "assignments") and document.assignments.filter(user=user).exists():
        held.add(ASSIGNEE)
    return held
