"""Writing many rows fast, for imports that count tens of thousands of payments at once.

Why not `bulk_create` / `bulk_update`: they compile SQL for every value of every row (and bulk_update
a CASE per field and row), which for 100,000 statement lines cost more than the rest of the reconcile.
Values are still prepared by each field (`get_db_prep_save`) wherever that is not a no-op, so dates,
JSON, files and foreign keys are stored exactly as the ORM would store them.

- SQLite: one prepared statement run over all rows (`executemany`), which is what SQLite is fast at.
- PostgreSQL: `COPY … FROM STDIN` for inserts, and for updates into a temporary table, then one UPDATE.
  psycopg runs `executemany` as one statement per row (one round trip and result each): on the
  100,000-line bench that was most of the reconcile's time.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

CHUNK = 5000
# Field types whose `get_db_prep_save` hands a plain Python value (str, int, aware datetime, None) to
# psycopg unchanged; every other type (JSON, files, …) is prepared by its field.
_PLAIN_ON_POSTGRES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateTimeField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def prepared_rows(model, field_names: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
    """`rows` (one value per field, foreign keys as ids, text as str) ready for the database driver."""
    fields = [model._meta.get_field(name) for name in field_names]
    # None: the value goes to the driver as it is.
    plain = _PLAIN_ON_POSTGRES if _postgres() else set()
    steps = [None if f.get_internal_type() in plain else f for f in fields]
    if all(step is None for step in steps):
        return rows
    return [
        tuple(
            value if f is None else f.get_db_prep_save(value, connection) for f, value in zip(steps, row, strict=True)
        )
        for row in rows
    ]


def _copy(cursor, sql: str, rows: list[tuple]) -> None:
    """COPY `rows` through the driver's cursor (`cursor.cursor`: Django's wrapper has no `copy`).

    Django's cursor wrapper turns driver errors into Django's (`IntegrityError`, `DataError`, …) and
    tells the connection when it is broken; going round it, COPY must do the same itself, or a unique
    violation (the same statement imported twice at once) escapes as `psycopg.errors.UniqueViolation`
    past every `except IntegrityError`."""
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(model, field_names: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT `rows` (tuples in the order of `field_names`, foreign keys as ids): COPY on PostgreSQL,
    one prepared statement (executemany) elsewhere. All rows or none (a savepoint inside a caller's
    transaction)."""
    if not rows:
        return
    meta = model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(name).column) for name in field_names)
    rows = prepared_rows(model, field_names, rows)
    with transaction.atomic(), connection.cursor() as cursor:
        if _postgres():
            _copy(cursor, f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN", rows)
            return
        sql = "INSERT INTO {} ({}) VALUES ({})".format(qn(meta.db_table), columns, ", ".join(["%s"] * len(field_names)))
        for chunk in chunks(rows):
            cursor.executemany(sql, chunk)


def update_rows(model, field_names: tuple[str, ...], rows: list[tuple]) -> None:
    """UPDATE `field_names` of many rows by primary key; `rows` are (pk, *values).

    PostgreSQL: the rows are COPied into a temporary table and applied with one UPDATE … FROM. (Django's
    psycopg cursor binds parameters on the client, so one array parameter of 60,000 values is quoted
    value by value in Python: slower than the COPY.) The temporary table is named in `pg_temp`, so no
    table of the same name elsewhere on the search path can be read or dropped instead. Elsewhere one
    prepared statement runs for every row. All rows or none, like `insert_rows`."""
    if not rows:
        return
    meta = model._meta
    qn = connection.ops.quote_name
    fields = [meta.get_field(name) for name in field_names]
    rows = prepared_rows(model, (meta.pk.name, *field_names), rows)
    with transaction.atomic(), connection.cursor() as cursor:
        if _postgres():
            temp = "pg_temp." + qn(f"bulk_update_{meta.db_table}")
            names = [f"c{i}" for i in range(len(fields) + 1)]
            types = [_column_type(f.db_type(connection)) for f in (meta.pk, *fields)]
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(
                "CREATE TEMPORARY TABLE {} ({})".format(
                    temp, ", ".join(f"{n} {t}" for n, t in zip(names, types, strict=True))
                )
            )
            _copy(cursor, f"COPY {temp} ({', '.join(names)}) FROM STDIN", rows)
            cursor.execute(
                "UPDATE {table} AS t SET {sets} FROM {temp} AS v WHERE t.{pk} = v.c0".format(
                    table=qn(meta.db_table),
                    sets=", ".join(f"{qn(f.column)} = v.{n}" for f, n in zip(fields, names[1:], strict=True)),
                    temp=temp,
                    pk=qn(meta.pk.column),
                )
            )
            cursor.execute(f"DROP TABLE {temp}")
            return
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            qn(meta.db_table), ", ".join(f"{qn(f.column)} = %s" for f in fields), qn(meta.pk.column)
        )
        for chunk in chunks([(*row[1:], row[0]) for row in rows]):
            cursor.executemany(sql, chunk)


def _column_type(db_type: str) -> str:
    """A plain column type for the temporary table: serial types are integers, CHECK clauses dropped."""
    base = db_type.split(" CHECK")[0].strip()
    return {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}.get(base, base)
