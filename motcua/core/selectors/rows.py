"""Reading a queryset by what a caller sent: one row by its id (a path segment, a form field, a JSON
value), or the rows matching the optional filters it gave."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from motcua.core.errors import NotFound


def row_get_by_id(queryset: QuerySet, raw_id, *, code: str, message: str | None = None) -> Model:
    """The row of `queryset` with this id; NotFound(`message`, `code`) when the id is not a whole
    number a database id column can hold, or the queryset (the caller's scope) has no such row."""
    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        raise NotFound(message, code=code)
    if not 0 < pk < 2**63:  # beyond any id; the database would refuse to compare it
        raise NotFound(message, code=code)
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise NotFound(message, code=code)
    return row


def filter_given(queryset: QuerySet, **lookups) -> QuerySet:
    """Narrow `queryset` by each lookup whose value was given (an empty value or None leaves it out)."""
    for lookup, value in lookups.items():
        if value:
            queryset = queryset.filter(**{lookup: value})
    return queryset
