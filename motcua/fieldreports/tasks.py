"""Background jobs for field reports (Django's Tasks API). Thin, and safe to run twice."""

from django.tasks import task

from .services.deadlines import reports_escalate
from .services.handling import reports_auto_close


@task()
def fieldreports_escalate() -> dict[str, int]:
    """Mark overdue reports and escalate each once to its supervisors (every 15 minutes)."""
    return reports_escalate()


@task()
def fieldreports_auto_close() -> int:
    """Close answered reports the reporter left unconfirmed for 7 days (daily)."""
    return reports_auto_close()
