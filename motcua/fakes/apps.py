from django.apps import AppConfig


class FakesConfig(AppConfig):
    name = "motcua.fakes"
    label = "fakes"
    verbose_name = "Dịch vụ giả lập"
