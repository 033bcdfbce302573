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
from motcua.core.models import AgencyKind
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


# Agency kinds whose label alone does not say which office ("Sở, ngành tỉnh"): the catalog's note does.
_VAGUE_KINDS = {AgencyKind.DEPARTMENT, AgencyKind.PROVINCE_POLICE, AgencyKind.OTHER}


def _where(procedure: Procedure) -> str:
    if procedure.agency_note and procedure.agency_kind in _VAGUE_KINDS:
        return procedure.agency_note.strip().rstrip(".")
    return procedure.get_agency_kind_display()


def _fee_text(procedure: Procedure) -> str:
    """The catalog page's fee headline (no fee lines reads "Miễn phí" there too), or the catalog's
    written fee text when there are no lines but a text."""
    schedule = schedule_of(procedure)
    if not schedule and procedure.fee_text.strip():
        return procedure.fee_text.strip().rstrip(".")
    return headline(schedule, timezone.localdate())["text"]


def _time_text(procedure: Procedure) -> str:
    if procedure.on_the_spot:
        return _("giải quyết ngay khi nhận đủ hồ sơ")
    if procedure.time_limit_days is not None:
        return _("thời hạn giải quyết %(days)s ngày làm việc") % {"days": _days(procedure.time_limit_days)}
    if procedure.time_limit_text.strip():
        return _("thời hạn giải quyết: %(text)s") % {"text": procedure.time_limit_text.strip().rstrip(".")}
    return ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""


def place_sentence(procedure: Procedure) -> str:
    """Where, in full: the kind of agency and level, and the catalog's note on which office."""
    text = _("Nơi nộp: %(kind)s (%(level)s)") % {
        "kind": procedure.get_agency_kind_display(), "level": procedure.get_level_display().lower()}  # fmt: skip
    if procedure.agency_note.strip():
        text += f"; {procedure.agency_note.strip().rstrip('.')}"
    return text + "."


def documents_sentence(procedure: Procedure, *, asked: bool = False) -> str:
    documents = [d for d in procedure.documents.all() if d.is_required]
    if not documents:
        # Said only when asked; the catalog page says the same.
        return _("Chưa có thông tin thành phần hồ sơ; vui lòng hỏi bộ phận một cửa.") if asked else ""
    main = "; ".join(d.name.rstrip(".") for d in documents[:MAIN_DOCUMENTS])
    if len(documents) > MAIN_DOCUMENTS:
        return _("Hồ sơ gồm %(count)d loại giấy tờ, chính là: %(main)s.") % {"count": len(documents), "main": main}
    return _("Hồ sơ gồm: %(main)s.") % {"main": main}


def fee_sentence(procedure: Procedure) -> str:
    return _("Phí, lệ phí: %(fee)s.") % {"fee": _fee_text(procedure)}


def time_sentence(procedure: Procedure) -> str:
    text = _time_text(procedure)
    return _capital(text) + "." if text else ""


def online_sentence(procedure: Procedure) -> str:
    if procedure.online_level == OnlineLevel.FULL:
        return _("Có thể nộp trực tuyến toàn trình trên Cổng dịch vụ công.")
    if procedure.online_level == OnlineLevel.PARTIAL:
        return _("Có thể nộp hồ sơ trực tuyến, nhưng phải đến nhận kết quả hoặc nộp bản gốc trực tiếp.")
    return _("Thủ tục này chưa nộp trực tuyến được, cần nộp trực tiếp hoặc qua bưu chính.")


# A follow-up's answer: the one fact asked about, in full.
TOPIC_SENTENCES = {
    "place": place_sentence,
    "documents": documents_sentence,
    "fee": fee_sentence,
    "time": time_sentence,
    "online": online_sentence,
}


def procedure_answer(procedure: Procedure, *, lead: str | None = None) -> str:
    """Three sentences: where, how long and how much; the main papers; online or not. The fact asked
    about (`lead`, a topic) comes first."""
    clauses = {
        "place": _("nộp tại %(where)s (%(level)s)") % {
            "where": _where(procedure), "level": procedure.get_level_display().lower()},
        "fee": _("phí, lệ phí: %(fee)s") % {"fee": _fee_text(procedure)},
        "time": _time_text(procedure),
    }  # fmt: skip
    order = sorted(clauses, key=lambda t: t != lead)
    facts = "; ".join(clauses[t] for t in order if clauses[t])
    name = procedure.name.rstrip(".")
    documents, online = documents_sentence(procedure), online_sentence(procedure)
    if lead == "documents":
        sentences = [f"{name}.", documents, _capital(facts) + ".", online]
    elif lead == "online":
        sentences = [f"{name}.", online, _capital(facts) + ".", documents]
    else:
        sentences = [f"{name}: {facts}.", documents, online]
    return " ".join(s for s in sentences if s)


def topic_answer(procedure: Procedure, topic: str | None) -> str:
    if topic == "documents":
        sentence = documents_sentence(procedure, asked=True)
    else:
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
