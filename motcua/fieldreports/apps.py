from django.apps import AppConfig


class FieldReportsConfig(AppConfig):
    name = "motcua.fieldreports"
    label = "fieldreports"
    verbose_name = "Phản ánh hiện trường"

    def ready(self) -> None:
        from motcua.core import events, scope
        from motcua.core.middleware import register_error_renderer
        from motcua.core.services.calendar import CALENDAR_CHANGED

        from .open311.formats import render_errors
        from .selectors.reports import reports_handled_by
        from .services.calendar_change import reports_recompute_due

        # A report routed to an agency ties that agency's handlers to its reporter and its messages.
        scope.register_handled_records(
            source="fieldreports",
            subject_type="fieldreport",
            handled_by=reports_handled_by,
            person_field="reporter__person",
        )
        events.subscribe(CALENDAR_CHANGED, reports_recompute_due)

        def open311_refusal(request, status, code, message):
            # Open311 clients parse the specification's error list, in the format the path asked for.
            return render_errors("xml" if request.path_info.endswith(".xml") else "json", status, message)

        register_error_renderer("/open311/", open311_refusal)
