from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "motcua.outreach"
    label = "outreach"
    verbose_name = "Tổ công nghệ số cộng đồng"

    def ready(self) -> None:
        from motcua.core import events, scope
        from motcua.dossiers import topics

        from .subscribers import dossier_submitted

        scope.register_person_source("households", _household_people)
        events.subscribe(topics.SUBMITTED, dossier_submitted)


def _household_people(user):
    """Heads and members of the households in the officer's outreach area (teams' hamlets, communes)."""
    from django.db.models import Q

    from .models import Household, HouseholdMember
    from .selectors import outreach_area_for

    area = outreach_area_for(user)
    if not area.sees_households or area.everything:
        # The superuser's "everything" is the wide view, audited in core; not a household tie.
        return Q(pk__in=[])
    households = Household.objects.filter(area.household_condition())
    heads = households.filter(head__isnull=False).values("head_id")
    members = HouseholdMember.objects.filter(household__in=households, person__isnull=False).values("person_id")
    return Q(pk__in=heads) | Q(pk__in=members)
