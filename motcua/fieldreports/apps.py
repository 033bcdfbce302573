from django.apps import AppConfig


class FieldReportsConfig(AppConfig):
    name = "motcua.fieldreports"
    label = "fieldreports"
    verbose_name = "Phản ánh hiện trường"

    def ready(self):
        from motcua.core.middleware import register_error_renderer

        from .open311.formats import render_errors

        def open311_refusal(request, status, code, message):
            # Open311 clients parse the specification's error list, in the format the path asked for.
            return render_errors("xml" if request.path_info.endswith(".xml") else "json", status, message)

        register_error_renderer("/open311/", open311_refusal)
