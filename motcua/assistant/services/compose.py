"""Answers in short Vietnamese, built only from catalog facts, FAQ entries and the public lookup.

Every sentence here states a fact read from a row (a procedure, its documents and fees, an FAQ entry,
a dossier's public view) or says where to find it; nothing is made up when a fact is missing: the
sentence about it is left out.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.fees import headline, schedule_of
from motcua.catalog.models import OnlineLevel, Procedure
from motcua.dossiers.selectors.lookup import PublicDossier

MAIN_DOCUMENTS = 2


def procedure_links(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "url": procedure.get_absolute_url(),
        "start_url": reverse("dossiers:submit", args=[procedure.code]),
    }


def _days(value) -> str:
    number = int(value) if value == int(value) else value
    return str(number).replace(".", ",")


def place_sentence(procedure: Procedure) -> str:
    where = procedure.get_agency_kind_display()
    if procedure.agency_note:
        where = f"{where} ({procedure.agency_note.rstrip('.')})"
    return _("Nộp tại %(where)s (%(level)s).") % {"where": where, "level": procedure.get_level_display().lower()}


def documents_sentence(procedure: Procedure) -> str:
    documents = [d for d in procedure.documents.all() if d.is_required]
    if not documents:
        return ""
    main = "; ".join(d.name.rstrip(".") for d in documents[:MAIN_DOCUMENTS])
    if len(documents) > MAIN_DOCUMENTS:
        return _("Hồ sơ gồm %(count)d loại giấy tờ, chính là: %(main)s.") % {"count": len(documents), "main": main}
    return _("Hồ sơ gồm: %(main)s.") % {"main": main}


def fee_sentence(procedure: Procedure) -> str:
    """The catalog page's fee headline (no fee lines reads "Miễn phí" there too), or the catalog's
    written fee text when there are no lines but a text."""
    schedule = schedule_of(procedure)
    if not schedule and procedure.fee_text.strip():
        return _("Phí, lệ phí: %(fee)s.") % {"fee": procedure.fee_text.strip().rstrip(".")}
    return _("Phí, lệ phí: %(fee)s.") % {"fee": headline(schedule, timezone.localdate())["text"]}


def time_sentence(procedure: Procedure) -> str:
    if procedure.on_the_spot:
        return _("Giải quyết ngay khi nhận đủ hồ sơ.")
    if procedure.time_limit_days is not None:
        return _("Thời hạn giải quyết: %(days)s ngày làm việc.") % {"days": _days(procedure.time_limit_days)}
    if procedure.time_limit_text:
        return _("Thời hạn giải quyết: %(text)s.") % {"text": procedure.time_limit_text.strip().rstrip(".")}
    return ""


def online_sentence(procedure: Procedure) -> str:
    if procedure.online_level == OnlineLevel.FULL:
        return _("Có thể nộp trực tuyến toàn trình trên Cổng dịch vụ công.")
    if procedure.online_level == OnlineLevel.PARTIAL:
        return _("Có thể nộp hồ sơ trực tuyến, nhưng phải đến nhận kết quả hoặc nộp bản gốc trực tiếp.")
    return _("Thủ tục này chưa nộp trực tuyến được, cần nộp trực tiếp hoặc qua bưu chính.")


# In the order a full answer gives them: where, what papers, how much, how long, online or not.
TOPIC_SENTENCES = {
    "place": place_sentence,
    "documents": documents_sentence,
    "fee": fee_sentence,
    "time": time_sentence,
    "online": online_sentence,
}


def procedure_answer(procedure: Procedure, *, lead: str | None = None) -> str:
    """The procedure's name, then its facts; the one asked about (`lead`, a topic) comes first."""
    topics = sorted(TOPIC_SENTENCES, key=lambda t: t != lead)
    parts = [procedure.name + "."] + [TOPIC_SENTENCES[t](procedure) for t in topics]
    return " ".join(p for p in parts if p)


def topic_answer(procedure: Procedure, topic: str | None) -> str:
    sentence = TOPIC_SENTENCES.get(topic or "", lambda p: "")(procedure)
    if not sentence:
        return procedure_answer(procedure)
    return _("Về thủ tục “%(name)s”: %(fact)s") % {"name": procedure.name, "fact": sentence}


def choices_answer(procedures: list[Procedure]) -> str:
    lines = [_("Có phải bạn hỏi một trong các thủ tục sau?")]
    lines += [f"{i}. {p.name}" for i, p in enumerate(procedures, 1)]
    return "\n".join(lines)


def status_answer(found: PublicDossier) -> str:
    parts = [
        _("Hồ sơ %(code)s (%(procedure)s) của %(name)s: %(status)s.")
        % {"code": found.code, "procedure": found.procedure_name, "name": found.applicant_masked,
           "status": found.status_label},
    ]  # fmt: skip
    if found.current_step:
        parts.append(_("Bước đang xử lý: %(step)s.") % {"step": found.current_step})
    if found.expected_at:
        when = timezone.localtime(found.expected_at).strftime("%d/%m/%Y")
        parts.append(_("Hẹn trả kết quả: %(date)s.") % {"date": when})
    parts.append(_("Nơi tiếp nhận: %(agency)s.") % {"agency": found.receiving_agency})
    return " ".join(parts)


def ask_phone_answer(code: str) -> str:
    return _("Để tra cứu hồ sơ %(code)s, vui lòng nhập 4 số cuối số điện thoại của người nộp hồ sơ.") % {"code": code}


def ask_code_answer() -> str:
    return _("Để tra cứu hồ sơ, vui lòng gửi mã hồ sơ in trên giấy tiếp nhận (dạng 000.00.31.H12-250612-0042).")


def out_of_scope_answer() -> str:
    return _(
        "Xin lỗi, tôi chỉ trả lời về thủ tục hành chính và hồ sơ đã nộp. Việc khác xin gọi đường dây nóng %(hotline)s."
    ) % {"hotline": settings.ASSISTANT_HOTLINE}


def greeting_answer() -> str:
    return _(
        "Xin chào! Bạn có thể hỏi về thủ tục hành chính (ví dụ: “làm giấy khai sinh ở đâu”) "
        "hoặc nhập mã hồ sơ để tra cứu tình trạng."
    )


def not_understood_answer() -> str:
    return _(
        "Tôi chưa tìm được thủ tục phù hợp. Bạn hãy nói rõ hơn việc cần làm, hoặc gọi đường dây nóng %(hotline)s."
    ) % {"hotline": settings.ASSISTANT_HOTLINE}
