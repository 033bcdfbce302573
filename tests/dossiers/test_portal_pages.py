"""Citizen pages: the submission form, my dossiers, the inbox."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierDocument
from motcua.notifications.models import InboxMessage
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import image_bytes, pdf_bytes, upload
from tests.factories import OfficerFactory, PersonFactory

# Shared fixtures (see intake_helpers).
media = intake_helpers.media
world = intake_helpers.world

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def _url(world):
    return reverse("dossiers:submit", args=[world.procedure.code])


def _key(response) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', response.content.decode()).group(1)


def test_form_is_prefilled_and_has_one_upload_per_document(citizen, world):
    response = citizen.get(_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.citizen.person.full_name in html and world.citizen.person.phone in html
    for doc in (world.form, world.id_copy, world.optional):
        assert f'name="doc_{doc.pk}"' in html
    assert world.agency.name in html
    assert 'name="action" value="draft"' in html and 'name="action" value="submit"' in html


def test_login_required(client, world):
    response = client.get(_url(world))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_officer_without_person_gets_a_clear_page(client, world):
    client.force_login(OfficerFactory())
    response = client.get(_url(world))
    assert response.status_code == 403
    assert "Trang này dành cho công dân" in response.content.decode()


def test_submit_with_files_shows_the_code(citizen, world):
    page = citizen.get(_url(world))
    data = {
        "idempotency_key": _key(page),
        "phone": "0912345678",
        "address": "Ấp 2",
        "result_delivery": "post",
        "delivery_address": "",
        "action": "submit",
        f"doc_{world.form.pk}": upload("to-khai.pdf", pdf_bytes()),
        f"doc_{world.id_copy.pk}": upload("anh.jpg", image_bytes(), "image/jpeg"),
    }
    response = citizen.post(_url(world), data, follow=True)
    dossier = Dossier.objects.get()
    assert dossier.status == "registered" and dossier.applicant_phone == "0912345678"
    assert dossier.result_delivery == "post" and dossier.delivery_address == "Ấp 2"
    assert dossier.code in response.content.decode()
    # The same form sent again (double click) makes no second dossier.
    data[f"doc_{world.form.pk}"] = upload("to-khai.pdf", pdf_bytes())
    data[f"doc_{world.id_copy.pk}"] = upload("anh.jpg", image_bytes(), "image/jpeg")
    citizen.post(_url(world), data)
    assert Dossier.objects.count() == 1


def test_missing_document_message_and_nothing_saved(citizen, world):
    page = citizen.get(_url(world))
    response = citizen.post(
        _url(world),
        {
            "idempotency_key": _key(page),
            "action": "submit",
            f"doc_{world.form.pk}": upload("a.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 422
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc: Giấy chứng sinh" in response.content.decode()
    assert Dossier.objects.count() == 0 and DossierDocument.objects.count() == 0


def test_wrong_file_type_message(citizen, world):
    page = citizen.get(_url(world))
    response = citizen.post(
        _url(world),
        {
            "idempotency_key": _key(page),
            "action": "draft",
            f"doc_{world.form.pk}": upload("anh.jpg", b"khong phai anh", "image/jpeg"),
        },
    )
    assert response.status_code == 415
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_draft_then_submit(citizen, world):
    page = citizen.get(_url(world))
    response = citizen.post(
        _url(world),
        {
            "idempotency_key": _key(page),
            "action": "draft",
            f"doc_{world.form.pk}": upload("a.pdf", pdf_bytes()),
        },
    )
    draft = Dossier.objects.get()
    assert draft.status == "draft" and draft.code is None
    assert response.status_code == 302 and f"ho_so={draft.pk}" in response["Location"]
    page = citizen.get(response["Location"])
    assert "Đã tải lên" in page.content.decode()
    response = citizen.post(
        _url(world),
        {
            "idempotency_key": _key(page),
            "ho_so": draft.pk,
            "action": "submit",
            f"doc_{world.id_copy.pk}": upload("b.png", image_bytes("PNG")),
        },
    )
    draft.refresh_from_db()
    assert draft.status == "registered" and draft.documents.count() == 2


def test_my_list_shows_code_status_due_and_overdue(citizen, world):
    page = citizen.get(_url(world))
    citizen.post(
        _url(world),
        {
            "idempotency_key": _key(page),
            "action": "submit",
            f"doc_{world.form.pk}": upload("a.pdf", pdf_bytes()),
            f"doc_{world.id_copy.pk}": upload("b.png", image_bytes("PNG")),
        },
    )
    dossier = Dossier.objects.get()
    Dossier.objects.filter(pk=dossier.pk).update(
        status="processing", due_at=timezone.now() - datetime.timedelta(days=1)
    )
    html = citizen.get(reverse("dossiers:my_list")).content.decode()
    assert dossier.code in html and world.procedure.name in html
    assert "Đang xử lý" in html and "Quá hạn" in html


def test_inbox_lists_and_marks_read(citizen, world):
    person = world.citizen.person
    first = InboxMessage.objects.create(
        person=person,
        event="dossier.received",
        title="Hồ sơ đã được tiếp nhận",
        body="Ngày hẹn trả 20/03/2026",
        dedupe_key="t1",
    )
    InboxMessage.objects.create(person=person, event="x", title="Thư thứ hai", body="...", dedupe_key="t2")
    InboxMessage.objects.create(
        person=PersonFactory(), event="x", title="Thư của người khác", body="...", dedupe_key="t3"
    )
    html = citizen.get(reverse("dossiers:inbox")).content.decode()
    assert "Hồ sơ đã được tiếp nhận" in html and "2 thư chưa đọc" in html
    assert "Thư của người khác" not in html
    citizen.post(reverse("dossiers:inbox"), {"message": first.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    citizen.post(reverse("dossiers:inbox"))
    assert not InboxMessage.objects.filter(person=person, read_at__isnull=True).exists()
