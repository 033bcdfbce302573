"""Every status change queues one message, in the same transaction, with the national payload."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.core import events
from motcua.core.models import Organisation, Role
from motcua.dossiers import topics
from motcua.dossiers.models import Channel, DossierStatus
from motcua.dossiers.services.workflow import dossier_act
from motcua.nationalsync.models import SyncMessage, SyncState
from motcua.nationalsync.payload import CHANNEL_CODE, national_status, vn_time

pytestmark = pytest.mark.django_db
UTC = datetime.UTC

# The national portal's ten codes (Decision 766's dossier statuses), written out by hand.
EXPECTED_CODES = {
    "registered": 1,
    "received": 2,
    "not_received": 3,
    "processing": 4,
    "supplement_requested": 5,
    "payment_requested": 6,
    "withdrawn": 7,
    "stopped": 8,
    "resolved": 9,
    "returned": 10,
}


@pytest.mark.parametrize("status", [s for s in DossierStatus.values if s != "draft"])
def test_each_status_has_its_national_code(status):
    assert national_status(status) == EXPECTED_CODES[status]


def test_a_draft_is_never_reported():
    assert national_status("draft") is None
    assert national_status("no-such-status") is None


def test_dates_are_vietnam_time_yyyymmddhhmmss():
    # 17:05:09 UTC is 00:05:09 the next day in Vietnam (UTC+7): the day changes too.
    assert vn_time(datetime.datetime(2026, 3, 16, 17, 5, 9, tzinfo=UTC)) == "20260317000509"
    assert vn_time(datetime.datetime(2026, 3, 16, 16, 59, 59, tzinfo=UTC)) == "20260316235959"
    assert vn_time(None) == ""


def test_channels_map_to_1_in_person_2_online_3_postal():
    assert CHANNEL_CODE == {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3, Channel.ASSISTED: 2}


def test_receiving_queues_one_message_with_the_national_fields(make_dossier, receptionist_a, procedure):
    at = datetime.datetime(2026, 3, 16, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
    dossier = make_dossier(channel=Channel.COUNTER)
    dossier = dossier_act(dossier=dossier, actor=receptionist_a, action="receive", now=at)
    [message] = SyncMessage.objects.filter(dossier=dossier)
    assert (message.seq, message.status, message.national_status, message.state) == (1, "received", 2, "pending")
    data = message.payload
    assert data["MaGoiTin"] == message.message_id and data["SoThuTu"] == 1
    assert data["MaHoSo"] == dossier.code
    assert data["MaTTHC"] == procedure.code and data["TenTTHC"] == procedure.name
    assert data["TrangThaiHoSo"] == 2
    assert data["KenhThucHien"] == 1
    assert data["LoaiDoiTuong"] == 1
    assert data["CoQuanTiepNhan"] == dossier.receiving_agency.code
    assert data["NgayTiepNhan"] == "20260316100000"
    assert data["ThoiDiemCapNhat"] == "20260316100000"  # the action's moment, not the clock's
    assert message.changed_at == at
    assert data["NgayTra"] == "" and data["DanhSachGiayToKetQua"] == []


def test_an_organisation_is_applicant_kind_2(make_dossier, receptionist_a):
    company = Organisation.objects.create(tax_code="0101234567", name="Công ty TNHH Minh Phát")
    dossier = make_dossier(applicant_organisation=company, channel=Channel.POST)
    dossier_act(dossier=dossier, actor=receptionist_a, action="receive")
    data = SyncMessage.objects.get(dossier=dossier).payload
    assert (data["LoaiDoiTuong"], data["KenhThucHien"]) == (2, 3)


def test_fees_requested_are_in_the_payload(make_received_dossier, officers):
    dossier = make_received_dossier()
    dossier_act(dossier=dossier, actor=officers["a"][Role.SPECIALIST], action="request_fees", amount=8000)
    message = SyncMessage.objects.get(dossier=dossier, seq=2)
    assert message.national_status == 6
    [fee] = message.payload["DanhSachLePhi"]
    assert fee["Gia"] == 8000 and fee["MaThanhToan"]


def test_sequence_follows_every_change_and_skips_actions_that_keep_the_status(make_received_dossier, officers):
    staff = officers["a"]
    dossier = make_received_dossier()
    dossier = dossier_act(
        dossier=dossier, actor=staff[Role.SPECIALIST], action="request_supplement", items=["Giấy chứng sinh"]
    )
    dossier = dossier_act(dossier=dossier, actor=staff[Role.RECEPTIONIST], action="supplement")
    rows = list(SyncMessage.objects.filter(dossier=dossier).order_by("seq").values_list("seq", "status"))
    changes = [e.to_status for e in dossier.events.order_by("id") if e.from_status != e.to_status]
    assert [status for _seq, status in rows] == changes
    assert [seq for seq, _status in rows] == [1, 2, 3]
    assert changes[:2] == ["received", "supplement_requested"]


def test_the_message_is_part_of_the_action_transaction(make_dossier, receptionist_a):
    """A later subscriber that fails undoes the action and its queued message together."""

    def boom(**kwargs):
        raise RuntimeError("a later subscriber fails")

    dossier = make_dossier()
    events.subscribe(topics.STATUS_CHANGED, boom)
    try:
        with pytest.raises(RuntimeError):
            dossier_act(dossier=dossier, actor=receptionist_a, action="receive")
    finally:
        events.unsubscribe(topics.STATUS_CHANGED, boom)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.REGISTERED
    assert not SyncMessage.objects.filter(dossier=dossier).exists()


def test_messages_are_queued_even_when_sending_is_off(settings, make_dossier, receptionist_a):
    settings.NATIONAL_SYNC_ENABLED = False
    dossier = dossier_act(dossier=make_dossier(), actor=receptionist_a, action="receive")
    assert SyncMessage.objects.get(dossier=dossier).state == SyncState.PENDING


def test_vietnam_zone_is_explicit_whatever_the_site_zone(settings):
    settings.TIME_ZONE = "UTC"
    assert vn_time(datetime.datetime(2026, 1, 1, 0, 0, tzinfo=ZoneInfo("UTC"))) == "20260101070000"
