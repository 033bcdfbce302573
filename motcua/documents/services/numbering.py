"""Number series: taken under a row lock, so concurrent registrations never share or skip a number."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ..models import DocumentType, NumberSeries, SeriesKind


def _series_row(agency, year: int, kind: str, doc_type: DocumentType | None) -> NumberSeries:
    lookup = {"agency": agency, "year": year, "kind": kind, "doc_type": doc_type}
    series = NumberSeries.objects.select_for_update().filter(**lookup).first()
    if series is not None:
        return series
    try:
        with transaction.atomic():
            NumberSeries.objects.create(**lookup)
    except IntegrityError:
        pass  # another clerk created it first: lock theirs
    return NumberSeries.objects.select_for_update().get(**lookup)


def number_take(*, agency, year: int, kind: str, doc_type: DocumentType | None = None) -> int:
    """The next number of the series (1 for the first of the year). Call inside the caller's transaction."""
    if kind == SeriesKind.INCOMING or doc_type is None or not doc_type.is_legal_normative:
        doc_type = None
    series = _series_row(agency, year, kind, doc_type)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number
