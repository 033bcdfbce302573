from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from .broadcasts.audiences import register_audience_source, residents_audience
        from .models import Audience

        register_audience_source(Audience.RESIDENTS, residents_audience)
