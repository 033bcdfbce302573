"""A cheap "last change" stamp of the public field-report data, for answers kept per process.

The Open311 request lists are functions of the reports (their public
fields, visibility and flags), their categories, the handling agencies' names and the public photos.
One statement, written once per process from the models' tables and columns, reads what moves when
any of those change:

- every service that changes a report saves `updated_at` (a save sets it to now, so any edit, a
  report becoming public or a new one raises the newest value; read from `fr_updated_idx`, one
  index probe); the overdue flag, set by the deadline sweep without a save, is not in these answers;
- `since`: how many reports were submitted from that moment (the start of the answer's window, or
  the beginning when it has none), so that an answer for "the last 90 days" changes when a report
  leaves the window as the clock moves, and when a report inside it is deleted (a report outside
  the window is not in the answer);
- categories, agencies and photos: count and newest `updated_at`.

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
    changed, submitted = q("updated_at"), q("submitted_at")
    newest = f"CAST(MAX({changed}) AS TEXT)"
    # The reports' newest change alone, so that it is one probe of `fr_updated_idx`; those inside the
    # window counted from the `submitted_at` index; the small tables in one pass each.
    return (
        f"SELECT * FROM (SELECT {newest} FROM {reports}) r,"
        f" (SELECT COUNT(*) FROM {reports} WHERE {submitted} >= %s) w,"
        f" (SELECT COUNT(*), {newest} FROM {categories}) c, (SELECT COUNT(*), {newest} FROM {agencies}) a,"
        f" (SELECT COUNT(*), {newest} FROM {media}) m"
    )


def public_reports_stamp(since: datetime.datetime | None = None) -> tuple:
    """The stamp (a tuple) of everything public about field reports; see the module's docstring."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [since or _EPOCH])
        return tuple(cursor.fetchone())
