"""The fee schedule: its headline, its consistency rules, and the shipped data checked against them
and against /work/shared/catalog/procedure-facts.tsv."""

import csv
import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from motcua.catalog.fees import Facts, default_selection, headline, lines_of, schedule_problems
from motcua.catalog.services import procedure_import
from motcua.core.text import fold

SHIPPED = Path(__file__).resolve().parents[2] / "motcua" / "catalog" / "data" / "procedures.json"
FACTS = Path("/work/shared/catalog/procedure-facts.tsv")
DAY = datetime.date(2026, 12, 7)


@pytest.fixture(scope="module")
def shipped() -> dict[str, dict]:
    return {p["key"]: p for p in json.loads(SHIPPED.read_text(encoding="utf-8"))["procedures"]}


def text(key: str, shipped, on=DAY) -> str:
    return headline(shipped[key]["fees"], on)["text"]


@pytest.mark.parametrize("key, expected", [
    ("ket-hon", "Miễn phí"),
    ("so-do-lan-dau", "Theo quy định của HĐND tỉnh"),
    ("giay-phep-xay-dung", "Theo quy định của HĐND tỉnh"),
    ("ho-kinh-doanh", "Theo quy định của HĐND tỉnh"),
    ("khai-sinh", "Miễn phí; trường hợp khác theo quy định của HĐND tỉnh"),
    ("chung-thuc-phan-chia-di-san", "50.000 đ"),
    ("thuong-tru", "Từ 10.000 đ đến 20.000 đ"),
    ("ban-le-ruou", "Từ 200.000 đ đến 1.200.000 đ"),
    ("ly-lich-tu-phap", "Từ 100.000 đ đến 200.000 đ (thu thêm trong một số trường hợp)"),
])
def test_headline_comes_from_the_schedule(shipped, key, expected):
    assert text(key, shipped) == expected


@pytest.mark.parametrize("day, expected", [
    (datetime.date(2026, 12, 31), "25.000 đ"),
    (datetime.date(2027, 1, 1), "50.000 đ"),
])
def test_headline_follows_the_temporary_halving(shipped, day, expected):
    assert text("doi-can-cuoc", shipped, day) == expected


def test_the_procedure_page_never_calls_council_set_fees_free(client, db):
    call_command("load_catalog", verbosity=0)
    from motcua.catalog.models import Procedure

    land = Procedure.objects.get(key="so-do-lan-dau")
    page = client.get(reverse("catalog:procedure", args=[land.code])).content.decode()
    assert "Theo quy định của HĐND tỉnh" in page
    assert "Miễn phí" not in page
    alcohol = Procedure.objects.get(key="ban-le-ruou")
    page = client.get(reverse("catalog:procedure", args=[alcohol.code])).content.decode()
    assert "1.200.000 đ" in page and "tại phường, tổ chức, doanh nghiệp" in page
    body = client.get(f"/api/v1/procedures/{land.code}").json()
    assert body["fee_headline"]["local"] is True and body["fee_headline"]["min"] is None


def _line(name="Khoản", amount=1000, **kw):
    return {"name": name, "amount": amount, "kind": "base", **kw}


@pytest.mark.parametrize("lines, fragment", [
    ([_line(kind="alternative", group="g", is_default=True), _line(kind="alternative", group="g", is_default=True)],
     "hai khoản mặc định"),
    ([_line(kind="alternative", group="g", when="online", is_default=True),
      _line(kind="alternative", group="g", when="online desk", is_default=True)], "hai khoản mặc định"),
    ([_line(kind="alternative", group="g")], "chỉ có một khoản"),
    ([_line(kind="alternative")], "không có nhóm"),
    ([_line(kind="extra")], "cần ghi trường hợp"),
    ([_line(kind="alternative", group="g", when="thanh-pho"), _line(kind="alternative", group="g")], "không hợp lệ"),
    ([_line(when="online")], "Chỉ phương án mới có điều kiện"),
    ([_line(reduced_amount=500, reduction_basis="TT")], "cần ngày hết hạn"),
    ([_line(reduced_amount=2000, reduced_until="2026-12-31", reduction_basis="TT")], "lớn hơn mức thu"),
    ([_line(reduced_amount=500, reduced_until="2026-12-31")], "cần căn cứ pháp lý"),
])
def test_schedule_problems_are_named(lines, fragment):
    problems = schedule_problems(lines_of(lines))
    assert any(fragment in p for p in problems), problems


def test_defaults_for_different_channels_may_share_a_group():
    lines = lines_of([
        _line(kind="alternative", group="g", when="desk", is_default=True),
        _line(kind="alternative", group="g", when="online", is_default=True),
        _line(kind="alternative", group="g", when="desk", condition="theo danh sách"),
    ])
    assert schedule_problems(lines) == []
    assert default_selection(lines, Facts(channel="desk")).indexes == [0]
    assert default_selection(lines, Facts(channel="online")).indexes == [1]


@pytest.mark.django_db
def test_import_refuses_an_impossible_schedule():
    from tests.catalog.test_import_export import record

    row = record(fees=[
        {"name": "A", "amount": 1000, "kind": "alternative", "group": "g", "is_default": True},
        {"name": "B", "amount": 2000, "kind": "alternative", "group": "g", "is_default": True},
    ])
    report = procedure_import(rows=[row])
    assert not report.ok
    assert any(e.field == "fees" and "mặc định" in e.message for e in report.errors)


def test_every_shipped_schedule_is_consistent(shipped):
    for key, p in shipped.items():
        lines = lines_of(p["fees"])
        assert schedule_problems(lines) == [], key
        folded = fold(p["fee_text"])
        if "hdnd" in folded or "hoi dong nhan dan" in folded:
            # An amount the council sets is a line of the schedule, marked local.
            assert any(line["local"] for line in lines), key
        if not lines:
            assert any(w in folded for w in ("mien", "khong thu")), key
        # Every facts-dependent default is decided or explicitly left to the officer, per area.
        for area in ("urban", "rural", "special_zone"):
            for applicant in ("person", "organisation"):
                for channel in ("online", "desk"):
                    selection = default_selection(lines, Facts(area, applicant, channel))
                    assert not (set(selection.indexes) & {i for ids in selection.unresolved.values() for i in ids})


def test_no_default_assessment_charges_two_lines_of_one_group(shipped):
    for key, p in shipped.items():
        lines = lines_of(p["fees"])
        selection = default_selection(lines, Facts("rural", "person", "desk"))
        groups = [lines[i]["group"] for i in selection.indexes if lines[i]["kind"] == "alternative"]
        assert len(groups) == len(set(groups)), key
        assert all(lines[i]["kind"] != "extra" for i in selection.indexes), key


def test_national_codes_from_the_facts_file_replace_provisional_ones(shipped):
    rows = list(csv.DictReader(FACTS.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 30
    found = [r for r in rows if r["code"].strip()]
    assert len(found) == 29
    for row in found:
        assert shipped[row["key"]]["code"] == row["code"].strip(), row["key"]
    assert shipped["ban-le-ruou"]["code"] == "TAM.ban-le-ruou"
    # 1.004194 is Đăng ký tạm trú on the portal: thường trú is provisional again, and says why.
    assert shipped["thuong-tru"]["code"].startswith("TAM.")
    assert "1.004194" in shipped["thuong-tru"]["check_notes"]
    assert sum(p["code"].startswith("TAM.") for p in shipped.values()) == 2


@pytest.mark.parametrize("key, days", [
    ("xoa-thuong-tru", 5), ("xac-nhan-cu-tru", 1), ("giay-phep-xay-dung", 7), ("chuyen-truong", 5),
    ("ket-hon-nuoc-ngoai", 5), ("chung-thuc-hop-dong", 2), ("ho-chieu", 8), ("cap-lai-can-cuoc", 7),
])
def test_time_limits_follow_the_facts_file(shipped, key, days):
    assert shipped[key]["time_limit_days"] == days


@pytest.mark.django_db
def test_admin_shows_the_schedule_and_refuses_two_defaults(admin_client, rf, admin_user):
    from django.contrib import admin

    from motcua.catalog.admin import FeeItemInline
    from motcua.catalog.models import Procedure

    call_command("load_catalog", verbosity=0)
    alcohol = Procedure.objects.get(key="ban-le-ruou")
    page = admin_client.get(reverse("admin:catalog_procedure_change", args=[alcohol.pk])).content.decode()
    assert "urban organisation" in page
    request = rf.post("/")
    request.user = admin_user
    formset_class = FeeItemInline(Procedure, admin.site).get_formset(request, alcohol)
    prefix = formset_class.get_default_prefix()
    data = {f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0"}
    for i, name in enumerate(("A", "B")):
        data.update({f"{prefix}-{i}-name": name, f"{prefix}-{i}-amount": "1000", f"{prefix}-{i}-order": str(i),
                     f"{prefix}-{i}-kind": "alternative", f"{prefix}-{i}-group": "g", f"{prefix}-{i}-is_default": "on"})
    formset = formset_class(data, instance=Procedure(pk=None))
    assert not formset.is_valid()
    assert "hai khoản mặc định" in str(formset.non_form_errors())
    data[f"{prefix}-1-is_default"] = ""
    assert formset_class(data, instance=Procedure(pk=None)).is_valid()


@pytest.mark.django_db
def test_a_database_loaded_with_the_earlier_codes_upgrades_with_load_catalog():
    import importlib

    from django.apps import apps

    from motcua.catalog.models import Procedure

    call_command("load_catalog", verbosity=0)
    # The earlier shipped state: thường trú under 1.004194, tạm trú provisional, both tiers plain lines.
    Procedure.objects.filter(key="tam-tru").update(code="TAM.tam-tru")
    Procedure.objects.filter(key="thuong-tru").update(code="1.004194")
    alcohol = Procedure.objects.get(key="ban-le-ruou")
    alcohol.fees.update(kind="base", group="", when="")
    importlib.import_module("motcua.catalog.migrations.0004_fees_thuong_tru_code").forwards(apps, None)

    call_command("load_catalog", verbosity=0)

    assert Procedure.objects.get(key="tam-tru").code == "1.004194"
    assert Procedure.objects.get(key="thuong-tru").code == "TAM.thuong-tru"
    assert set(alcohol.fees.values_list("kind", flat=True)) == {"alternative"}
    assert Procedure.objects.count() == 53
