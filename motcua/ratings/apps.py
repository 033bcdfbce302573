from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    label = "ratings"
    verbose_name = "Đánh giá mức độ hài lòng"

    def ready(self) -> None:
        from motcua.core import events
        from motcua.fieldreports.services.handling import CONFIRMED, RATED

        from .services import field_report_confirmed, field_report_rate

        events.subscribe(CONFIRMED, field_report_confirmed)
        events.subscribe(RATED, field_report_rate)
