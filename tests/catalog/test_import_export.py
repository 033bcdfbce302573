"""Import and export of procedures: idempotent by code, all-or-nothing, CSV and JSON round trips."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from motcua.catalog.models import FeeItem, Field, Procedure, RequiredDocument
from motcua.catalog.services import SHIPPED_CATALOG, procedure_export, procedure_import
from motcua.core.models import AuditEvent
from tests.factories import ProcedureFactory, UserFactory

pytestmark = pytest.mark.django_db


def record(**overrides) -> dict:
    data = {
        "code": "1.001193",
        "key": "khai-sinh",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "commune",
        "agency_kind": "commune_committee",
        "time_limit_days": 0,
        "on_the_spot": True,
        "online_level": "full",
        "result_type": "Giấy khai sinh",
        "applicants": "Cha, mẹ",
        "valid_from": "2025-07-01",
        "keywords": "giấy khai sinh",
        "documents": [{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh", "reusable_digitised": True}],
        "fees": [{"name": "Lệ phí", "amount": 8000, "exemption": "Miễn cho hộ nghèo"}],
        "legal_basis": ["Luật Hộ tịch 2014"],
        "steps": ["Nộp hồ sơ", "Nhận kết quả"],
    }
    data.update(overrides)
    return data


def snapshot() -> str:
    return procedure_export(format="json")


def load_shipped():
    report = procedure_import(file=SHIPPED_CATALOG, format="json")
    assert report.ok, report.errors


def test_import_creates_procedure_with_documents_fees_field_and_audit():
    actor = UserFactory()
    report = procedure_import(rows=[record()], actor=actor)

    assert report.ok and report.created == ["1.001193"] and report.fields_created == ["Hộ tịch"]
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.field.slug == "ho-tich"
    assert [d.name for d in procedure.documents.all()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert procedure.documents.get(name="Giấy chứng sinh").reusable_digitised
    assert procedure.fees.get().amount == 8000
    assert "giay khai sinh" in procedure.search_text
    event = AuditEvent.objects.get(action="catalog.procedures_imported")
    assert event.actor == actor and event.data["created"] == ["1.001193"]


def test_import_twice_changes_nothing():
    load_shipped()
    before = snapshot()
    stamps = dict(Procedure.objects.values_list("code", "updated_at"))
    doc_ids = set(RequiredDocument.objects.values_list("id", flat=True))

    report = procedure_import(file=SHIPPED_CATALOG, format="json")

    assert report.ok and not report.has_changes and len(report.unchanged) == 53
    assert snapshot() == before
    assert dict(Procedure.objects.values_list("code", "updated_at")) == stamps
    assert set(RequiredDocument.objects.values_list("id", flat=True)) == doc_ids


def test_update_in_place_replaces_documents_and_fees_and_reports_changed_columns():
    procedure_import(rows=[record()])
    pk = Procedure.objects.get(code="1.001193").pk

    report = procedure_import(
        rows=[record(name="Đăng ký khai sinh (mới)", documents=[{"name": "Tờ khai mới"}], fees=[])]
    )

    assert report.updated == ["1.001193"]
    assert set(report.changes[0].changed) == {"name", "documents", "fees"}
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.pk == pk and procedure.name == "Đăng ký khai sinh (mới)"
    assert [d.name for d in procedure.documents.all()] == ["Tờ khai mới"]
    assert not FeeItem.objects.exists()


def test_one_bad_row_rolls_back_all_and_every_bad_row_is_reported():
    load_shipped()
    before = snapshot()
    rows = [
        record(code="9.000001", key="moi-1", name="Thủ tục mới"),
        record(code="1.001193", key="khai-sinh", name="Đổi tên hợp lệ"),
        record(code="9.000002", key="moi-2", level="huyện"),
        record(code="9.000003", key="moi-3", time_limit_days=-1, fees=[{"name": "Phí", "amount": 1.5}]),
        record(code="9.000004", key="moi-4", valid_from="01/07/2025", field="Lĩnh vực mới"),
    ]

    report = procedure_import(rows=rows)

    assert not report.ok and not report.changes
    bad = {(e.row, e.code, e.field) for e in report.errors}
    assert (3, "9.000002", "level") in bad
    assert (4, "9.000003", "time_limit_days") in bad
    assert (4, "9.000003", "fees[1].amount") in bad
    assert (5, "9.000004", "valid_from") in bad
    assert all(e.message for e in report.errors)
    assert snapshot() == before
    assert not Field.objects.filter(name="Lĩnh vực mới").exists()
    assert not Procedure.objects.filter(code__startswith="9.").exists()


def test_validation_of_required_columns_choices_and_duplicates():
    rows = [
        record(code="9.1", key="a", agency_kind="ubnd"),
        record(code="9.1", key="b"),
        record(code="9.2", key="a", online_level="sometimes"),
        {"code": "9.3", "name": "Thiếu cột"},
    ]
    report = procedure_import(rows=rows)

    bad = {(e.row, e.field) for e in report.errors}
    assert {(1, "agency_kind"), (2, "code"), (3, "key"), (3, "online_level")} <= bad
    assert {(4, "field"), (4, "level"), (4, "valid_from"), (4, "time_limit_days")} <= bad
    assert Procedure.objects.count() == 0


def test_key_taken_by_another_procedure_is_an_error_not_a_crash():
    ProcedureFactory(code="2.000001", key="khai-sinh")
    report = procedure_import(rows=[record()])
    assert [(e.row, e.field) for e in report.errors] == [(1, "key")]
    assert not Procedure.objects.filter(code="1.001193").exists()


def test_missing_key_is_kept_or_derived_from_the_name():
    procedure_import(rows=[record()])
    report = procedure_import(rows=[record(key=""), record(code="9.5", key=None, name="Cấp giấy phép bán lẻ rượu")])
    assert report.ok, report.errors
    assert Procedure.objects.get(code="1.001193").key == "khai-sinh"
    assert Procedure.objects.get(code="9.5").key == "cap-giay-phep-ban-le-ruou"


def test_provisional_code_is_upgraded_in_place_by_key_or_exact_name():
    load_shipped()
    # The two procedures still shipped under provisional codes (procedure-facts.tsv found the rest).
    passport = Procedure.objects.get(key="ban-le-ruou")
    licence = Procedure.objects.get(key="thuong-tru")
    assert passport.code.startswith("TAM.") and licence.code.startswith("TAM.")
    national = [
        record(code="2.002189", key="ban-le-ruou", name=passport.name, field=passport.field.name, level="province"),
        record(code="1.012345", key="", name=licence.name, field=licence.field.name, level="province"),
    ]

    report = procedure_import(rows=national)

    assert report.ok, report.errors
    assert report.updated == ["2.002189", "1.012345"] and "code" in report.changes[0].changed
    passport.refresh_from_db()
    licence.refresh_from_db()
    assert (passport.code, licence.code, licence.key) == ("2.002189", "1.012345", "thuong-tru")
    assert Procedure.objects.count() == 53


def test_a_key_may_move_between_procedures_in_one_file():
    procedure_import(rows=[record(code="9.1", key="a"), record(code="9.2", key="b")])
    report = procedure_import(rows=[record(code="9.1", key="b"), record(code="9.2", key="c")])
    assert report.ok, report.errors
    assert dict(Procedure.objects.values_list("code", "key")) == {"9.1": "b", "9.2": "c"}


def test_plain_list_and_vietnamese_level_names_are_accepted():
    data = json.dumps([record(level="xã"), record(code="9.9", key="tinh", level="Cấp tỉnh", online_level="Một phần")])
    report = procedure_import(file=data.encode(), format="json")
    assert report.ok, report.errors
    assert Procedure.objects.get(code="9.9").level == "province"
    assert Procedure.objects.get(code="9.9").online_level == "partial"


def test_broken_files_are_reported_not_raised():
    assert procedure_import(file=b"{not json", format="json").errors[0].row == 0
    assert procedure_import(file=b"\xff\xfe", format="csv").errors[0].row == 0
    report = procedure_import(file="code,name\n1.1,X\n", format="csv")
    assert {e.field for e in report.errors} >= {"field", "level", "valid_from"}


def test_dry_run_reports_but_keeps_nothing():
    report = procedure_import(rows=[record()], dry_run=True)
    assert report.ok and report.created == ["1.001193"]
    assert not Procedure.objects.exists() and not Field.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_reimports_to_the_same_data(fmt):
    load_shipped()
    before = snapshot()
    exported = procedure_export(format=fmt)
    Procedure.objects.all().delete()
    Field.objects.all().delete()

    report = procedure_import(file=exported, format=fmt)

    assert report.ok, report.errors[:5]
    assert len(report.created) == 53
    assert snapshot() == before
    assert procedure_export(format=fmt) == exported


def test_csv_layout_is_one_row_per_procedure_with_json_list_cells():
    load_shipped()
    data = procedure_export(format="csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 53
    birth = next(r for r in rows if r["key"] == "khai-sinh")
    assert birth["field_slug"] == "ho-tich"
    assert json.loads(birth["documents"])[0]["name"]
    assert isinstance(json.loads(birth["legal_basis"]), list)


def test_csv_cells_may_list_one_item_per_line():
    load_shipped()
    rows = list(csv.DictReader(io.StringIO(procedure_export(format="csv").decode("utf-8-sig"))))
    birth = next(r for r in rows if r["key"] == "khai-sinh")
    birth["steps"] = "Bước một\nBước hai"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(birth))
    writer.writeheader()
    writer.writerow(birth)
    report = procedure_import(file=out.getvalue(), format="csv")
    assert report.updated == [birth["code"]]
    assert Procedure.objects.get(key="khai-sinh").steps == ["Bước một", "Bước hai"]


def test_commands_import_export_and_fail_with_row_report(tmp_path, capsys):
    call_command("load_catalog", verbosity=0)
    out = tmp_path / "catalog.csv"
    call_command("export_procedures", format="csv", output=str(out))
    call_command("import_procedures", str(out), verbosity=0)

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([record(level="huyện")]), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_procedures", str(bad))
    assert "level" in capsys.readouterr().err


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_admin_import_view_imports_and_shows_what_changed(admin_client):
    url = reverse("admin:catalog_procedure_import")
    assert admin_client.get(url).status_code == 200
    upload = SimpleUploadedFile("catalog.json", SHIPPED_CATALOG.read_bytes(), content_type="application/json")

    response = admin_client.post(url, {"file": upload})

    assert response.status_code == 200
    assert Procedure.objects.count() == 53
    assert "Thêm mới 53" in response.content.decode()
    assert AuditEvent.objects.get(action="catalog.procedures_imported").actor is not None


def test_admin_import_view_shows_row_errors_and_writes_nothing(admin_client):
    upload = SimpleUploadedFile("bad.json", json.dumps([record(), record(code="9.2", key="x", level="huyện")]).encode())
    response = admin_client.post(reverse("admin:catalog_procedure_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "import-errors" in page and "9.2" in page and "level" in page
    assert not Procedure.objects.exists()


def test_admin_export_action_and_changelist_links(admin_client):
    load_shipped()
    changelist = reverse("admin:catalog_procedure_changelist")
    page = admin_client.get(changelist).content.decode()
    assert reverse("admin:catalog_procedure_import") in page
    ids = list(Procedure.objects.filter(field__slug="ho-tich").values_list("pk", flat=True))
    response = admin_client.post(changelist, {"action": "export_json", "_selected_action": ids})
    assert response["Content-Disposition"].startswith("attachment")
    assert len(json.loads(response.content)["procedures"]) == len(ids)
    response = admin_client.get(reverse("admin:catalog_procedure_export", args=["csv"]))
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")


def _post_data(response) -> dict:
    """What a browser would send back for the admin change form as rendered."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def test_admin_change_form_saves_refreshes_search_text_and_audits(admin_client):
    load_shipped()
    procedure = Procedure.objects.get(key="khai-sinh")
    url = reverse("admin:catalog_procedure_change", args=[procedure.pk])
    response = admin_client.get(url)
    assert "Tờ khai đăng ký khai sinh" in response.content.decode()
    data = _post_data(response)
    data["keywords"] = "làm khai sinh cho bé, giấy khai sanh"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    procedure.refresh_from_db()
    assert "khai sanh" in procedure.search_text
    assert procedure.documents.count() == 6
    assert AuditEvent.objects.filter(action="catalog.procedure_changed", object_id=str(procedure.pk)).exists()


def test_import_view_requires_permission(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:catalog_procedure_import")).status_code == 403
