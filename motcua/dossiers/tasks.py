"""Background jobs for dossiers (Django's built-in Tasks API).

Thin: each task calls a service and is safe to run twice. With the default ImmediateBackend a
task runs inline when enqueued; with a queue backend (django-tasks-db) a worker runs it.
"""

from django.tasks import task

from .services.deadlines import deadlines_refresh


@task()
def dossier_deadlines_refresh() -> dict[str, int]:
    """Mark due-soon/overdue dossiers and draft apology letters (every 15 minutes)."""
    return deadlines_refresh()
