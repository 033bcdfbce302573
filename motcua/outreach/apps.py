from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "motcua.outreach"
    label = "outreach"
    verbose_name = "Tổ công nghệ số cộng đồng"

    def ready(self) -> None:
        from motcua.core import events, scope
        from motcua.dossiers import topics
        from motcua.notifications.broadcasts.audiences import register_audience_source
        from motcua.notifications.models import Audience

        from .selectors.households import household_heads_audience, household_people_for
        from .subscribers import dossier_submitted

        events.subscribe(topics.SUBMITTED, dossier_submitted)

        scope.register_person_source("households", household_people_for)
        register_audience_source(Audience.HOUSEHOLD_HEADS, household_heads_audience)
