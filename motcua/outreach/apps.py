from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "motcua.outreach"
    label = "outreach"
    verbose_name = "Tổ công nghệ số cộng đồng"
