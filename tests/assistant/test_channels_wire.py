"""The channels' wire formats, without the database: Zalo's event signature and events, the SMS
keywords, and replies that fit one unaccented SMS part."""

import datetime
import hashlib
import hmac

import pytest

from motcua.assistant.channels import replies, sms, zalo
from motcua.core.text import strip_accents
from motcua.dossiers.selectors.lookup import PublicDossier
from motcua.notifications import sms as sms_facts

APP, SECRET = "app-123", "oa-secret"
RAW = b'{"app_id":"app-123","event_name":"user_send_text","timestamp":"1765130000000"}'
STAMP = "1765130000000"


def zalo_mac(raw: bytes, stamp: str, app: str = APP, secret: str = SECRET) -> str:
    # Written out here from Zalo's documentation, independently of the code under test.
    return hashlib.sha256(app.encode() + raw + stamp.encode() + secret.encode()).hexdigest()


# --- Zalo signature ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [f"mac={zalo_mac(RAW, STAMP)}", zalo_mac(RAW, STAMP), f"MAC={zalo_mac(RAW, STAMP).upper()}"],
    ids=["with-mac-prefix", "bare-hex", "upper-case"],
)
def test_zalo_signature_accepts_the_documented_digest(header):
    assert zalo.signature_valid(RAW, header, STAMP, app_id=APP, oa_secret_key=SECRET)


@pytest.mark.parametrize(
    ("raw", "stamp", "header", "app", "secret"),
    [
        (RAW + b" ", STAMP, f"mac={zalo_mac(RAW, STAMP)}", APP, SECRET),  # body changed
        (RAW, "1765130000001", f"mac={zalo_mac(RAW, STAMP)}", APP, SECRET),  # another timestamp
        (RAW, STAMP, f"mac={zalo_mac(RAW, STAMP, secret='other')}", APP, SECRET),  # another OA's secret
        (RAW, STAMP, f"mac={zalo_mac(RAW, STAMP, app='other')}", APP, SECRET),  # another app
        (RAW, STAMP, "", APP, SECRET),  # no header
        (RAW, "", f"mac={zalo_mac(RAW, '')}", APP, SECRET),  # no timestamp in the body
        (RAW, STAMP, f"mac={zalo_mac(RAW, STAMP, secret='')}", APP, ""),  # our secret unset
        (RAW, STAMP, f"mac={zalo_mac(RAW, STAMP, app='')}", "", SECRET),  # our app id unset
        # An HMAC keyed with the secret is not what Zalo sends.
        (RAW, STAMP, "mac=" + hmac.new(SECRET.encode(), RAW, "sha256").hexdigest(), APP, SECRET),
    ],
    ids=["body", "timestamp", "secret", "app", "missing", "no-stamp", "unset-secret", "unset-app", "hmac"],
)
def test_zalo_signature_refuses(raw, stamp, header, app, secret):
    assert not zalo.signature_valid(raw, header, stamp, app_id=app, oa_secret_key=secret)


def test_zalo_events_are_read_from_their_documented_shapes():
    text = zalo.event_parse(
        {
            "app_id": APP,
            "event_name": "user_send_text",
            "sender": {"id": "246845883529197922"},
            "recipient": {"id": "388613280878808645"},
            "message": {"text": "làm giấy khai sinh ở đâu", "msg_id": "m1"},
            "timestamp": "1765130000000",
        }
    )
    assert (text.name, text.user_id, text.text, text.msg_id, text.timestamp_ms) == (
        "user_send_text",
        "246845883529197922",
        "làm giấy khai sinh ở đâu",
        "m1",
        1765130000000,
    )
    follow = zalo.event_parse({"event_name": "follow", "follower": {"id": "u9"}, "timestamp": 1765130000000})
    assert (follow.name, follow.user_id, follow.timestamp_ms) == ("follow", "u9", 1765130000000)
    odd = zalo.event_parse({"event_name": "user_send_text", "sender": "x", "message": [1], "timestamp": {"a": 1}})
    assert (odd.user_id, odd.text, odd.timestamp_ms) == ("", "", None)


# --- SMS keywords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "keyword", "argument"),
    [
        ("HS 000.00.20.H12-260315-0007", "HS", "000.00.20.H12-260315-0007"),
        ("hs: 000.00.20.H12-260315-0007", "HS", "000.00.20.H12-260315-0007"),
        ("  Hs-000.00.20.H12-260315-0007 ", "HS", "000.00.20.H12-260315-0007"),
        ("HS", "HS", ""),
        ("TT đăng ký khai sinh", "TT", "đăng ký khai sinh"),
        ("tt   ket\nhon", "TT", "ket hon"),
        # Decomposed accents (some phones send NFD) keep the argument whole.
        ("TT \u0111a\u0306ng ky\u0301", "TT", "đăng ký"),
        ("Tư vấn giúp tôi", "", "Tư vấn giúp tôi"),
        ("HSO 123", "", "HSO 123"),
        ("hs000", "", "hs000"),
        ("", "", ""),
    ],
)
def test_keywords(content, keyword, argument):
    assert sms.command_parse(content) == sms.Command(keyword, argument)


# --- One unaccented part ------------------------------------------------------------------------


def one_unaccented_part(text: str) -> bool:
    info = sms_facts.segments(text)
    return info.encoding == "GSM-7" and info.segments == 1 and strip_accents(text) == text


def test_first_fitting_takes_the_richest_candidate_that_fits_at_the_boundary():
    exactly = "a" * 160
    assert sms.first_fitting(exactly, "short") == exactly
    assert sms.first_fitting("a" * 161, "short") == "short"
    # An extension character takes two septets: 159 + "€" is 161 septets.
    assert sms.first_fitting("a" * 159 + "€", "short") == "short"
    # Nothing fits: the last candidate, cut at a word, within one part.
    cut = sms.first_fitting("word " * 60)
    assert one_unaccented_part(cut) and cut.endswith("...") and len(cut) <= 160


def test_typographic_quotes_do_not_force_unicode():
    assert sms.plain("Chưa tìm thấy “khai sinh” – thử lại…") == 'Chua tim thay "khai sinh" - thu lai...'


@pytest.fixture
def long_site(settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.camau.gov.vn"


def _dossier(**changes) -> PublicDossier:
    values = {
        "code": "000.00.20.H12-260315-0007",
        "procedure_name": "Đăng ký khai sinh",
        "status": "payment_requested",
        "status_label": "Yêu cầu thực hiện nghĩa vụ tài chính",
        "national_status_code": 6,
        "current_step": "Thẩm định hồ sơ và lấy ý kiến các cơ quan có liên quan về nguồn gốc đất",
        "expected_at": datetime.datetime(2026, 3, 20, 3, 0, tzinfo=datetime.UTC),
        "apology": True,
        "receiving_agency": "UBND xã Tân Thành",
        "applicant_masked": "T*** T*** M***",
    }
    values.update(changes)
    return PublicDossier(**values)


def test_status_reply_keeps_the_status_and_date_within_one_part(long_site):
    text = replies.sms_status(_dossier())
    assert one_unaccented_part(text)
    assert text.startswith("Ho so 000.00.20.H12-260315-0007: Yeu cau thuc hien nghia vu tai chinh.")
    assert "Hen tra moi: 20/03/2026" in text


def test_status_reply_with_room_carries_the_step_and_the_link(settings):
    settings.PUBLIC_BASE_URL = "http://x.vn"
    text = replies.sms_status(_dossier(status_label="Đang xử lý", current_step="Thẩm định", apology=False))
    assert one_unaccented_part(text)
    assert "Buoc: Tham dinh." in text and "Hen tra: 20/03/2026." in text
    assert "http://x.vn/" in text and "code=000.00.20.H12-260315-0007" in text


def test_fixed_replies_fit_one_unaccented_part(long_site):
    for text in (
        replies.sms_help(),
        replies.sms_hs_usage(),
        replies.sms_tt_usage(),
        replies.sms_throttled(60),
        replies.sms_status_elsewhere("000.00.20.H12-260315-0007"),
        replies.sms_no_procedure("một từ khóa rất dài mà không có thủ tục nào khớp được cả"),
    ):
        assert one_unaccented_part(text), text


def test_zalo_reply_adds_links_the_answer_does_not_show(settings):
    settings.PUBLIC_BASE_URL = "https://dvc.vn"
    text = replies.zalo_reply(
        "Đăng ký khai sinh tại UBND xã. Xem https://dvc.vn/thu-tuc/1/",
        [{"name": "Đăng ký khai sinh", "url": "/thu-tuc/1/"}, {"name": "Trích lục", "url": "/thu-tuc/2/"}],
    )
    assert (
        text == "Đăng ký khai sinh tại UBND xã. Xem https://dvc.vn/thu-tuc/1/\n• Trích lục: https://dvc.vn/thu-tuc/2/"
    )
    assert len(replies.zalo_reply("x " * 1500, [])) <= replies.ZALO_TEXT_LIMIT
