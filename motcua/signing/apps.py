from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = "Chữ ký số"

    def ready(self) -> None:
        # Approving a result signs it; returning it checks the signature (see services/result_steps.py).
        from motcua.core import events
        from motcua.dossiers.topics import action_topic
        from motcua.signing.services.result_steps import approve_sign_results, return_check_signature

        events.subscribe(action_topic("approve"), approve_sign_results)
        events.subscribe(action_topic("return_result"), return_check_signature)
