"""SMS keywords to the province's number: the gateway's signed inbound post, "HS <mã hồ sơ>" for the
applicant's own phone, "TT <từ khóa>", help for anything else; replies unaccented in one part, sent
by the worker through the gateway; replays and throttling per phone."""

import io

import pytest
from django.core.management import call_command

from motcua.assistant.channels import services
from motcua.assistant.models import Conversation
from motcua.catalog.search import search_index_invalidate
from motcua.dossiers.models import DossierStatus
from motcua.notifications import sms as sms_facts
from motcua.notifications.models import ChannelKind, Message, MessageStatus
from motcua.notifications.worker import run_once
from tests.factories import ProcedureFactory

from ._channels_world import channel_settings, sms_running

pytestmark = pytest.mark.django_db
URL = "/tro-ly/sms/den/"
PHONE = "0912345678"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    channel_settings(settings, tmp_path)


@pytest.fixture
def gateway(settings):
    with sms_running(settings) as fake:
        yield fake


@pytest.fixture
def dossier(make_dossier):
    return make_dossier(applicant_phone=PHONE, applicant_name="Trần Thị Mai", status=DossierStatus.PROCESSING)


_ids = iter(range(1, 10_000))


def text_in(client, gateway, content, *, phone=PHONE, mo_id=None, signature=None):
    payload = gateway.mo_payload(phone=phone, content=content, mo_id=mo_id or f"mo-{next(_ids)}")
    raw, mac = gateway.signed(payload)
    return client.post(
        URL, data=raw, content_type="application/json", headers={"X-Signature": mac if signature is None else signature}
    )


def reply_to(client, gateway, content, **kwargs) -> str:
    response = text_in(client, gateway, content, **kwargs)
    assert response.status_code == 200, response.content
    return Message.objects.get(pk=response.json()["message_id"]).body


def one_unaccented_part(text: str) -> bool:
    info = sms_facts.segments(text)
    return info.encoding == "GSM-7" and info.segments == 1 and text.isascii()


def test_hs_from_the_applicants_phone_is_answered_with_the_status(client, gateway, dossier):
    text = reply_to(client, gateway, f"HS {dossier.code}")
    assert one_unaccented_part(text)
    assert text.startswith(f"Ho so {dossier.code}: Dang xu ly.")
    assert "Tran" not in text and PHONE not in text


def test_hs_from_another_phone_or_for_no_dossier_reads_the_same(client, gateway, dossier):
    other = reply_to(client, gateway, f"hs {dossier.code}", phone="0987654321")
    missing = reply_to(client, gateway, "HS 000.00.99.H12-260316-9999")
    assert one_unaccented_part(other) and one_unaccented_part(missing)
    assert other.replace(dossier.code, "X") == missing.replace("000.00.99.H12-260316-9999", "X")
    assert "Dang xu ly" not in other and "https://dichvucong.camau.gov.vn/ho-so/tra-cuu/" in other


def test_hs_without_a_code_explains_the_keyword(client, gateway):
    for content in ("HS", "HS 12345"):
        text = reply_to(client, gateway, content)
        assert one_unaccented_part(text) and text.startswith("Soan HS <ma ho so>")


def test_tt_gives_the_procedure_summary_with_its_link(client, gateway, catalog):
    text = reply_to(client, gateway, "TT khai sinh")
    assert one_unaccented_part(text)
    # The assistant's own catalog sentences, unaccented: on the spot, the fee line's 8.000 đ.
    assert text == (
        "Thu tuc dang ky khai sinh. Giai quyet ngay khi nhan du ho so. Phi, le phi: 8.000 d. "
        "https://dichvucong.camau.gov.vn/thu-tuc/1.001193/"
    )


def test_a_long_procedure_keeps_its_link_in_one_part(client, gateway, catalog):
    ProcedureFactory(
        code="1.004227",
        name="Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu cho hộ gia "
        "đình, cá nhân đã được cấp giấy chứng nhận quyền sử dụng đất trước ngày có hiệu lực",
        keywords="sổ đỏ lần đầu",
        agency_note="Văn phòng đăng ký đất đai hoặc Chi nhánh Văn phòng đăng ký đất đai",
        fee_text="Theo quy định của Hội đồng nhân dân tỉnh về phí thẩm định hồ sơ cấp giấy chứng nhận",
    )
    search_index_invalidate()
    text = reply_to(client, gateway, "TT cấp sổ đỏ lần đầu")
    assert one_unaccented_part(text) and len(text) <= 160
    assert text.startswith("Cap Giay chung nhan quyen su dung dat")
    assert text.endswith(" https://dichvucong.camau.gov.vn/thu-tuc/1.004227/")


def test_tt_without_a_match_or_a_word(client, gateway, catalog):
    nothing = reply_to(client, gateway, "TT thời tiết ngày mai thế nào")
    assert one_unaccented_part(nothing) and nothing.startswith("Chua tim thay thu tuc")
    usage = reply_to(client, gateway, "TT")
    assert one_unaccented_part(usage) and usage.startswith("Soan TT <tu khoa>")


def test_anything_else_gets_the_help_text(client, gateway):
    text = reply_to(client, gateway, "Cho hỏi giờ làm việc")
    assert one_unaccented_part(text) and text.startswith("Soan HS <ma ho so>") and "TT <tu khoa>" in text


def test_the_reply_reaches_the_gateway_as_sent(client, gateway, dossier):
    body = reply_to(client, gateway, f"HS {dossier.code}", mo_id="mo-send")
    message = Message.objects.get()
    assert (message.channel, message.recipient, message.urgent) == (ChannelKind.SMS, PHONE, True)
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.segments == 1
    sent = gateway.accepted["assistant:sms-mo:mo-send"]
    assert (sent["phone"], sent["content"]) == (PHONE, body)


def test_bad_signature_replay_and_malformed_posts(client, gateway):
    refused = text_in(client, gateway, "HS", signature="0" * 64)
    assert refused.status_code == 401 and refused.json()["code"] == "bad_signature"
    assert text_in(client, gateway, "HS", mo_id="mo-1").json()["code"] == "queued"
    again = text_in(client, gateway, "HS", mo_id="mo-1")
    assert again.status_code == 200 and again.json()["code"] == "duplicate"
    raw, mac = gateway.signed({"Phone": PHONE, "Content": "HS"})  # no MoId
    missing = client.post(URL, data=raw, content_type="application/json", headers={"X-Signature": mac})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_payload"
    foreign = text_in(client, gateway, "HS", phone="+1 202 555 0100")
    assert foreign.status_code == 200 and foreign.json()["code"] == "ignored"
    assert Message.objects.count() == 1


def test_each_phone_is_throttled_alone(client, gateway, monkeypatch):
    monkeypatch.setitem(services.SENDER_LIMITS, "sms", (2, 3600))
    codes = [text_in(client, gateway, "xin chao").json()["code"] for _ in range(4)]
    assert codes == ["queued", "queued", "throttled", "throttled"]
    bodies = list(Message.objects.filter(recipient=PHONE).order_by("id").values_list("body", flat=True))
    assert len(bodies) == 3 and bodies[-1] == "Ban da gui qua nhieu tin nhan. Vui long thu lai sau 60 phut."
    assert text_in(client, gateway, "xin chao", phone="0987654321").json()["code"] == "queued"


def test_a_phone_keeps_its_conversation(client, gateway, catalog):
    reply_to(client, gateway, "TT khai sinh")
    reply_to(client, gateway, "TT kết hôn")
    reply_to(client, gateway, "TT khai tử", phone="0987654321")
    assert Conversation.objects.get(channel="sms", sender=PHONE).exchanges.count() == 2
    assert Conversation.objects.filter(channel="sms").count() == 2


def test_the_demo_command_posts_a_signed_text(live_server, catalog):
    out = io.StringIO()
    call_command("fake_channel_message", "sms", "TT khai sinh", phone=PHONE, base_url=live_server.url, stdout=out)
    assert out.getvalue().startswith('200 {"code": "queued"')
    assert Message.objects.get().body.startswith("Thu tuc dang ky khai sinh.")
