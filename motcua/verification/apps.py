from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "motcua.verification"
    label = "verification"
    verbose_name = "Xác minh tài khoản"
