"""Printing an import report from a management command (shared by load_catalog and import_procedures)."""

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import ImportReport


def print_report(command: BaseCommand, report: ImportReport, *, verbosity: int = 1) -> None:
    """Write the report; raise CommandError (exit status 1) if the import was refused."""
    for warning in report.warnings:
        command.stderr.write(command.style.WARNING(warning))
    if not report.ok:
        for error in report.errors:
            command.stderr.write(str(error))
        raise CommandError(report.summary())
    if verbosity >= 2:
        for change in report.changes:
            if change.action != "unchanged":
                detail = f" ({', '.join(change.changed)})" if change.changed else ""
                command.stdout.write(f"  {change.action}: {change.code} {change.name}{detail}")
    command.stdout.write(command.style.SUCCESS(report.summary()))
