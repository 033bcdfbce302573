import pytest

from motcua.queue.models import Ticket, TicketStatus
from motcua.queue.services import call_next, finish_serving, issue_ticket, start_serving

pytestmark = pytest.mark.django_db
API = "/api/v1/queue"


def test_kiosk_catalogue_and_issue(client, office_a, group_a, priorities):
    data = client.get(f"{API}/offices/{office_a.pk}/kiosk").json()
    assert [g["code"] for g in data["groups"]] == ["ho-tich"]
    assert {p["code"] for p in data["priorities"]} == {"elderly", "disability", "pregnant-child", "war-invalid"}
    response = client.post(
        f"{API}/offices/{office_a.pk}/tickets",
        {"group": "ho-tich", "priority": "disability", "phone": "0912345678"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "A001" and body["people_ahead"] == 0 and body["follow_token"]
    followed = client.get(f"{API}/follow/{body['follow_token']}").json()
    assert followed["code"] == "A001" and followed["follow_token"] is None
    assert "0912345678" not in str(followed)


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"group": "nope"}, 404, "queue_group_not_found"),
        ({"group": "ho-tich", "priority": "nope"}, 404, "queue_priority_not_found"),
        ({"group": "ho-tich", "phone": "12"}, 422, "queue_phone_invalid"),
        ({"group": "ho-tich", "phone": "0" * 21}, 422, "validation_error"),
        ({}, 422, "validation_error"),
    ],
)
def test_issue_refusals(client, office_a, group_a, payload, status, code):
    response = client.post(f"{API}/offices/{office_a.pk}/tickets", payload, content_type="application/json")
    assert response.status_code == status and response.json()["code"] == code
    assert not Ticket.objects.exists()


def test_summary_and_follow_not_found(client, office_a, group_a):
    issue_ticket(group=group_a, channel="kiosk")
    rows = client.get(f"{API}/offices/{office_a.pk}/summary").json()
    assert rows[0]["waiting"] == 1 and rows[0]["wait_minutes"] == 3  # 1 × 5 min / 2 counters, rounded up
    assert client.get(f"{API}/follow/unknown").json()["code"] == "queue_ticket_not_found"
    assert client.get(f"{API}/offices/99999999/summary").status_code == 404


def test_desk_api_flow_and_scope(client, group_a, group_b_civil, counter_a1, desk_a, desk_b):
    issue_ticket(group=group_a, channel="kiosk")
    assert client.post(f"{API}/counters/{counter_a1.pk}/call-next").status_code == 401
    client.force_login(desk_b)
    assert client.post(f"{API}/counters/{counter_a1.pk}/call-next").json()["code"] == "queue_counter_not_found"
    client.force_login(desk_a)
    called = client.post(f"{API}/counters/{counter_a1.pk}/call-next").json()
    assert called["code"] == "A001" and called["status"] == TicketStatus.CALLED
    busy = client.post(f"{API}/counters/{counter_a1.pk}/call-next")
    assert busy.status_code == 409 and busy.json()["code"] == "queue_counter_busy"
    tid = called["id"]
    assert client.post(f"{API}/tickets/{tid}/finish").json()["code"] == "action_not_allowed"
    assert client.post(f"{API}/tickets/{tid}/dance").json()["code"] == "action_not_allowed"
    bad = client.post(f"{API}/tickets/{tid}/transfer", {"group_id": 987654}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "queue_transfer_target"
    moved = client.post(
        f"{API}/tickets/{tid}/transfer", {"group_id": group_b_civil.pk}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == TicketStatus.WAITING
    assert client.post(f"{API}/counters/{counter_a1.pk}/call-next").status_code == 204
    client.force_login(desk_b)
    assert client.post(f"{API}/tickets/{tid}/recall").status_code == 404


def test_figures_api_scope(client, group_a, group_b, counter_a1, counter_b1, desk_a, manager_a, manager_b):
    ticket = issue_ticket(group=group_a, channel="booking")
    call_next(counter=counter_a1, officer=desk_a)
    finish_serving(start_serving(Ticket.objects.get(pk=ticket.pk), desk_a), desk_a)
    client.force_login(manager_a)
    data = client.get(f"{API}/figures").json()
    assert data["total"]["tickets"] == 1 and data["total"]["bookings"] == 1 and data["total"]["done"] == 1
    assert [r["label"] for r in data["tables"]["counter"]] == ["Quầy 1"]
    client.force_login(manager_b)
    assert client.get(f"{API}/figures").json()["total"]["tickets"] == 0
    assert client.get(f"{API}/figures", {"office_id": group_a.office_id}).status_code == 404
    bad = client.get(f"{API}/figures", {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert bad.status_code == 422 and bad.json()["code"] == "queue_period_invalid"
    client.force_login(desk_a)
    assert client.get(f"{API}/figures").json()["code"] == "queue_figures_not_found"


@pytest.mark.parametrize(("days", "status"), [(365, 200), (366, 422)])
def test_figures_period_limit(client, manager_a, office_a, days, status):
    import datetime

    end = datetime.date(2026, 6, 30)
    start = end - datetime.timedelta(days=days)
    client.force_login(manager_a)
    response = client.get(f"{API}/figures", {"date_from": start.isoformat(), "date_to": end.isoformat()})
    assert response.status_code == status


def test_priority_api(client, group_a, desk_a, desk_b, priorities):
    ticket = issue_ticket(group=group_a, channel="kiosk")
    url = f"{API}/tickets/{ticket.pk}/priority"
    client.force_login(desk_b)
    assert client.post(url, {"priority": "elderly"}, content_type="application/json").status_code == 404
    client.force_login(desk_a)
    done = client.post(url, {"priority": "elderly"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["priority"] == "Người cao tuổi (từ 60 tuổi)"
    unknown = client.post(url, {"priority": "nope"}, content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["code"] == "queue_priority_not_found"
    cleared = client.post(url, {"priority": ""}, content_type="application/json")
    assert cleared.json()["priority"] is None
