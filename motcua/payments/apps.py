from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = "Phí, lệ phí và thanh toán"

    def ready(self) -> None:
        # The dossier workflow's fee events (motcua.dossiers.topics) and the fee form of its page.
        from motcua.core import events
        from motcua.dossiers import topics
        from motcua.dossiers.views.officer import action_form_register

        from .services.dossier_fees import dossier_ended, fees_confirmed_outside, fees_requested
        from .views.fees_form import FeesForm

        events.subscribe(topics.FEES_REQUESTED, fees_requested)
        events.subscribe(topics.FEES_CONFIRMED_OUTSIDE, fees_confirmed_outside)
        events.subscribe(topics.ENDED, dossier_ended)
        action_form_register("request_fees", FeesForm, needs_dossier=True)
