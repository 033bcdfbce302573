from django.apps import AppConfig


class FieldReportsConfig(AppConfig):
    name = "motcua.fieldreports"
    label = "fieldreports"
    verbose_name = "Phản ánh hiện trường"
