from django.apps import AppConfig


class NationalSyncConfig(AppConfig):
    name = "motcua.nationalsync"
    label = "nationalsync"
    verbose_name = "Đồng bộ Cổng Dịch vụ công quốc gia"

    def ready(self) -> None:
        # Above dossiers: every status change is published by dossiers and queued here, in the
        # dossier action's own transaction (no change without its message, no message without it).
        from motcua.core import events
        from motcua.dossiers import topics

        from .services import sync_enqueue_for_event

        events.subscribe(topics.STATUS_CHANGED, sync_enqueue_for_event)
