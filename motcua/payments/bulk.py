"""Writing many rows fast, for imports that count tens of thousands of payments at once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

CHUNK = 5000


def chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_rows(model, field_names: tuple[str, ...], objects: list) -> None:
    """INSERT many rows with one prepared statement (executemany). `bulk_create` compiles SQL for every
    value of every row, which for 100,000 lines cost most of the reconcile; values are still prepared
    by each field (`get_db_prep_save`), so dates, JSON and foreign keys are stored exactly as the ORM would."""
    if not objects:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    attnames = [f.attname for f in fields]
    prepared = [
        tuple(
            f.get_db_prep_save(getattr(obj, attname), connection) for f, attname in zip(fields, attnames, strict=True)
        )
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for chunk in chunks(prepared):
            cursor.executemany(sql, chunk)
