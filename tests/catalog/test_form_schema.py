"""A procedure's application form (form_schema): every refusal once, the canonical form, the admin,
the importer and exporter (round trips), the shipped forms and the catalog API."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.catalog.formschema import MAX_FIELDS, form_schema_clean, form_schema_problems
from motcua.catalog.models import Procedure
from motcua.catalog.services import SHIPPED_CATALOG, procedure_export, procedure_import
from tests.catalog.test_import_export import _post_data, admin_client, load_shipped, record  # noqa: F401
from tests.factories import ProcedureFactory

NAME = {"key": "ho_ten", "label": "Họ, chữ đệm, tên", "type": "text", "required": True}
DATE = {"key": "ngay_sinh", "label": "Ngày sinh", "type": "date", "not_future": True}
SEX = {"key": "gioi_tinh", "label": "Giới tính", "type": "choice", "choices": ["Nam", "Nữ"]}


def _one(**field) -> list:
    return [{"key": "truong", "label": "Trường", "type": "text", **field}]


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"key": "x"}, "Tờ khai phải là một danh sách"),
        (["chuỗi"], "Trường thứ 1 phải là một đối tượng JSON."),
        (_one(nhan="x"), "có khóa không dùng được: nhan."),
        (_one(key="Họ tên"), "mã trường (key) chỉ gồm chữ thường không dấu"),
        ([NAME, {**NAME, "label": "Tên khác"}], "Trường thứ 2 (“ho_ten”): mã trường “ho_ten” bị trùng."),
        (_one(type="email"), "loại trường “email” không hợp lệ; dùng một trong: text, textarea, date"),
        (_one(label="  "), "phải có nhãn (label)."),
        (_one(help="x" * 501), "“help” phải là chuỗi không quá 500 ký tự."),
        (_one(required="có"), "“required” phải là true hoặc false."),
        (_one(type="choice"), "trường lựa chọn phải có danh sách “choices”"),
        ([{**SEX, "choices": ["Nam", "Nam"]}], "danh sách lựa chọn có giá trị trùng."),
        (_one(choices=["a"]), "chỉ trường lựa chọn (choice) mới có “choices”."),
        ([{**DATE, "max_length": 10}], "“max_length” chỉ dùng cho trường chữ"),
        (_one(max_length=0), "“max_length” chỉ dùng cho trường chữ"),
        (_one(min=1), "“min” chỉ dùng cho trường số"),
        (_one(type="number", min=5, max=1), "“min” lớn hơn “max”."),
        (_one(not_future=True), "“not_future” chỉ dùng cho trường ngày."),
        (_one(prefill="person.mother"), "nguồn điền sẵn “person.mother” không hợp lệ"),
        ([{**SEX, "default": "Khác"}], "giá trị mặc định không có trong danh sách lựa chọn."),
        ([{**NAME, "key": f"k{i}"} for i in range(MAX_FIELDS + 1)], "Tờ khai có quá 80 trường."),
    ],
)
def test_each_refusal_has_a_clear_vietnamese_message(schema, message):
    problems = form_schema_problems(schema)
    assert any(message in p for p in problems), problems
    with pytest.raises(ValidationError):
        form_schema_clean(schema)


def test_limits_are_allowed_on_their_edge():
    fields = [{**NAME, "key": f"k{i}", "max_length": 2000, "type": "textarea"} for i in range(MAX_FIELDS)]
    assert form_schema_problems(fields) == []
    assert form_schema_problems(_one(max_length=1)) == []


def test_canonical_form_drops_defaults_and_trims():
    clean = form_schema_clean([{**NAME, "label": " Họ tên ", "remember": False, "help": ""}, DATE, SEX])
    assert clean[0] == {"key": "ho_ten", "label": "Họ tên", "type": "text", "required": True}
    assert clean[1] == DATE and clean[2] == SEX
    assert form_schema_clean(None) == [] and form_schema_clean([]) == []


@pytest.mark.django_db
def test_saving_a_procedure_checks_its_form():
    procedure = ProcedureFactory()
    procedure.form_schema = [NAME, {**NAME, "label": "Lặp"}]
    with pytest.raises(ValidationError) as exc:
        procedure.full_clean()
    assert "bị trùng" in str(exc.value.message_dict["form_schema"])
    with pytest.raises(ValidationError):
        procedure.save()
    procedure.form_schema = [{**NAME, "required": False}]
    procedure.save()
    procedure.refresh_from_db()
    assert procedure.form_schema == [{"key": "ho_ten", "label": "Họ, chữ đệm, tên", "type": "text"}]


@pytest.mark.django_db
def test_admin_edits_the_form_as_json_and_refuses_a_bad_one(admin_client):  # noqa: F811
    load_shipped()
    procedure = Procedure.objects.get(key="khai-sinh")
    url = reverse("admin:catalog_procedure_change", args=[procedure.pk])
    response = admin_client.get(url)
    assert 'name="form_schema"' in response.content.decode()
    data = _post_data(response)
    data["form_schema"] = json.dumps([NAME, {**DATE, "type": "ngay"}], ensure_ascii=False)
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "loại trường “ngay” không hợp lệ" in refused.content.decode()
    data["form_schema"] = json.dumps([NAME, DATE], ensure_ascii=False)
    assert admin_client.post(url, data).status_code == 302
    procedure.refresh_from_db()
    assert procedure.form_schema == [NAME, DATE]


@pytest.mark.django_db
def test_import_carries_the_form_and_refuses_a_bad_one_with_the_row():
    report = procedure_import(rows=[record(form_schema=[NAME, DATE, SEX])])
    assert report.ok, report.errors
    assert Procedure.objects.get(code="1.001193").form_schema == [NAME, DATE, SEX]
    report = procedure_import(rows=[record(form_schema=[NAME, {"key": "x", "label": "X", "type": "select"}])])
    assert not report.ok
    assert [(e.row, e.field) for e in report.errors] == [(1, "form_schema")]
    assert "loại trường “select” không hợp lệ" in report.errors[0].message
    assert Procedure.objects.get(code="1.001193").form_schema == [NAME, DATE, SEX]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_gives_the_same_forms(fmt):
    load_shipped()
    before = procedure_export(format=fmt)
    birth = Procedure.objects.get(key="khai-sinh")
    assert len(birth.form_schema) > 20
    forms = dict(Procedure.objects.values_list("code", "form_schema"))
    Procedure.objects.filter(code__in=forms).update(form_schema=[])
    report = procedure_import(file=before, format=fmt)
    assert report.ok, report.errors
    assert set(report.updated) == {code for code, schema in forms.items() if schema}
    assert dict(Procedure.objects.values_list("code", "form_schema")) == forms
    assert procedure_export(format=fmt) == before
    # Once more: nothing changes.
    assert procedure_import(file=before, format=fmt).updated == []


@pytest.mark.django_db
def test_a_file_without_the_form_column_keeps_the_stored_form():
    procedure_import(rows=[record(form_schema=[NAME])])
    rows = list(csv.DictReader(io.StringIO(procedure_export(format="csv").decode("utf-8-sig"))))
    del rows[0]["form_schema"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    report = procedure_import(file=out.getvalue(), format="csv")
    assert report.ok and report.unchanged == ["1.001193"]
    assert Procedure.objects.get(code="1.001193").form_schema == [NAME]
    # An empty cell clears it.
    rows[0]["form_schema"] = ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    assert procedure_import(file=out.getvalue(), format="csv").updated == ["1.001193"]
    assert Procedure.objects.get(code="1.001193").form_schema == []


def test_shipped_forms_are_valid_and_cover_the_common_procedures():
    shipped = {p["key"]: p for p in json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))["procedures"]}
    with_forms = {key for key, p in shipped.items() if p.get("form_schema")}
    assert {"khai-sinh", "khai-tu", "xac-nhan-hon-nhan", "xac-nhan-cu-tru"} <= with_forms
    for key in with_forms:
        assert form_schema_problems(shipped[key]["form_schema"]) == [], key
    birth = {f["key"]: f for f in shipped["khai-sinh"]["form_schema"]}
    for key in ("ho_ten", "ngay_sinh", "noi_sinh", "gioi_tinh", "dan_toc", "quoc_tich", "quan_he"):
        assert birth[key].get("required"), key
    assert birth["ngay_sinh"]["not_future"] is True
    for parent in ("me", "cha"):
        for part in ("ho_ten", "so_dinh_danh", "nam_sinh", "dan_toc", "quoc_tich", "noi_cu_tru"):
            assert birth[f"{parent}_{part}"]["remember"] is True
    assert "remember" not in birth["ho_ten"]


@pytest.mark.django_db
def test_procedure_detail_api_includes_the_form(client):
    procedure = ProcedureFactory(form_schema=[NAME, DATE, SEX])
    body = client.get(f"/api/v1/procedures/{procedure.code}").json()
    assert [f["key"] for f in body["form_schema"]] == ["ho_ten", "ngay_sinh", "gioi_tinh"]
    assert body["form_schema"][0]["required"] is True and body["form_schema"][1]["not_future"] is True
    assert body["form_schema"][2]["choices"] == ["Nam", "Nữ"]
