"""The sender against the local fake of the national service: order, backoff, rejection, a killed
worker, sessions, the enabled flag. Time is passed in (`now`), never waited for."""

import datetime

import pytest

from motcua.core.models import Role
from motcua.dossiers.services.workflow import dossier_act
from motcua.nationalsync import sender
from motcua.nationalsync.client import NationalSyncClient, Outcome
from motcua.nationalsync.models import SyncMessage, SyncState
from motcua.nationalsync.services import sync_resend

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 3, 16, 3, 0, tzinfo=datetime.UTC)


def _seconds(n):
    return datetime.timedelta(seconds=n)


@pytest.fixture
def three_changes(make_received_dossier, officers):
    """A dossier with three queued messages: received (2), supplement requested (5), processing again."""

    def make(**overrides):
        staff = officers["a"]
        dossier = make_received_dossier(**overrides)
        dossier = dossier_act(
            dossier=dossier, actor=staff[Role.SPECIALIST], action="request_supplement", items=["Giấy chứng sinh"]
        )
        dossier = dossier_act(dossier=dossier, actor=staff[Role.RECEPTIONIST], action="supplement")
        assert SyncMessage.objects.filter(dossier=dossier).count() == 3
        return dossier

    return make


def _received(fake, code):
    return [(item["SoThuTu"], item["TrangThaiHoSo"]) for item in fake.received if item["MaHoSo"] == code]


def _states(dossier):
    return list(SyncMessage.objects.filter(dossier=dossier).order_by("seq").values_list("state", flat=True))


def test_all_messages_are_sent_in_order(fake_portal, three_changes, drain):
    dossier = three_changes()
    counts = drain(now=T0)
    assert counts[SyncState.SENT] == 3
    assert [seq for seq, _code in _received(fake_portal, dossier.code)] == [1, 2, 3]
    assert _states(dossier) == ["sent"] * 3
    assert fake_portal.out_of_order == 0 and fake_portal.logins == 1


def test_a_remote_failing_twice_delays_with_backoff_and_keeps_the_order(fake_portal, three_changes, client_portal):
    dossier = three_changes()
    fake_portal.fail_next = ["temporary", "temporary"]
    first = SyncMessage.objects.get(dossier=dossier, seq=1)

    assert sender.run_once(client=client_portal, now=T0) == {"claimed": 1, "retry": 1}
    first.refresh_from_db()
    assert (first.state, first.attempts, first.not_before) == ("retry", 1, T0 + _seconds(30))
    assert "503" in first.last_error
    # Not due one second before its time, and the later messages wait behind it.
    assert sender.run_once(client=client_portal, now=T0 + _seconds(29)) == {"claimed": 0}
    assert sender.run_once(client=client_portal, now=T0 + _seconds(30)) == {"claimed": 1, "retry": 1}
    first.refresh_from_db()
    assert first.not_before == T0 + _seconds(30 + 60)  # doubled
    assert sender.run_once(client=client_portal, now=T0 + _seconds(90)) == {"claimed": 1, "sent": 1}
    later = T0 + _seconds(91)
    assert sender.run_once(client=client_portal, now=later) == {"claimed": 1, "sent": 1}
    assert sender.run_once(client=client_portal, now=later) == {"claimed": 1, "sent": 1}
    assert [seq for seq, _ in _received(fake_portal, dossier.code)] == [1, 2, 3]
    assert fake_portal.out_of_order == 0


def test_backoff_doubles_up_to_its_cap(settings):
    settings.NATIONAL_SYNC_BACKOFF_SECONDS, settings.NATIONAL_SYNC_BACKOFF_MAX_SECONDS = 30, 100
    assert [sender.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_a_rejection_blocks_only_its_dossier_until_an_administrator_resends(
    fake_portal, three_changes, drain, agency_b, office_b, admin_a
):
    bad = three_changes()
    good = three_changes()
    fake_portal.fail_recipients = {bad.code: "12"}
    drain(now=T0)
    assert _states(bad) == ["rejected", "pending", "pending"]
    assert _states(good) == ["sent"] * 3
    rejected = SyncMessage.objects.get(dossier=bad, seq=1)
    assert rejected.reject_code == "12" and "12" in rejected.last_error
    # Blocked for good: later runs leave it alone, whatever the time.
    assert drain(now=T0 + _seconds(10**6)) == {}

    fake_portal.fail_recipients = {}
    sync_resend(dossier=bad, actor=admin_a, note="Đã sửa mã thủ tục")
    drain(now=T0)
    assert _states(bad) == ["sent"] * 3
    assert [seq for seq, _ in _received(fake_portal, bad.code)] == [1, 2, 3]


def test_a_killed_worker_loses_nothing_and_the_resend_is_not_duplicated(
    fake_portal, three_changes, client_portal, monkeypatch
):
    dossier = three_changes()
    real_record = sender.record

    def killed(**kwargs):
        raise KeyboardInterrupt("worker killed after the remote accepted")

    monkeypatch.setattr(sender, "record", killed)
    with pytest.raises(KeyboardInterrupt):
        sender.run_once(client=client_portal, now=T0, worker_id="dead")
    monkeypatch.setattr(sender, "record", real_record)
    assert _received(fake_portal, dossier.code) == [(1, 2)]
    assert _states(dossier) == ["sending", "pending", "pending"]

    # Until the claim is stale nobody touches it, and nothing after it moves.
    assert sender.run_once(client=client_portal, now=T0 + _seconds(299), worker_id="w2") == {"claimed": 0}
    later = T0 + _seconds(301)
    assert sender.run_once(client=client_portal, now=later, worker_id="w2") == {"claimed": 1, "sent": 1}
    assert fake_portal.duplicates == 1
    sender.run_once(client=client_portal, now=later, worker_id="w2")
    sender.run_once(client=client_portal, now=later, worker_id="w2")
    assert _states(dossier) == ["sent"] * 3
    assert _received(fake_portal, dossier.code) == [(1, 2), (2, 5), (3, 4)]
    assert fake_portal.out_of_order == 0


def test_an_answer_lost_after_acceptance_is_retried_and_deduplicated(fake_portal, three_changes, client_portal):
    dossier = three_changes()
    fake_portal.fail_next = ["lost_answer"]
    assert sender.run_once(client=client_portal, now=T0) == {"claimed": 1, "retry": 1}
    assert sender.run_once(client=client_portal, now=T0 + _seconds(30)) == {"claimed": 1, "sent": 1}
    assert fake_portal.duplicates == 1
    assert [seq for seq, _ in _received(fake_portal, dossier.code)] == [1]


def test_a_late_worker_does_not_overwrite_the_one_that_took_over(fake_portal, three_changes, client_portal):
    dossier = three_changes()
    [stale] = sender.claim(batch=10, worker_id="slow", now=T0)
    [taken] = sender.claim(batch=10, worker_id="fast", now=T0 + _seconds(301))
    assert stale.pk == taken.pk
    result = client_portal.sync_dossier(taken.payload)
    assert sender.record(message=taken, result=result, worker_id="fast") == "sent"
    assert sender.record(message=stale, result=result, worker_id="slow") == "sent"  # left as it was
    assert _states(dossier)[0] == "sent"


def test_an_expired_session_logs_in_again(fake_portal, three_changes, drain):
    three_changes()
    drain(now=T0, rounds=1)
    fake_portal.expire_sessions()
    drain(now=T0)
    assert fake_portal.logins == 2
    assert SyncMessage.objects.filter(state=SyncState.SENT).count() == 3


def test_wrong_credentials_keep_messages_waiting_not_rejected(settings, fake_portal, three_changes):
    dossier = three_changes()
    client = NationalSyncClient(password="wrong")
    assert sender.run_once(client=client, now=T0) == {"claimed": 1, "retry": 1}
    first = SyncMessage.objects.get(dossier=dossier, seq=1)
    assert "Đăng nhập" in first.last_error
    assert fake_portal.received == []


def test_an_unreachable_portal_is_a_temporary_failure(three_changes, settings):
    dossier = three_changes()
    client = NationalSyncClient(url="http://127.0.0.1:9", username="x", password="y", timeout=2)
    assert sender.run_once(client=client, now=T0, force=True) == {"claimed": 1, "retry": 1}
    assert SyncMessage.objects.get(dossier=dossier, seq=1).state == "retry"


def test_nothing_is_sent_while_sync_is_disabled(settings, fake_portal, three_changes, client_portal):
    three_changes()
    settings.NATIONAL_SYNC_ENABLED = False
    assert sender.run_once(client=client_portal, now=T0) == {"claimed": 0}
    assert fake_portal.requests == 0
    settings.NATIONAL_SYNC_ENABLED = True
    assert sender.run_once(client=client_portal, now=T0)["sent"] == 1


def test_the_fake_rejects_a_malformed_item(fake_portal, client_portal):
    result = client_portal.sync_dossier({"MaGoiTin": "x1", "MaHoSo": "A-1", "MaTTHC": "1.0", "TrangThaiHoSo": 11,
                                         "KenhThucHien": 2})  # fmt: skip
    assert (result.outcome, result.code) == (Outcome.REJECTED, "2")
    result = client_portal.sync_dossier({"MaGoiTin": "x2", "MaHoSo": "A-1", "MaTTHC": "1.0", "TrangThaiHoSo": 10,
                                         "KenhThucHien": 2, "NgayTiepNhan": "2026-03-16"})  # fmt: skip
    assert result.outcome == Outcome.REJECTED and "yyyyMMddHHmmss" in result.reason


def test_a_portal_that_answers_too_late_is_a_temporary_failure(fake_portal, three_changes):
    dossier = three_changes()
    fake_portal.slow_seconds = 1.0
    fake_portal.fail_next = ["timeout"]
    client = NationalSyncClient(timeout=0.3)
    client.login()
    assert sender.run_once(client=client, now=T0) == {"claimed": 1, "retry": 1}
    first = SyncMessage.objects.get(dossier=dossier, seq=1)
    assert first.state == SyncState.RETRY and "kết nối" in first.last_error
    # The slow answer was an acceptance after all: the retry is de-duplicated, not recorded twice.
    fake_portal.wait_for(lambda fake: len(fake.received) == 1, timeout=5)
    assert sender.run_once(client=client, now=T0 + _seconds(30)) == {"claimed": 1, "sent": 1}
    assert fake_portal.duplicates == 1
