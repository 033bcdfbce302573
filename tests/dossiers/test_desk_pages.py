"""Desk intake: the service (receive / supplement / refuse in one transaction) and the pages end to end."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import Person
from motcua.dossiers.models import Channel, Dossier, DossierDocument, SupplementRequest
from motcua.dossiers.services.intake_desk import DeskPaper, dossier_desk_intake
from motcua.notifications.models import InboxMessage
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import image_bytes, pdf_bytes, upload
from tests.factories import OfficerFactory

# Shared fixtures (see intake_helpers).
media = intake_helpers.media
world = intake_helpers.world

pytestmark = pytest.mark.django_db


def _intake(world, outcome="receive", papers=None, **kwargs):
    papers = papers if papers is not None else [DeskPaper(world.form.pk, True), DeskPaper(world.id_copy.pk, True)]
    return dossier_desk_intake(
        actor=world.receptionist,
        procedure=world.procedure,
        person=world.citizen.person,
        agency=world.agency,
        papers=papers,
        outcome=outcome,
        **kwargs,
    )


# --- service ----------------------------------------------------------------------------------


def test_receive_at_the_counter(world, media):
    papers = [DeskPaper(world.form.pk, True), DeskPaper(world.id_copy.pk, True, upload("scan.pdf", pdf_bytes()))]
    dossier = _intake(world, papers=papers)
    assert dossier.status == "received" and dossier.channel == Channel.COUNTER
    assert re.fullmatch(r"000\.00\.31\.H12-\d{6}-0001", dossier.code)
    assert dossier.due_at is not None and dossier.received_at is not None
    scan = dossier.documents.get(required_document=world.id_copy)
    assert scan.is_digitised and scan.paper_received and scan.content_type == "application/pdf"
    assert [e.action for e in dossier.events.order_by("id")] == ["submit", "receive"]
    assert InboxMessage.objects.filter(person=world.citizen.person, event="dossier.received").exists()


def test_receive_with_missing_papers_is_refused_and_nothing_written(world, media):
    with pytest.raises(DomainError) as exc:
        _intake(
            world,
            papers=[
                DeskPaper(world.form.pk, True),
                DeskPaper(world.id_copy.pk, False, upload("a.pdf", pdf_bytes()[:50])),
            ],
        )
    assert exc.value.code == "file_corrupt"
    with pytest.raises(DomainError) as exc:
        _intake(world, papers=[DeskPaper(world.form.pk, True)])
    assert exc.value.code == "missing_documents"
    assert Dossier.objects.count() == 0 and DossierDocument.objects.count() == 0
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_supplement_request_lists_the_missing_papers(world):
    dossier = _intake(world, outcome="request_supplement", papers=[DeskPaper(world.form.pk, True)])
    assert dossier.status == "supplement_requested" and dossier.code
    assert SupplementRequest.objects.get(dossier=dossier).items == ["Giấy chứng sinh"]


def test_refusal_needs_a_reason(world):
    with pytest.raises(DomainError) as exc:
        _intake(world, outcome="refuse_intake")
    assert exc.value.code == "refusal_reason_required"
    dossier = _intake(world, outcome="refuse_intake", refusal_reason="Không thuộc thẩm quyền giải quyết")
    assert dossier.status == "not_received"


def test_only_the_agencys_receptionist(world):
    stranger = OfficerFactory()
    with pytest.raises(PermissionDenied):
        dossier_desk_intake(
            actor=stranger,
            procedure=world.procedure,
            person=world.citizen.person,
            agency=world.agency,
            papers=[],
            outcome="receive",
        )


def test_same_key_twice_makes_one_dossier(world):
    first = _intake(world, idempotency_key="desk-1")
    second = _intake(world, idempotency_key="desk-1")
    assert first.pk == second.pk and Dossier.objects.count() == 1


# --- pages ------------------------------------------------------------------------------------


@pytest.fixture
def desk(client, world):
    client.force_login(world.receptionist)
    return client


URL = "/ho-so/mot-cua/tiep-nhan/"


def test_page_is_for_receptionists_only(client, world):
    assert client.get(URL).status_code == 302
    client.force_login(world.citizen)
    assert client.get(URL).status_code == 404


def test_find_by_id_phone_and_chip_qr(desk, world):
    person = world.citizen.person
    person.full_name = "Nguyễn Văn Thử"
    person.save()
    assert person.full_name in desk.get(URL, {"q": person.personal_id}).content.decode()
    assert person.full_name in desk.get(URL, {"q": person.phone}).content.decode()
    qr = f"{person.personal_id}||{person.full_name}|15061985|Nam|Ấp 1|01072021"
    assert f"?person={person.pk}" in desk.get(URL, {"q": qr}).content.decode()


def test_unknown_chip_qr_prefills_the_new_person_form_and_creates(desk, world):
    qr = "096185000123||Trần Thị Mới|01021985|Nữ|Ấp 3, xã Thử Nghiệm|01072021"
    html = desk.get(URL, {"q": qr}).content.decode()
    assert 'value="Trần Thị Mới"' in html and 'value="1985-02-01"' in html
    response = desk.post(
        URL,
        {
            "action": "create_person",
            "full_name": "Trần Thị Mới",
            "personal_id": "096185000123",
            "date_of_birth": "1985-02-01",
            "sex": "F",
            "address": "Ấp 3",
            "unit": world.commune.pk,
            "id_issued_on": "2021-07-01",
        },
    )
    person = Person.objects.get(personal_id="096185000123")
    # The link carries the card number, so a desk without an area (a province centre) reopens it too.
    assert response.status_code == 302 and response["Location"].endswith(f"?person={person.pk}&cccd=096185000123")


def test_desk_intake_end_to_end(desk, world, media):
    person = world.citizen.person
    page = desk.get(URL, {"person": person.pk, "procedure": world.procedure.code})
    html = page.content.decode()
    assert f'name="paper_{world.form.pk}"' in html and f'name="scan_{world.id_copy.pk}"' in html
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)
    response = desk.post(
        f"{URL}?person={person.pk}&procedure={world.procedure.code}",
        {
            "idempotency_key": key,
            "outcome": "receive",
            "channel": "counter",
            "result_delivery": "desk",
            f"paper_{world.form.pk}": "on",
            f"paper_{world.id_copy.pk}": "on",
            f"scan_{world.id_copy.pk}": upload("scan.jpg", image_bytes(), "image/jpeg"),
        },
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:desk_result", args=[dossier.code])
    result = desk.get(response["Location"]).content.decode()
    receipt_url = reverse("dossiers:form_pdf", args=[dossier.code, "giay-tiep-nhan"])
    assert dossier.code in result and receipt_url in result
    pdf = desk.get(receipt_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert dossier.code in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)


def test_desk_missing_papers_shows_message(desk, world):
    person = world.citizen.person
    response = desk.post(
        f"{URL}?person={person.pk}&procedure={world.procedure.code}",
        {
            "idempotency_key": "k",
            "outcome": "receive",
            f"paper_{world.form.pk}": "on",
        },
    )
    assert response.status_code == 422
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc: Giấy chứng sinh" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_desk_supplement_gives_the_supplement_form_link(desk, world):
    person = world.citizen.person
    response = desk.post(
        f"{URL}?person={person.pk}&procedure={world.procedure.code}",
        {
            "idempotency_key": "k2",
            "outcome": "request_supplement",
            f"paper_{world.form.pk}": "on",
            "supplement_items": "Giấy chứng sinh bản chính\n",
        },
    )
    dossier = Dossier.objects.get()
    assert dossier.status == "supplement_requested"
    result = desk.get(response["Location"]).content.decode()
    assert reverse("dossiers:form_pdf", args=[dossier.code, "yeu-cau-bo-sung"]) in result
