"""The reconciliation page and API: who sees which dossiers, the resend action, and the index figures.

Decision: administrators and managers read the list over the agencies their roles cover (a commune's
see their commune only, the province's everything); only administrators resend. Other officers and
citizens get 404, as for any record they may not see.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.core.models import AuditEvent
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.workflow import dossier_act
from motcua.nationalsync.models import SyncMessage, SyncState
from motcua.nationalsync.selectors import sync_rate, unsynced_dossiers

pytestmark = pytest.mark.django_db
URL = "/dong-bo-dvcqg/"
API = "/api/v1/national-sync"
UTC = datetime.UTC


@pytest.fixture
def world(make_dossier, receptionist_a, receptionist_b, agency_b, office_b):
    """A: one rejected dossier and one fully sent; B: one rejected dossier."""
    rejected_a = dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive")
    sent_a = dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive")
    rejected_b = dossier_act(
        dossier=make_dossier(receiving_agency=agency_b, office=office_b, current_agency=agency_b),
        actor=receptionist_b,
        action="receive",
    )
    for dossier in (rejected_a, rejected_b):
        SyncMessage.objects.filter(dossier=dossier).update(
            state=SyncState.REJECTED, reject_code="12", last_error="Mã TTHC không tồn tại"
        )
    SyncMessage.objects.filter(dossier=sent_a).update(state=SyncState.SENT)
    return {"rejected_a": rejected_a, "sent_a": sent_a, "rejected_b": rejected_b}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_sees_only_the_commune_dossiers_with_the_reason(world, admin_a):
    page = _client(admin_a).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert world["rejected_a"].code in html and "Mã TTHC không tồn tại" in html and "Gửi lại" in html
    assert world["rejected_b"].code not in html
    assert world["sent_a"].code not in html


def test_the_province_administrator_sees_every_commune(world, admin_province):
    html = _client(admin_province).get(URL).content.decode()
    assert world["rejected_a"].code in html and world["rejected_b"].code in html


def test_a_manager_reads_but_cannot_resend(world, manager_a):
    client = _client(manager_a)
    html = client.get(URL).content.decode()
    assert world["rejected_a"].code in html and "Gửi lại</button>" not in html
    answer = client.post(f"{API}/dossiers/{world['rejected_a'].code}/resend", {}, content_type="application/json")
    assert (answer.status_code, answer.json()["code"]) == (403, "sync_resend_forbidden")
    assert SyncMessage.objects.get(dossier=world["rejected_a"]).state == SyncState.REJECTED


@pytest.mark.parametrize("who", ["receptionist_a", "citizen"])
def test_other_officers_and_citizens_get_nothing(world, who, request):
    user = request.getfixturevalue(who)
    client = _client(user)
    assert client.get(URL).status_code == 404
    assert client.get(f"{API}/unsynced").json()["code"] == "sync_not_found"


def test_anonymous_is_sent_to_sign_in(world):
    assert Client().get(URL).status_code == 302
    assert Client().get(f"{API}/unsynced").status_code == 401


def test_filters_narrow_the_list(world, admin_province, make_dossier, receptionist_a):
    waiting = dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive")
    client = _client(admin_province)
    html = client.get(URL, {"tinh_trang": "rejected"}).content.decode()
    assert world["rejected_a"].code in html and waiting.code not in html
    html = client.get(URL, {"tinh_trang": "waiting"}).content.decode()
    assert waiting.code in html and world["rejected_a"].code not in html
    html = client.get(URL, {"co_quan": world["rejected_b"].receiving_agency_id}).content.decode()
    assert world["rejected_b"].code in html and world["rejected_a"].code not in html
    body = client.get(f"{API}/unsynced", {"state": "rejected", "q": world["rejected_b"].code}).json()
    assert [d["code"] for d in body["items"]] == [world["rejected_b"].code]
    assert body["items"][0]["unsent"][0]["reject_code"] == "12"
    assert client.get(f"{API}/unsynced", {"state": "nonsense"}).json()["code"] == "validation_error"


def test_resend_requeues_the_rejected_message_once_and_is_audited(world, admin_a):
    client = _client(admin_a)
    code = world["rejected_a"].code
    answer = client.post(f"{URL}{code}/gui-lai/", {"ghi_chu": "Đã sửa mã thủ tục"})
    assert answer.status_code == 302
    message = SyncMessage.objects.get(dossier=world["rejected_a"])
    assert (message.state, message.attempts, message.resent_count) == (SyncState.PENDING, 0, 1)
    audit = AuditEvent.objects.get(action="nationalsync.resend")
    assert audit.data["reject_code"] == "12" and audit.data["note"] == "Đã sửa mã thủ tục"
    # Nothing left to resend: a clear refusal, no second audit row.
    again = client.post(f"{API}/dossiers/{code}/resend", {}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "sync_nothing_to_resend")
    assert AuditEvent.objects.filter(action="nationalsync.resend").count() == 1


def test_an_administrator_cannot_resend_another_commune_dossier(world, admin_a):
    code = world["rejected_b"].code
    assert _client(admin_a).post(f"{URL}{code}/gui-lai/").status_code == 404
    answer = _client(admin_a).post(f"{API}/dossiers/{code}/resend", {}, content_type="application/json")
    assert answer.status_code == 404
    assert SyncMessage.objects.get(dossier=world["rejected_b"]).state == SyncState.REJECTED


def test_a_note_too_long_is_refused(world, admin_a):
    answer = _client(admin_a).post(
        f"{API}/dossiers/{world['rejected_a'].code}/resend", {"note": "x" * 501}, content_type="application/json"
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "validation_error")


def test_one_dossier_messages(world, admin_a):
    body = _client(admin_a).get(f"{API}/dossiers/{world['sent_a'].code}").json()
    assert [(m["seq"], m["state"], m["national_status"]) for m in body] == [(1, "sent", 2)]
    assert _client(admin_a).get(f"{API}/dossiers/{world['rejected_b'].code}").status_code == 404


def test_sync_rate_counts_dossiers_received_in_the_period(make_dossier, receptionist_a, agency_a, agency_b):
    start = datetime.datetime(2026, 3, 1, tzinfo=UTC)
    end = datetime.datetime(2026, 4, 1, tzinfo=UTC)

    def received(at):
        return dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive", now=at)

    at_start = received(start)  # counted: the period includes its start
    before_end = received(end - datetime.timedelta(seconds=1))  # counted, left unsent
    received(end)  # not counted: the period excludes its end
    no_message = make_dossier(received_at=start + datetime.timedelta(days=1), status="received")
    SyncMessage.objects.filter(dossier=at_start).update(state=SyncState.SENT)

    assert sync_rate(start=start, end=end) == (1, 3)
    assert sync_rate(agencies=[agency_a.pk], start=start, end=end) == (1, 3)
    assert sync_rate(agencies=[agency_b.pk], start=start, end=end) == (0, 0)
    drill = set(unsynced_dossiers(start=start, end=end).values_list("pk", flat=True))
    assert drill == {before_end.pk, no_message.pk}
    assert Dossier.objects.count() == 4


def test_the_demo_sets_up_one_rejection_once(make_dossier, receptionist_a):
    from motcua.demo.nationalsync import nationalsync_demo_build

    for _ in range(2):
        dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive")
    assert nationalsync_demo_build() == {"queued": 2, "rejected_now": 1}
    assert nationalsync_demo_build() == {"queued": 2, "rejected_now": 0}
    assert SyncMessage.objects.filter(state=SyncState.REJECTED).count() == 1


def test_the_page_costs_the_same_queries_for_one_or_many_dossiers(world, admin_province, make_dossier, receptionist_a):
    client = _client(admin_province)
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(4):
        dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive")
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).content.decode().count("data-code=") == 6
    assert len(many) == len(few)


def test_pages_keep_the_filters(world, admin_province, make_dossier, receptionist_a, monkeypatch):
    from motcua.nationalsync import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    html = _client(admin_province).get(URL, {"tinh_trang": "rejected"}).content.decode()
    assert "tinh_trang=rejected&amp;trang=2" in html


@pytest.mark.parametrize("agency", ["abc", "9" * 30, "-1"])
def test_a_bad_agency_filter_is_ignored_not_an_error(world, admin_a, agency):
    page = _client(admin_a).get(URL, {"co_quan": agency, "trang": "x"})
    assert page.status_code == 200 and world["rejected_a"].code in page.content.decode()
