from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    label = "ratings"
    verbose_name = "Đánh giá mức độ hài lòng"

    def ready(self) -> None:
        from motcua.core import events

        from .services import field_report_confirmed, field_report_rate

        events.subscribe("fieldreport.confirmed", field_report_confirmed)
        events.subscribe("fieldreport.rated", field_report_rate)
