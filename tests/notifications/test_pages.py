import pytest

from motcua.core.models import Role
from motcua.notifications.models import ContactPreference
from motcua.notifications.services.notify import notify
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    FieldReportFactory,
    OfficerFactory,
    PersonFactory,
    grant,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime", "templates")]


def test_citizen_sees_their_messages(client):
    user = CitizenUserFactory()
    notify(person=user.person, event="notice", title="Họp dân ấp 3", body="Tối nay 19 giờ", dedupe_key="p1")
    client.force_login(user)
    page = client.get("/thong-bao/cua-toi/", follow=True).content.decode()
    assert "Họp dân ấp 3" in page and "Hop dan ap 3" in page


def test_officer_sees_only_the_messages_tied_to_their_work_on_the_person_page(client):
    # Seeing a resident does not open all their messages: only those of a record the officer handles.
    person = PersonFactory()
    agency = AgencyFactory(unit=person.unit)
    report = FieldReportFactory(unit=person.unit, agency=agency)
    notify(person=person, event="notice", title="Họp dân", body="Tối nay", dedupe_key="p2")
    notify(
        person=person,
        event="notice",
        title="Đã nhận phản ánh",
        body="Đang xử lý",
        dedupe_key="p3",
        subject_type="fieldreport",
        subject_id=str(report.pk),
    )
    officer = OfficerFactory()
    grant(officer, Role.REPORT_HANDLER, agency=agency)
    client.force_login(officer)
    page = client.get(f"/can-bo/cong-dan/{person.pk}/").content.decode()
    assert "Tin đã gửi cho công dân" in page and "Da nhan phan anh: Dang xu ly" in page
    assert "Hop dan" not in page


def test_opt_out_page(client):
    user = CitizenUserFactory()
    client.force_login(user)
    assert client.post("/thong-bao/tu-choi-dien-rong/", {"opt_out": "1"}).status_code == 302
    assert ContactPreference.objects.get(person=user.person).broadcast_opt_out is True
    assert "vẫn luôn được gửi" in client.get("/thong-bao/tu-choi-dien-rong/").content.decode()
