from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = "Chữ ký số"

    def ready(self) -> None:
        # Approving a result signs it; returning it checks the signature (see services/result_steps.py).
        from motcua.dossiers.services.step_hooks import step_hook_register
        from motcua.signing.services.result_steps import approve_sign_results, return_check_signature

        step_hook_register("approve", approve_sign_results)
        step_hook_register("return_result", return_check_signature)
