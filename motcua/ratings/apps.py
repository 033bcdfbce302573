from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    label = "ratings"
    verbose_name = "Đánh giá mức độ hài lòng"

    def ready(self) -> None:
        # The rating invitation made when a dossier's result is returned; its link goes in the notice.
        from motcua.core import events
        from motcua.dossiers import topics

        from .services import returned_invitation

        events.subscribe(topics.RESULT_RETURNED, returned_invitation)
