"""`ask`: the three intents, follow-ups, the FAQ's precedence, the status flow, masking, limits."""

import datetime

import pytest
from django.utils import timezone

from motcua.assistant.models import Conversation, Exchange, FaqEntry
from motcua.assistant.services import ask
from motcua.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_procedure_question_answers_from_catalog_facts(catalog):
    reply = ask("làm giấy khai sinh cho con ở đâu")
    assert reply.intent == "procedure"
    assert reply.procedures[0]["code"] == "1.001193"
    assert reply.procedures[0]["url"] == "/thu-tuc/1.001193/"
    assert reply.procedures[0]["start_url"] == "/ho-so/nop/1.001193/"
    # Facts from the catalog row: the place, the two required documents, the fee, the time, online.
    assert "UBND xã" in reply.answer
    assert "Tờ khai đăng ký khai sinh; Giấy chứng sinh" in reply.answer
    assert "Giấy tờ chứng minh nơi cư trú" not in reply.answer  # not required
    assert "8.000 đ" in reply.answer
    assert "ngay khi nhận đủ hồ sơ" in reply.answer
    assert "trực tuyến toàn trình" in reply.answer
    exchange = Exchange.objects.get()
    assert exchange.source == "catalog" and exchange.answered
    assert exchange.procedure_ids[0] == catalog["birth"].pk


def test_out_of_scope_gives_hotline(catalog, settings):
    settings.ASSISTANT_HOTLINE = "0290 3 123 456"
    reply = ask("thời tiết ngày mai thế nào")
    assert reply.intent == "out_of_scope"
    assert "0290 3 123 456" in reply.answer
    assert reply.procedures == []
    assert Exchange.objects.get().answered is False


def test_followup_uses_last_procedure(catalog):
    first = ask("đăng ký kết hôn cần giấy tờ gì")
    assert first.procedures[0]["code"] == "1.000894"
    follow = ask("còn lệ phí bao nhiêu?", conversation=first.conversation)
    assert follow.intent == "procedure"
    assert follow.conversation == first.conversation
    assert "kết hôn" in follow.answer and "Miễn phí" in follow.answer
    again = ask("mất bao lâu?", conversation=first.conversation)
    assert "5 ngày làm việc" in again.answer
    online = ask("nộp online được không?", conversation=first.conversation)
    assert "trực tuyến" in online.answer
    assert Conversation.objects.get().context["turns"] == 4


def test_followup_context_expires_when_idle(catalog, settings):
    first = ask("đăng ký kết hôn cần giấy tờ gì")
    Conversation.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=31))
    settings.ASSISTANT_IDLE_MINUTES = 30
    later = ask("còn lệ phí bao nhiêu?", conversation=first.conversation)
    assert later.conversation != first.conversation
    assert "kết hôn" not in later.answer


def test_faq_takes_precedence_and_expired_is_ignored(catalog):
    today = timezone.localdate()
    FaqEntry.objects.create(
        question="Khai sinh cho con có mất tiền không?", answer="Đăng ký khai sinh đúng hạn được miễn lệ phí.",
        procedure=catalog["birth"], keywords="khai sinh mat tien",
    )  # fmt: skip
    reply = ask("khai sinh mất tiền không")
    assert reply.answer == "Đăng ký khai sinh đúng hạn được miễn lệ phí."
    assert reply.source == "faq"
    assert reply.procedures[0]["code"] == "1.001193"
    FaqEntry.objects.update(valid_until=today - datetime.timedelta(days=1))
    reply = ask("khai sinh mất tiền không")
    assert reply.source == "catalog"
    FaqEntry.objects.update(valid_until=today, valid_from=today)
    assert ask("khai sinh mất tiền không").source == "faq"
    FaqEntry.objects.update(valid_from=today + datetime.timedelta(days=1), valid_until=None)
    assert ask("khai sinh mất tiền không").source == "catalog"
    FaqEntry.objects.update(valid_from=None, is_active=False)
    assert ask("khai sinh mất tiền không").source == "catalog"


def test_message_limits(catalog):
    assert ask("a" * 1000).conversation
    with pytest.raises(DomainError) as too_long:
        ask("a" * 1001)
    assert too_long.value.code == "message_too_long" and too_long.value.status == 422
    for empty in ("", "   \n"):
        with pytest.raises(DomainError) as refused:
            ask(empty)
        assert refused.value.code == "message_empty"
    with pytest.raises(DomainError) as bad:
        ask("khai sinh", conversation="not-a-uuid")
    assert bad.value.code == "conversation_invalid"
    assert Exchange.objects.count() == 1


def test_stored_text_masks_phone_and_id_numbers(catalog):
    ask("tôi tên An, sđt 0912 345 678, cccd 079201001234, muốn làm khai sinh, số cũ 0912345678 hoặc +84912345678")
    text = Exchange.objects.get().text
    assert "0912" not in text and "345" not in text and "079201001234" not in text and "84912" not in text
    assert text.count("***") == 4
    assert "khai sinh" in text


def _understood(monkeypatch, confidence, scores, topic=None):
    from motcua.assistant.services import asking
    from motcua.assistant.understanding import Understanding

    def fake(text, context=None):
        return Understanding("procedure", confidence, scores(), topic=topic, folded="x y z")

    monkeypatch.setattr(asking, "understand", fake)


@pytest.mark.parametrize(
    ("confidence", "runner_up", "choice"),
    [
        (0.59, 0.75, True),  # unsure, runner-up at 75% of the best: a choice
        (0.59, 0.74, False),  # unsure but the best stands out
        (0.6, 0.99, False),  # sure enough: one answer
        (0.19, 0.1, True),  # a weak match is never given alone when there are others
    ],
)
def test_low_confidence_offers_the_top_three(catalog, monkeypatch, confidence, runner_up, choice):
    ids = [catalog[k].pk for k in ("marriage", "birth", "death", "household")]
    _understood(
        monkeypatch, confidence, lambda: [(ids[0], 4.0), (ids[1], 4.0 * runner_up), (ids[2], 1.0), (ids[3], 0.5)]
    )
    reply = ask("câu hỏi")
    if choice:
        assert reply.answer.startswith("Có phải bạn hỏi một trong các thủ tục sau?")
        assert [p["code"] for p in reply.procedures] == ["1.000894", "1.001193", "1.000656"]
        assert "1. Thủ tục đăng ký kết hôn" in reply.answer
        assert Conversation.objects.get().context.get("procedure") is None
    else:
        assert reply.answer.startswith("Thủ tục đăng ký kết hôn:")
        assert Conversation.objects.get().context["procedure"] == ids[0]


def test_followup_place_and_documents(catalog):
    first = ask("đăng ký thành lập hộ kinh doanh")
    assert first.procedures[0]["code"] == "2.000720"
    assert "nộp tại Phòng Tài chính - Kế hoạch (cấp tỉnh)" in first.answer
    # The office note is named where the agency kind alone is vague... and in full when asked where.
    place = ask("nộp ở đâu?", conversation=first.conversation)
    assert "Phòng Tài chính - Kế hoạch" in place.answer and "cấp tỉnh" in place.answer
    papers = ask("cần giấy tờ gì?", conversation=first.conversation)
    assert papers.answer == (
        "Về thủ tục “Đăng ký thành lập hộ kinh doanh”: Chưa có thông tin thành phần hồ sơ; vui lòng hỏi bộ phận một cửa."
    )
    online = ask("nộp online được không?", conversation=first.conversation)
    assert "phải đến nhận kết quả" in online.answer


def test_another_visitor_does_not_see_the_conversation(client, catalog):
    from django.test import Client

    client.post("/tro-ly/", {"message": "làm giấy khai sinh cho con"})
    assert "làm giấy khai sinh cho con" in client.get("/tro-ly/").content.decode()
    assert "làm giấy khai sinh cho con" not in Client().get("/tro-ly/").content.decode()
