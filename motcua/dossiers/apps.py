from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ"

    def ready(self) -> None:
        from motcua.core import events, scope
        from motcua.core.services.calendar import CALENDAR_CHANGED

        from .selectors import dossiers_handled_by
        from .services.calendar_change import dossiers_recompute_due

        # A dossier ties the officers of the agencies handling it to its applicant and its messages.
        scope.register_handled_records(
            source="dossiers", subject_type="dossier", handled_by=dossiers_handled_by, person_field="applicant_person"
        )
        events.subscribe(CALENDAR_CHANGED, dossiers_recompute_due)
