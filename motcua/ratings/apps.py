from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    label = "ratings"
    verbose_name = "Đánh giá mức độ hài lòng"

    def ready(self) -> None:
        # Ratings sits above dossiers and field reports: it hears of returned results (the rating
        # link goes in the notice) and of confirmed or rated field reports through published topics.
        from motcua.core import events
        from motcua.dossiers import topics
        from motcua.fieldreports.services.handling import CONFIRMED, RATED

        from .services import field_report_confirmed, field_report_rate, returned_invitation

        events.subscribe(topics.RESULT_RETURNED, returned_invitation)
        events.subscribe(CONFIRMED, field_report_confirmed)
        events.subscribe(RATED, field_report_rate)
