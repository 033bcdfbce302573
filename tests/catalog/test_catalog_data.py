"""The shipped catalog (motcua/catalog/data/procedures.json) against the official TSV list."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.catalog.models import Field, OnlineLevel, Procedure
from motcua.catalog.search import build_search_text
from motcua.catalog.services import SHIPPED_CATALOG
from motcua.core.models import AgencyKind, AuditEvent
from motcua.core.text import fold
from tests.catalog.conftest import LEVELS, read_tsv


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))


def test_every_tsv_procedure_is_shipped_with_its_exact_key_name_field_and_level(shipped):
    by_key = {p["key"]: p for p in shipped["procedures"]}
    rows = read_tsv()
    assert len(rows) == 53
    assert len(shipped["procedures"]) == len(rows)
    for row in rows:
        procedure = by_key[row["key"]]
        assert procedure["name"] == row["name"]
        assert procedure["field"] == row["field"]
        assert procedure["level"] == LEVELS[row["level"]]


def test_fields_are_listed_with_slugs_and_order_in_first_appearance_order(shipped):
    expected = list(dict.fromkeys(row["field"] for row in read_tsv()))
    assert [f["name"] for f in shipped["fields"]] == expected
    assert [f["order"] for f in shipped["fields"]] == list(range(1, len(expected) + 1))
    for f in shipped["fields"]:
        assert f["slug"] == fold(f["name"]).replace(" ", "-")


def test_codes_are_unique_and_each_procedure_is_complete(shipped):
    codes = [p["code"] for p in shipped["procedures"]]
    assert len(set(codes)) == len(codes)
    for p in shipped["procedures"]:
        label = p["key"]
        assert p["documents"], label
        assert all(d["name"] for d in p["documents"]), label
        assert p["steps"] and p["legal_basis"], label
        assert p["agency_kind"] in AgencyKind.values, label
        assert p["online_level"] in OnlineLevel.values, label
        assert Decimal(str(p["time_limit_days"])) >= 0, label
        assert p["time_limit_text"] and p["result_type"] and p["applicants"], label
        assert p["keywords"], label
        assert p["fee_text"] or p["fees"], label
        assert all(isinstance(f["amount"], int) and f["amount"] >= 0 for f in p["fees"]), label
        datetime.date.fromisoformat(p["valid_from"])
        if p["on_the_spot"]:
            assert Decimal(str(p["time_limit_days"])) == 0, label


def test_uncertain_codes_are_flagged_for_checking(shipped):
    for p in shipped["procedures"]:
        if p["code"].startswith("TAM."):
            assert "mã tạm" in p["check_notes"], p["key"]


def test_known_codes_and_everyday_words(shipped):
    by_key = {p["key"]: p for p in shipped["procedures"]}
    assert by_key["khai-sinh"]["code"] == "1.001193"
    assert "giấy khai sinh" in by_key["khai-sinh"]["keywords"]
    assert "sổ đỏ" in by_key["so-do-lan-dau"]["keywords"]
    assert "hôn thú" in by_key["ket-hon"]["keywords"]
    assert "CCCD" in by_key["cap-can-cuoc"]["keywords"]
    assert "bằng lái" in by_key["doi-gplx"]["keywords"]


@pytest.mark.django_db
def test_load_catalog_loads_everything_and_is_idempotent():
    call_command("load_catalog", verbosity=0)
    assert Procedure.objects.count() == 53
    assert Field.objects.count() == len({row["field"] for row in read_tsv()})
    birth = Procedure.objects.get(key="khai-sinh")
    assert birth.level == "commune" and birth.on_the_spot and birth.time_limit_days == 0
    assert birth.documents.exists()
    assert birth.search_text == build_search_text(birth)
    # 01 working day per the national portal's record (procedure-facts.tsv), no longer half a day.
    assert Procedure.objects.get(key="xac-nhan-cu-tru").time_limit_days == Decimal("1")
    assert Procedure.objects.get(key="doi-can-cuoc").fees.get().amount == 50000
    stamps = dict(Procedure.objects.values_list("code", "updated_at"))

    call_command("load_catalog", verbosity=0)

    assert Procedure.objects.count() == 53
    assert dict(Procedure.objects.values_list("code", "updated_at")) == stamps
    assert AuditEvent.objects.filter(action="catalog.procedures_imported").count() == 2
