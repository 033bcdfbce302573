"""Status questions: the code, then the phone's last four digits (or a verified sender), answered by the
public lookup with its masked view, its refusal and its throttle."""

import pytest

from motcua.assistant.models import Conversation, Exchange
from motcua.assistant.services import ask, asking
from motcua.assistant.understanding import Understanding
from motcua.core.errors import DomainError
from motcua.dossiers.selectors import lookup

pytestmark = pytest.mark.django_db
PHONE = "0912345678"


@pytest.fixture
def dossier(make_dossier):
    return make_dossier(applicant_phone=PHONE, applicant_name="Trần Thị Mai")


def test_code_then_right_digits(dossier):
    first = ask(f"hồ sơ {dossier.code} tới đâu rồi")
    assert first.intent == "status" and first.needs == "phone_last4"
    assert "4 số cuối" in first.answer and dossier.code in first.answer
    reply = ask("5678", conversation=first.conversation)
    assert reply.intent == "status" and reply.needs is None
    assert dossier.code in reply.answer
    assert "T*** T*** M***" in reply.answer  # the lookup's masked name, never the full one
    assert "Trần Thị Mai" not in reply.answer and PHONE not in reply.answer
    assert dossier.get_status_display() in reply.answer
    stored = list(Exchange.objects.order_by("id").values_list("text", flat=True))
    assert stored == [f"hồ sơ {dossier.code} tới đâu rồi", "****"]
    assert "pending" not in Conversation.objects.get().context


def test_wrong_digits_get_the_lookups_refusal_and_may_retry(dossier):
    first = ask(f"tra cứu hồ sơ {dossier.code}")
    wrong = ask("1111", conversation=first.conversation)
    assert wrong.intent == "status" and wrong.needs == "phone_last4"
    assert wrong.answer == "Không tìm thấy hồ sơ với mã và số điện thoại đã nhập. Vui lòng kiểm tra lại."
    assert Exchange.objects.order_by("-id").first().answered is False
    right = ask("số cuối 5678", conversation=first.conversation)
    assert dossier.code in right.answer and right.needs is None


def test_code_with_digits_in_one_message(dossier):
    reply = ask(f"hồ sơ {dossier.code} sđt đuôi 5678")
    assert dossier.code in reply.answer and reply.needs is None
    assert Exchange.objects.get().text == f"hồ sơ {dossier.code} sđt đuôi ****"


def test_unknown_code_reads_like_wrong_digits(dossier):
    first = ask("hồ sơ 000.00.99.H12-260316-9999 sao rồi")
    assert ask("5678", conversation=first.conversation).answer.startswith("Không tìm thấy hồ sơ")


def test_verified_sender_phone_skips_the_question(dossier):
    reply = ask(f"HS {dossier.code}", channel="sms", sender=PHONE)
    assert dossier.code in reply.answer and reply.needs is None
    # Another phone is asked for the digits like anyone else.
    other = ask(f"HS {dossier.code}", channel="sms", sender="0987654321")
    assert other.needs == "phone_last4"
    # On the portal a sender value is not a verified phone.
    portal = ask(f"hồ sơ {dossier.code}", sender=PHONE)
    assert portal.needs == "phone_last4"


def test_lookup_throttle_applies(dossier, throttle_clock, monkeypatch):
    monkeypatch.setattr(lookup, "LOOKUP_MAX_FAILURES", 2)
    first = ask(f"hồ sơ {dossier.code}", client_ip="10.1.1.1")
    for _ in range(2):
        assert ask("0000", conversation=first.conversation, client_ip="10.1.1.1").needs == "phone_last4"
    blocked = ask("5678", conversation=first.conversation, client_ip="10.1.1.1")
    assert "quá nhiều lần" in blocked.answer and dossier.code not in blocked.answer
    # The same limit as the lookup page: the public lookup from that address is refused too.
    with pytest.raises(DomainError) as refused:
        lookup.dossier_lookup(dossier.code, "5678", client="10.1.1.1")
    assert refused.value.status == 429


def test_status_without_code_asks_for_it(dossier, monkeypatch):
    # Understanding's word (a status question with no code in it) is what this test is about.
    monkeypatch.setattr(asking, "understand", lambda text, context=None: Understanding("status", 0.6, folded="x"))
    reply = ask("hồ sơ của tôi tới đâu rồi")
    assert reply.intent == "status"
    assert "mã hồ sơ" in reply.answer
