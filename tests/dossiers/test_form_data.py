"""The application form (tờ khai) of a dossier: answers checked against the procedure's schema,
stored as data, prefilled, shown on the detail pages and in the API, and kept private."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import form_initial
from motcua.dossiers.services.form_data import form_data_clean
from motcua.dossiers.services.intake_desk import DeskPaper, dossier_desk_intake
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import image_bytes, pdf_bytes, upload
from tests.factories import CitizenUserFactory

media = intake_helpers.media
world = intake_helpers.world

pytestmark = pytest.mark.django_db

SCHEMA = [
    {
        "key": "nguoi_ho_ten",
        "label": "Họ tên người yêu cầu",
        "type": "text",
        "required": True,
        "prefill": "person.full_name",
        "section": "Người yêu cầu",
    },
    {
        "key": "nguoi_so_dinh_danh",
        "label": "Số định danh người yêu cầu",
        "type": "personal_id",
        "prefill": "person.personal_id",
        "section": "Người yêu cầu",
    },
    {
        "key": "nguoi_ngay_sinh",
        "label": "Ngày sinh người yêu cầu",
        "type": "date",
        "prefill": "person.birth_date",
        "section": "Người yêu cầu",
    },
    {
        "key": "nguoi_noi_cu_tru",
        "label": "Nơi cư trú",
        "type": "place",
        "prefill": "person.address",
        "section": "Người yêu cầu",
    },
    {
        "key": "nguoi_dien_thoai",
        "label": "Điện thoại",
        "type": "phone",
        "prefill": "person.phone",
        "section": "Người yêu cầu",
    },
    {
        "key": "ho_ten",
        "label": "Họ, chữ đệm, tên",
        "type": "text",
        "required": True,
        "max_length": 40,
        "section": "Người được khai sinh",
    },
    {
        "key": "ngay_sinh",
        "label": "Ngày sinh",
        "type": "date",
        "required": True,
        "not_future": True,
        "section": "Người được khai sinh",
    },
    {
        "key": "gioi_tinh",
        "label": "Giới tính",
        "type": "choice",
        "required": True,
        "choices": ["Nam", "Nữ"],
        "section": "Người được khai sinh",
    },
    {"key": "me_ho_ten", "label": "Họ tên người mẹ", "type": "text", "remember": True, "section": "Mẹ"},
    {
        "key": "me_so_dinh_danh",
        "label": "Số định danh người mẹ",
        "type": "personal_id",
        "remember": True,
        "section": "Mẹ",
    },
    {"key": "so_ban_sao", "label": "Số bản sao", "type": "number", "min": 0, "max": 20, "default": "0"},
]
GOOD = {
    "nguoi_ho_ten": "Nguyễn Văn Cha",
    "ho_ten": "Nguyễn Văn Con",
    "ngay_sinh": "2026-01-05",
    "gioi_tinh": "Nam",
    "me_ho_ten": "Trần Thị Mẹ",
    "me_so_dinh_danh": "001190012345",
    "nguoi_dien_thoai": "+84 912 345 678",
    "so_ban_sao": "2",
}


@pytest.fixture
def procedure(world):
    world.procedure.form_schema = SCHEMA
    world.procedure.save()
    return world.procedure


def _errors(exc) -> dict[str, str]:
    return {e["field"]: e["code"] for e in exc.value.details["errors"]}


# --- the checks -------------------------------------------------------------------------------------


def test_clean_normalises_answers():
    clean = form_data_clean(SCHEMA, GOOD, complete=True, today=datetime.date(2026, 2, 1))
    assert clean["nguoi_dien_thoai"] == "0912345678"
    assert clean["so_ban_sao"] == 2 and clean["ngay_sinh"] == "2026-01-05"
    assert "nguoi_so_dinh_danh" not in clean  # blank answers are not stored


def test_birth_date_today_is_allowed_tomorrow_is_refused():
    today = datetime.date(2026, 3, 10)
    ok = form_data_clean(SCHEMA, {**GOOD, "ngay_sinh": "2026-03-10"}, complete=True, today=today)
    assert ok["ngay_sinh"] == "2026-03-10"
    assert (
        form_data_clean(SCHEMA, {**GOOD, "ngay_sinh": "10/03/2026"}, complete=True, today=today)["ngay_sinh"]
        == "2026-03-10"
    )
    with pytest.raises(DomainError) as exc:
        form_data_clean(SCHEMA, {**GOOD, "ngay_sinh": "2026-03-11"}, complete=True, today=today)
    assert exc.value.code == "invalid_form_data" and exc.value.status == 422
    assert _errors(exc) == {"ngay_sinh": "date_in_future"}
    assert "không được sau ngày hôm nay" in exc.value.details["fields"]["ngay_sinh"][0]


@pytest.mark.parametrize(
    ("value", "code"),
    [("00119001234", "personal_id_format"), ("001190012345", None), ("0011900123456", "personal_id_format")],
)
def test_personal_id_must_have_twelve_digits(value, code):
    answers = {**GOOD, "me_so_dinh_danh": value}
    if code is None:
        assert form_data_clean(SCHEMA, answers, complete=True)["me_so_dinh_danh"] == value
        return
    with pytest.raises(DomainError) as exc:
        form_data_clean(SCHEMA, answers, complete=True)
    assert _errors(exc) == {"me_so_dinh_danh": code}
    assert "12 chữ số" in exc.value.details["fields"]["me_so_dinh_danh"][0]


def test_required_answers_wait_for_submission():
    assert form_data_clean(SCHEMA, {"me_ho_ten": "Trần Thị Mẹ"}, complete=False) == {"me_ho_ten": "Trần Thị Mẹ"}
    with pytest.raises(DomainError) as exc:
        form_data_clean(SCHEMA, {"me_ho_ten": "Trần Thị Mẹ"}, complete=True)
    assert _errors(exc) == {"nguoi_ho_ten": "required", "ho_ten": "required", "ngay_sinh": "required",
                            "gioi_tinh": "required"}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"ho_ten": "x" * 41}, "ho_ten", "too_long"),
        ({"gioi_tinh": "Khác"}, "gioi_tinh", "invalid_choice"),
        ({"so_ban_sao": "21"}, "so_ban_sao", "out_of_range"),
        ({"so_ban_sao": "hai"}, "so_ban_sao", "invalid_number"),
        ({"ngay_sinh": "31/02/2026"}, "ngay_sinh", "invalid_date"),
        ({"nguoi_dien_thoai": "12345"}, "nguoi_dien_thoai", "phone_format"),
        ({"ho_ten": ["a", "b"]}, "ho_ten", "invalid_value"),
        ({"la": "?"}, "la", "unknown_field"),
    ],
)
def test_each_refusal_has_its_code(change, field, code):
    with pytest.raises(DomainError) as exc:
        form_data_clean(SCHEMA, {**GOOD, **change}, complete=True, today=datetime.date(2026, 2, 1))
    assert _errors(exc) == {field: code}


def test_forty_characters_is_the_limit():
    clean = form_data_clean(SCHEMA, {**GOOD, "ho_ten": "x" * 40}, complete=True, today=datetime.date(2026, 2, 1))
    assert clean["ho_ten"] == "x" * 40


# --- online submission -----------------------------------------------------------------------------


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def _key(response) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', response.content.decode()).group(1)


def _submit_data(world, page, answers) -> dict:
    return {
        "idempotency_key": _key(page),
        "result_delivery": "desk",
        "action": "submit",
        f"doc_{world.form.pk}": upload("to-khai.pdf", pdf_bytes()),
        f"doc_{world.id_copy.pk}": upload("anh.jpg", image_bytes(), "image/jpeg"),
        **{f"tk-{k}": v for k, v in answers.items()},
    }


def test_online_submission_stores_the_answers_and_shows_them(citizen, world, procedure, client):
    url = reverse("dossiers:submit", args=[procedure.code])
    page = citizen.get(url)
    response = citizen.post(url, _submit_data(world, page, {**GOOD, "ngay_sinh": timezone.localdate().isoformat()}))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.status == "registered"
    assert dossier.form_data["ho_ten"] == "Nguyễn Văn Con"
    assert dossier.form_data["nguoi_dien_thoai"] == "0912345678"
    # The schema is kept with the dossier, so the labels stay as received.
    assert dossier.procedure_snapshot["form_schema"][5]["key"] == "ho_ten"
    html = citizen.get(dossier.get_absolute_url()).content.decode()
    assert "Nội dung tờ khai" in html
    assert re.search(r"<dt>Họ, chữ đệm, tên</dt><dd>Nguyễn Văn Con</dd>", html)
    assert timezone.localdate().strftime("%d/%m/%Y") in html


def test_online_submission_with_a_future_birth_date_saves_nothing(citizen, world, procedure):
    url = reverse("dossiers:submit", args=[procedure.code])
    page = citizen.get(url)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = citizen.post(url, _submit_data(world, page, {**GOOD, "ngay_sinh": tomorrow}))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Tờ khai chưa hợp lệ" in html and "Ngày sinh: không được sau ngày hôm nay." in html
    # What was typed is shown again.
    assert 'value="Nguyễn Văn Con"' in html
    assert Dossier.objects.count() == 0


def test_missing_required_answers_block_submission_not_a_draft(citizen, world, procedure):
    url = reverse("dossiers:submit", args=[procedure.code])
    page = citizen.get(url)
    data = _submit_data(world, page, {"nguoi_ho_ten": "Nguyễn Văn Cha", "me_ho_ten": "Trần Thị Mẹ"})
    assert citizen.post(url, data).status_code == 422
    assert Dossier.objects.count() == 0
    data["action"] = "draft"
    data[f"doc_{world.form.pk}"] = upload("to-khai.pdf", pdf_bytes())
    data[f"doc_{world.id_copy.pk}"] = upload("anh.jpg", image_bytes(), "image/jpeg")
    assert citizen.post(url, data).status_code == 302
    draft = Dossier.objects.get()
    assert draft.status == "draft" and draft.form_data["me_ho_ten"] == "Trần Thị Mẹ"
    # The draft reopens with its own answers.
    html = citizen.get(f"{url}?ho_so={draft.pk}").content.decode()
    assert 'value="Trần Thị Mẹ"' in html


# --- prefill ---------------------------------------------------------------------------------------


def test_form_opens_with_the_account_data(citizen, world, procedure):
    person = world.citizen.person
    html = citizen.get(reverse("dossiers:submit", args=[procedure.code])).content.decode()
    assert f'name="tk-nguoi_ho_ten" value="{person.full_name}"' in html
    assert f'name="tk-nguoi_so_dinh_danh" value="{person.personal_id}"' in html
    assert 'name="tk-nguoi_ngay_sinh" value="1985-06-15"' in html
    assert 'name="tk-so_ban_sao" value="0"' in html  # the field's default
    assert re.search(r'<input type="date" name="tk-ngay_sinh"[^>]*max="\d{4}-\d\d-\d\d"', html)


def test_form_carries_over_remembered_answers_of_the_previous_dossier(world, procedure):
    person = world.citizen.person
    Dossier.objects.create(
        procedure=procedure, channel="online", status="draft", receiving_agency=world.agency,
        applicant_person=person, applicant_name=person.full_name,
        form_data={"me_ho_ten": "Trần Thị Mẹ", "me_so_dinh_danh": "001190012345", "ho_ten": "Con thứ nhất"},
    )  # fmt: skip
    initial = form_initial(procedure, person)
    assert initial["me_ho_ten"] == "Trần Thị Mẹ" and initial["me_so_dinh_danh"] == "001190012345"
    assert initial["ho_ten"] == ""  # the child is not remembered
    assert initial["nguoi_ho_ten"] == person.full_name
    # Another person's dossiers are never read.
    stranger = CitizenUserFactory(person__unit=world.commune).person
    assert form_initial(procedure, stranger)["me_ho_ten"] == ""


# --- the API ---------------------------------------------------------------------------------------


def _create(client, procedure, **extra):
    return client.post("/api/v1/dossiers", {"procedure": procedure.code, **extra}, content_type="application/json")


def test_api_create_with_bad_answers_is_422_and_writes_nothing(citizen, procedure):
    response = _create(citizen, procedure, form_data={**GOOD, "me_so_dinh_danh": "12345", "gioi_tinh": "X"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_form_data"
    codes = {e["field"]: e["code"] for e in body["details"]["errors"]}
    assert codes == {"me_so_dinh_danh": "personal_id_format", "gioi_tinh": "invalid_choice"}
    assert Dossier.objects.count() == 0
    assert _create(citizen, procedure, form_data=["not", "an", "object"]).status_code in (400, 422)
    assert Dossier.objects.count() == 0


def test_api_create_stores_answers_and_detail_returns_them(citizen, world, procedure, client):
    created = _create(citizen, procedure, form_data=GOOD)
    assert created.status_code == 201, created.content
    assert created.json()["form_data"]["nguoi_dien_thoai"] == "0912345678"
    draft = Dossier.objects.get()
    # Submitting without the required documents still fails on the documents, the answers are complete.
    for doc in (world.form, world.id_copy):
        citizen.post(f"/api/v1/dossiers/{draft.pk}/documents", {"required_document": doc.pk,
                                                                  "file": upload("a.pdf", pdf_bytes())})  # fmt: skip
    submitted = citizen.post(f"/api/v1/dossiers/{draft.pk}/submit")
    assert submitted.status_code == 200, submitted.content
    code = submitted.json()["code"]
    detail = citizen.get(f"/api/v1/dossiers/{code}").json()
    assert detail["form_data"]["ho_ten"] == "Nguyễn Văn Con"
    answers = {a["key"]: a for a in detail["form_answers"]}
    assert answers["ngay_sinh"]["value"] == "05/01/2026" and answers["ngay_sinh"]["label"] == "Ngày sinh"

    # Another citizen cannot read them, through the API or the page.
    other = CitizenUserFactory(person__unit=world.commune)
    client.force_login(other)
    assert client.get(f"/api/v1/dossiers/{code}").status_code == 404
    page = client.get(reverse("dossiers:detail", args=[code]))
    assert page.status_code == 404 and "Nguyễn Văn Con" not in page.content.decode()


def test_api_submit_refuses_missing_required_answers(citizen, world, procedure):
    created = _create(citizen, procedure, form_data={"me_ho_ten": "Trần Thị Mẹ"})
    assert created.status_code == 201
    draft_id = created.json()["id"]
    for doc in (world.form, world.id_copy):
        citizen.post(f"/api/v1/dossiers/{draft_id}/documents", {"required_document": doc.pk,
                                                                 "file": upload("a.pdf", pdf_bytes())})  # fmt: skip
    response = citizen.post(f"/api/v1/dossiers/{draft_id}/submit")
    assert response.status_code == 422 and response.json()["code"] == "invalid_form_data"
    assert Dossier.objects.get().status == "draft"


# --- the desk -------------------------------------------------------------------------------------


def _desk(world, procedure, *, outcome="receive", form_data=None, **kwargs):
    return dossier_desk_intake(
        actor=world.receptionist,
        procedure=procedure,
        person=world.citizen.person,
        agency=world.agency,
        papers=[DeskPaper(required_document_id=d.pk, received=True) for d in (world.form, world.id_copy)],
        outcome=outcome,
        form_data=form_data,
        **kwargs,
    )


def test_desk_receives_only_with_complete_answers(world, procedure):
    with pytest.raises(DomainError) as exc:
        _desk(world, procedure, form_data={"me_ho_ten": "Trần Thị Mẹ"})
    assert exc.value.code == "invalid_form_data"
    assert Dossier.objects.count() == 0
    refused = _desk(world, procedure, outcome="refuse_intake", refusal_reason="Sai thẩm quyền", form_data={})
    assert refused.status == "not_received"
    received = _desk(world, procedure, form_data=GOOD)
    assert received.status == "received" and received.form_data["ho_ten"] == "Nguyễn Văn Con"


def test_desk_page_renders_the_form_prefilled_and_stores_answers(client, world, procedure, media):
    client.force_login(world.receptionist)
    person = world.citizen.person
    url = reverse("dossiers:desk_intake")
    query = f"?person={person.pk}&cccd={person.personal_id}&procedure={procedure.code}"
    page = client.get(url + query).content.decode()
    assert f'name="tk-nguoi_ho_ten" value="{person.full_name}"' in page
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    data = {
        "idempotency_key": key,
        "outcome": "receive",
        "channel": "counter",
        "result_delivery": "desk",
        f"paper_{world.form.pk}": "on",
        f"paper_{world.id_copy.pk}": "on",
        **{f"tk-{k}": v for k, v in GOOD.items()},
    }
    bad = client.post(url + query, {**data, "tk-ho_ten": ""})
    assert bad.status_code == 422 and "Họ, chữ đệm, tên: không được để trống." in bad.content.decode()
    assert Dossier.objects.count() == 0
    response = client.post(url + query, data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.form_data["gioi_tinh"] == "Nam"
    officer_page = client.get(reverse("dossiers:officer_detail", args=[dossier.code])).content.decode()
    assert "Nội dung tờ khai" in officer_page and "Trần Thị Mẹ" in officer_page


def test_sex_and_birth_date_come_from_the_account_in_the_form_own_terms(world):
    person = world.citizen.person
    procedure = world.procedure
    procedure.form_schema = [
        {"key": "gioi_tinh", "label": "Giới tính", "type": "choice", "choices": ["Nam", "Nữ"], "prefill": "person.sex"},
        {"key": "ngay_sinh", "label": "Ngày sinh", "type": "date", "prefill": "person.birth_date"},
        {"key": "gt_khac", "label": "Giới", "type": "choice", "choices": ["M", "F"], "prefill": "person.sex"},
    ]
    procedure.save()
    initial = form_initial(procedure, person)
    assert initial == {"gioi_tinh": "Nam", "ngay_sinh": "1985-06-15", "gt_khac": ""}


def test_answers_keep_the_labels_they_were_given_under(citizen, world, procedure):
    created = _create(citizen, procedure, form_data=GOOD)
    draft_id = created.json()["id"]
    for doc in (world.form, world.id_copy):
        citizen.post(f"/api/v1/dossiers/{draft_id}/documents", {"required_document": doc.pk,
                                                                 "file": upload("a.pdf", pdf_bytes())})  # fmt: skip
    code = citizen.post(f"/api/v1/dossiers/{draft_id}/submit").json()["code"]
    # The administrator renames a field and drops another afterwards.
    procedure.form_schema = [{**f, "label": "Tên mới"} for f in SCHEMA if f["key"] != "me_ho_ten"]
    procedure.save()
    answers = {a["key"]: a["label"] for a in citizen.get(f"/api/v1/dossiers/{code}").json()["form_answers"]}
    assert answers["ho_ten"] == "Họ, chữ đệm, tên" and answers["me_ho_ten"] == "Họ tên người mẹ"
