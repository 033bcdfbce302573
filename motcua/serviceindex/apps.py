from django.apps import AppConfig


class ServiceIndexConfig(AppConfig):
    name = "motcua.serviceindex"
    label = "serviceindex"
    verbose_name = "Chỉ số phục vụ người dân, doanh nghiệp"

    def ready(self) -> None:
        # The index sits above the apps it reads: it hears of every dossier status change (which
        # also covers a payment settling the fees and a result being signed and returned) through
        # the published topic, and refreshes that dossier's rollup cells in the same transaction.
        from motcua.core import events
        from motcua.dossiers import topics

        from .services import dossier_status_changed

        events.subscribe(topics.STATUS_CHANGED, dossier_status_changed)
