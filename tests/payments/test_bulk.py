"""payments.bulk: rows written by COPY (PostgreSQL) or executemany (SQLite) fail like the ORM does.

A driver error inside COPY must reach callers as Django's `IntegrityError` / `DataError` (the statement
import turns an `IntegrityError` into its 409 `statement_conflict`), a failed write must leave none of
its rows, and the temporary table of `update_rows` must never be confused with a real table.
"""

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from motcua.payments.bulk import insert_rows, update_rows
from motcua.payments.models import Payment, PaymentMethod, PaymentStatus

pytestmark = pytest.mark.django_db

FIELDS = (
    "method",
    "status",
    "amount",
    "external_id",
    "payer_name",
    "description",
    "received_at",
    "resolution_note",
    "created_at",
    "updated_at",
)


def row(external_id: str, amount: int = 8000) -> tuple:
    now = timezone.now()
    return (PaymentMethod.BANK_TRANSFER, PaymentStatus.UNMATCHED, amount, external_id, "", "", now, "", now, now)


def test_rows_are_inserted():
    insert_rows(Payment, FIELDS, [row("FT1", 8000), row("FT2", 12000)])
    assert dict(Payment.objects.values_list("external_id", "amount")) == {"FT1": 8000, "FT2": 12000}


def test_nothing_to_insert_or_update_is_a_no_op():
    insert_rows(Payment, FIELDS, [])
    update_rows(Payment, ("amount",), [])
    assert not Payment.objects.exists()


def test_unique_violation_is_djangos_integrity_error_and_keeps_none_of_the_rows():
    insert_rows(Payment, FIELDS, [row("FT1")])
    with pytest.raises(IntegrityError):
        insert_rows(Payment, FIELDS, [row("FT2"), row("FT1"), row("FT3")])
    # The failed write left nothing, and the surrounding transaction is still usable.
    assert list(Payment.objects.values_list("external_id", flat=True)) == ["FT1"]
    insert_rows(Payment, FIELDS, [row("FT2")])
    assert Payment.objects.count() == 2


def test_repeat_inside_one_write_is_refused():
    with pytest.raises(IntegrityError):
        insert_rows(Payment, FIELDS, [row("FT7"), row("FT7")])
    assert not Payment.objects.exists()


def test_failed_insert_rolls_back_with_the_callers_transaction():
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            method=PaymentMethod.CASH, status=PaymentStatus.UNMATCHED, amount=1, received_at=timezone.now()
        )
        insert_rows(Payment, FIELDS, [row("FT1"), row("FT1")])
    assert not Payment.objects.exists()


def test_rows_are_updated_by_primary_key():
    insert_rows(Payment, FIELDS, [row("FT1", 8000), row("FT2", 9000), row("FT3", 10000)])
    pks = dict(Payment.objects.values_list("external_id", "pk"))
    update_rows(Payment, ("amount", "payer_name"), [(pks["FT1"], 1, "An"), (pks["FT3"], 3, "Bình")])
    assert sorted(Payment.objects.values_list("external_id", "amount", "payer_name")) == [
        ("FT1", 1, "An"),
        ("FT2", 9000, ""),
        ("FT3", 3, "Bình"),
    ]


def test_update_to_a_taken_value_is_refused_and_changes_nothing():
    insert_rows(Payment, FIELDS, [row("FT1", 8000), row("FT2", 9000)])
    pks = dict(Payment.objects.values_list("external_id", "pk"))
    with pytest.raises(IntegrityError):
        update_rows(Payment, ("amount", "external_id"), [(pks["FT1"], 1, "FT1"), (pks["FT2"], 2, "FT1")])
    assert sorted(Payment.objects.values_list("external_id", "amount")) == [("FT1", 8000), ("FT2", 9000)]


def _table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


@pytest.mark.postgres_only
def test_postgres_value_too_long_is_djangos_data_error_and_leaves_no_temporary_table():
    insert_rows(Payment, FIELDS, [row("FT1")])
    pk = Payment.objects.get().pk
    temp = f"pg_temp.bulk_update_{Payment._meta.db_table}"
    with pytest.raises(DataError):
        update_rows(Payment, ("external_id",), [(pk, "x" * 65)])
    assert not _table_exists(temp)
    assert Payment.objects.get().external_id == "FT1"
    with pytest.raises(DataError):
        insert_rows(Payment, FIELDS, [row("y" * 65)])
    assert Payment.objects.count() == 1


@pytest.mark.postgres_only
def test_postgres_temporary_table_never_touches_a_real_table_of_the_same_name():
    # A permanent table with the temporary table's name: unqualified, `DROP TABLE IF EXISTS` (no
    # temporary table yet) would drop it, and the UPDATE could read it.
    name = f"bulk_update_{Payment._meta.db_table}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE public.{connection.ops.quote_name(name)} (c0 bigint, c1 bigint)")
        cursor.execute(f"INSERT INTO public.{connection.ops.quote_name(name)} VALUES (1, 999)")
    insert_rows(Payment, FIELDS, [row("FT1", 8000)])
    pk = Payment.objects.get().pk
    update_rows(Payment, ("amount",), [(pk, 5)])
    assert Payment.objects.get().amount == 5
    assert _table_exists(f"public.{name}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c0, c1 FROM public.{connection.ops.quote_name(name)}")
        assert cursor.fetchall() == [(1, 999)]
