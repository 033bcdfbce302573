from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ"

    def ready(self):
        from motcua.core.services.calendar import calendar_change_subscribe

        from .services.calendar_change import dossiers_recompute_due

        calendar_change_subscribe(dossiers_recompute_due)
