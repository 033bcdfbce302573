"""A cheap "last change" stamp of the public field-report data, for answers kept per process.

The Open311 request lists are functions of the reports (their public
fields, visibility and flags), their categories, the handling agencies' names and the public photos.
One statement, written once per process from the models' tables and columns, reads what moves when
any of those change:

- every service that changes a report saves `updated_at` (a save sets it to now, so any edit, a
  report becoming public or a new one raises the newest value); a report deleted also changes the
  count (the overdue flag, set by the deadline sweep without a save, is not in these answers);
- categories, agencies and photos the same way (count and newest `updated_at`);
- `since`: how many reports were submitted from that moment, so that an answer for "the last 90
  days" changes when a report leaves the window as the clock moves.

Equal stamps mean the same rows: an answer kept under a stamp is the answer a fresh read would
give. A change anywhere drops every kept answer (the next request of each re-reads); that is cheap
next to reading on every request.
"""

from __future__ import annotations

import datetime
from functools import cache

from django.db import connection

from motcua.core.models import Agency

from ..models import FieldReport, ReportCategory, ReportMedia

# "Since the beginning": no window.
_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@cache
def _sql() -> str:
    q = connection.ops.quote_name
    reports, categories, agencies, media = (
        q(model._meta.db_table) for model in (FieldReport, ReportCategory, Agency, ReportMedia)
    )
    changed = q("updated_at")

    def newest(table: str) -> str:
        return f"(SELECT CAST(MAX({changed}) AS TEXT) FROM {table})"

    def count(table: str, where: str = "") -> str:
        return f"(SELECT COUNT(*) FROM {table}{where})"

    # Each a plain aggregate the database answers from an index where there is one: the reports'
    # newest change from `fr_updated_idx`, those inside the window from the `submitted_at` index.
    return (
        f"SELECT {count(reports)}, {newest(reports)}, {count(reports, f' WHERE {q("submitted_at")} >= %s')},"
        f" {count(categories)}, {newest(categories)}, {count(agencies)}, {newest(agencies)},"
        f" {count(media)}, {newest(media)}"
    )


def public_reports_stamp(since: datetime.datetime | None = None) -> tuple:
    """The stamp (a tuple) of everything public about field reports; see the module's docstring."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [since or _EPOCH])
        return tuple(cursor.fetchone())
