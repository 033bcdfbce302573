import pytest

from motcua.core.models import Role
from motcua.notifications.models import ContactPreference
from motcua.notifications.services import notify
from tests.factories import CitizenUserFactory, OfficerFactory, PersonFactory, grant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime", "templates")]


def test_citizen_sees_their_messages(client):
    user = CitizenUserFactory()
    notify(person=user.person, event="notice", title="Họp dân ấp 3", body="Tối nay 19 giờ", dedupe_key="p1")
    client.force_login(user)
    page = client.get("/thong-bao/cua-toi/").content.decode()
    assert "Họp dân ấp 3" in page and "Hop dan ap 3" in page


def test_officer_sees_a_persons_messages_on_the_person_page(client):
    person = PersonFactory()
    notify(person=person, event="notice", title="Họp dân", body="Tối nay", dedupe_key="p2")
    officer = OfficerFactory()
    grant(officer, Role.RECEPTIONIST, unit=person.unit)
    client.force_login(officer)
    page = client.get(f"/can-bo/cong-dan/{person.pk}/").content.decode()
    assert "Tin đã gửi cho công dân" in page and "Hop dan: Toi nay" in page


def test_opt_out_page(client):
    user = CitizenUserFactory()
    client.force_login(user)
    assert client.post("/thong-bao/tu-choi-dien-rong/", {"opt_out": "1"}).status_code == 302
    assert ContactPreference.objects.get(person=user.person).broadcast_opt_out is True
    assert "vẫn luôn được gửi" in client.get("/thong-bao/tu-choi-dien-rong/").content.decode()
