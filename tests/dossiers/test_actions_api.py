"""POST /api/v1/dossiers/{code}/actions/{action}."""

import pytest

from motcua.dossiers.models import Dossier, DossierEvent, DossierStatus
from motcua.notifications.models import InboxMessage

pytestmark = pytest.mark.django_db


def _url(code: str, action: str) -> str:
    return f"/api/v1/dossiers/{code}/actions/{action}"


def _post(client, code, action, body=None):
    return client.post(_url(code, action), body if body is not None else {}, content_type="application/json")


def test_receive_returns_new_status_allowed_actions_and_due_at(client, make_dossier, receptionist_a):
    dossier = make_dossier()
    client.force_login(receptionist_a)

    response = _post(client, dossier.code, "receive", {"note": "Đủ thành phần"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "received" and body["status_label"] == "Được tiếp nhận"
    assert body["due_at"] and body["deadline_state"] == "on_time"
    assert body["allowed_actions"] == ["withdraw"]  # on the applicant's written request
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RECEIVED


def test_action_not_allowed_is_409_with_the_allowed_list(client, received_dossier, receptionist_a):
    client.force_login(receptionist_a)
    response = _post(client, received_dossier.code, "receive")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "action_not_allowed"
    assert "tiếp nhận" in body["message"].lower()
    assert body["details"]["allowed"] == ["withdraw"]


def test_role_not_held_is_403(client, make_dossier, specialist_a):
    client.force_login(specialist_a)
    response = _post(client, make_dossier().code, "receive")
    assert response.status_code == 403
    assert response.json()["code"] == "action_forbidden"


def test_bad_params_are_400_json_and_nothing_saved(client, make_dossier, receptionist_a):
    dossier = make_dossier()
    client.force_login(receptionist_a)
    response = _post(client, dossier.code, "refuse_intake", {"reason": ""})
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    assert not DossierEvent.objects.filter(dossier=dossier).exists()


def test_anonymous_is_401_json(client, make_dossier):
    response = _post(client, make_dossier().code, "receive")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_officer_of_another_commune_gets_404(client, make_dossier, receptionist_b):
    dossier = make_dossier()
    client.force_login(receptionist_b)
    response = _post(client, dossier.code, "receive")
    assert response.status_code == 404
    assert response.json()["code"] in ("not_found", "dossier_not_found")
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.REGISTERED


def test_unknown_code_is_404(client, receptionist_a):
    client.force_login(receptionist_a)
    assert _post(client, "000.00.00.H12-260316-9999", "receive").status_code == 404


def test_citizen_withdraws_own_dossier_and_is_told_once(client, received_dossier, citizen):
    client.force_login(citizen)
    response = _post(client, received_dossier.code, "withdraw")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert InboxMessage.objects.filter(person=citizen.person, event="dossier.withdrawn").count() == 1
    again = _post(client, received_dossier.code, "withdraw")
    assert again.status_code == 409
    assert InboxMessage.objects.filter(person=citizen.person, event="dossier.withdrawn").count() == 1


def test_reserved_keys_in_the_body_are_ignored(client, make_dossier, receptionist_a):
    dossier = make_dossier()
    client.force_login(receptionist_a)
    response = _post(client, dossier.code, "receive", {"now": "2020-01-01T00:00:00", "actor": 1, "dossier": 2})
    assert response.status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).received_at.year >= 2026


def test_non_object_body_is_422(client, make_dossier, receptionist_a):
    client.force_login(receptionist_a)
    response = _post(client, make_dossier().code, "refuse_intake", ["lý do"])
    assert response.status_code == 422


def test_request_supplement_over_the_api(client, received_dossier, specialist_a, citizen):
    client.force_login(specialist_a)
    response = _post(
        client,
        received_dossier.code,
        "request_supplement",
        {"items": ["Bản sao giấy chứng sinh", "Giấy xác nhận cư trú"]},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "supplement_requested"
    message = InboxMessage.objects.get(person=citizen.person, event="dossier.supplement_requested")
    assert "- Bản sao giấy chứng sinh\n- Giấy xác nhận cư trú" in message.body


# --- the officer page /ho-so/can-bo/<code>/ -------------------------------------------------------


def test_officer_page_shows_steps_events_and_forms(client, received_dossier, specialist_a):
    from django.urls import reverse

    client.force_login(specialist_a)
    response = client.get(reverse("dossiers:officer_detail", args=[received_dossier.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert received_dossier.code in html and "Thẩm định hồ sơ" in html
    assert "Hoàn thành thẩm định" in html and "csrfmiddlewaretoken" in html
    assert "Phê duyệt, ký</button>" not in html  # not the specialist's action
    assert "Trong hạn" in html


def test_officer_page_is_404_for_other_commune_and_citizens(client, received_dossier, specialist_b, citizen):
    from django.urls import reverse

    url = reverse("dossiers:officer_detail", args=[received_dossier.code])
    client.force_login(specialist_b)
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_officer_form_acts_and_reports_errors_as_messages(client, received_dossier, specialist_a):
    from django.urls import reverse

    client.force_login(specialist_a)
    act = reverse("dossiers:officer_act", args=[received_dossier.code, "appraise"])
    response = client.post(act, {"appraise-note": ""}, follow=True)
    assert response.status_code == 200
    assert "Cần nhập ý kiến thẩm định" in response.content.decode()
    assert Dossier.objects.get(pk=received_dossier.pk).status == DossierStatus.RECEIVED

    response = client.post(act, {"appraise-note": "Hồ sơ hợp lệ", "appraise-proposal": "approve"}, follow=True)
    assert response.status_code == 200
    assert "Đã thực hiện" in response.content.decode()
    assert Dossier.objects.get(pk=received_dossier.pk).status == DossierStatus.PROCESSING

    again = client.post(act, {"appraise-note": "Lần nữa"}, follow=True)
    assert again.status_code == 200
    assert "Không thể thực hiện" in again.content.decode()
    bogus = client.post(reverse("dossiers:officer_act", args=[received_dossier.code, "teleport"]))
    assert bogus.status_code == 404


def test_overdue_badge_and_apology_send_from_the_page(client, make_received_dossier, specialist_a, citizen):
    import datetime

    from django.urls import reverse

    from motcua.dossiers.services.deadlines import deadlines_refresh

    from .conftest import TZ

    dossier = make_received_dossier(at=datetime.datetime(2026, 3, 2, 10, 0, tzinfo=TZ))
    deadlines_refresh(now=datetime.datetime(2026, 3, 16, 10, 0, tzinfo=TZ))
    client.force_login(specialist_a)
    html = client.get(reverse("dossiers:officer_detail", args=[dossier.code])).content.decode()
    assert "badge-overdue" in html and "Gửi phiếu xin lỗi" in html
    response = client.post(reverse("dossiers:officer_apology_send", args=[dossier.code]), follow=True)
    assert "Đã gửi phiếu xin lỗi" in response.content.decode()
    assert InboxMessage.objects.filter(person=citizen.person, event="dossier.apology").count() == 1


def test_admin_pages_render(client, received_dossier):
    from django.urls import reverse

    from tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert client.get(reverse("admin:dossiers_dossier_change", args=[received_dossier.pk])).status_code == 200
    assert client.get(reverse("admin:dossiers_dossier_changelist")).status_code == 200
    assert client.get(reverse("admin:dossiers_workflow_add")).status_code == 200
    from motcua.dossiers.models import Workflow

    workflow = Workflow.objects.filter(procedure__isnull=True).first()
    assert client.get(reverse("admin:dossiers_workflow_change", args=[workflow.pk])).status_code == 200
