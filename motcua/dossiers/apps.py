from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ"

    def ready(self) -> None:
        from django.db.models import CharField, Q
        from django.db.models.functions import Cast

        from motcua.core import events, scope
        from motcua.core.services.calendar import CALENDAR_CHANGED

        from .selectors import dossiers_handled_by
        from .services.calendar_change import dossiers_recompute_due

        # A dossier ties the officers of the agencies handling it to its applicant and its messages.
        scope.register_person_source(
            "dossiers",
            lambda user: Q(
                pk__in=dossiers_handled_by(user).filter(applicant_person__isnull=False).values("applicant_person_id")
            ),
        )
        scope.register_message_subject(
            "dossier", lambda user: dossiers_handled_by(user).annotate(sid=Cast("pk", CharField())).values("sid")
        )
        events.subscribe(CALENDAR_CHANGED, dossiers_recompute_due)
