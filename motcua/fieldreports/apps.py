from django.apps import AppConfig


class FieldReportsConfig(AppConfig):
    name = "motcua.fieldreports"
    label = "fieldreports"
    verbose_name = "Phản ánh hiện trường"

    def ready(self):
        from motcua.core.services.calendar import calendar_change_subscribe

        from .services.calendar_change import reports_recompute_due

        calendar_change_subscribe(reports_recompute_due)
