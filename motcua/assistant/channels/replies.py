"""The texts the channels send: SMS replies fitted to one part, Zalo replies with their links.

Vietnamese through gettext like every user text; SMS replies are then unaccented (`sms.plain`)
and the richest version that fits one 160-character part is chosen (`sms.first_fitting`).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.selectors.lookup import PublicDossier, lookup_url

from ..services import compose
from . import sms

ZALO_TEXT_LIMIT = 2000  # characters Zalo takes in one consultation message


def absolute(url: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{url}" if url.startswith("/") else url


def lookup_page() -> str:
    return lookup_url("").split("?", 1)[0]


def sms_help() -> str:
    return sms.first_fitting(
        _("Soạn HS <mã hồ sơ> để xem tình trạng hồ sơ, TT <từ khóa> để tìm thủ tục. Ví dụ: TT khai sinh")
    )


def sms_hs_usage() -> str:
    return sms.first_fitting(
        _("Soạn HS <mã hồ sơ>, ví dụ: HS 000.00.20.H12-260315-0007 (mã in trên giấy tiếp nhận)."),
        _("Soạn HS <mã hồ sơ> (mã in trên giấy tiếp nhận)."),
    )


def sms_tt_usage() -> str:
    return sms.first_fitting(_("Soạn TT <từ khóa>, ví dụ: TT khai sinh, TT kết hôn, TT căn cước."))


def sms_throttled(minutes: int) -> str:
    return sms.first_fitting(
        _("Bạn đã gửi quá nhiều tin nhắn. Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": minutes}
    )


def sms_status(found: PublicDossier) -> str:
    """One part with the status; the step, the date and the link only while they fit."""
    head = _("Hồ sơ %(code)s: %(status)s.") % {"code": found.code, "status": found.status_label}
    step = _(" Bước: %(step)s.") % {"step": found.current_step} if found.current_step else ""
    due = ""
    if found.expected_at:
        day = timezone.localtime(found.expected_at).strftime("%d/%m/%Y")
        due = (_(" Hẹn trả mới: %(day)s.") if found.apology else _(" Hẹn trả: %(day)s.")) % {"day": day}
    link = f" {lookup_url(found.code)}"
    short_step = _(" Bước: %(step)s.") % {"step": sms.shorten(found.current_step or "", 40)} if step else ""
    return sms.first_fitting(
        head + step + due + link,
        head + short_step + due + link,
        head + short_step + due,
        head + due,
        head,
    )


def sms_status_elsewhere(code: str) -> str:
    """Not this phone's dossier, or no such dossier: the same words either way."""
    url = lookup_page()
    return sms.first_fitting(
        _("Hồ sơ %(code)s: chỉ trả lời tin từ số của người nộp. Tra cứu tại %(url)s với 4 số cuối điện thoại.")
        % {"code": code, "url": url},
        _("Chỉ trả lời tin từ số của người nộp hồ sơ. Tra cứu tại %(url)s") % {"url": url},
    )


def sms_procedure(procedure) -> str:
    """The procedure's name, its facts in the assistant's own sentences (where, how long, how much:
    catalog facts only) while they fit one part, and always its link."""
    url = absolute(procedure.get_absolute_url())
    name = procedure.name.rstrip(".") + "."
    place, time, fee = (
        compose.place_sentence(procedure),
        compose.time_sentence(procedure),
        compose.fee_sentence(procedure),
    )
    return sms.first_fitting(
        *(
            " ".join(p for p in (name, *facts, url) if p)
            for facts in ((place, time, fee), (time, fee), (fee,), (time,))
        ),
        f"{name} {url}",
        f"{sms.shorten(sms.plain(name), sms.ONE_PART - len(url) - 1)} {url}",
    )


def sms_no_procedure(keyword: str) -> str:
    return sms.first_fitting(
        _("Chưa tìm thấy thủ tục cho “%(keyword)s”. Thử từ khóa khác, ví dụ: TT khai sinh. Danh mục: %(url)s")
        % {"keyword": sms.shorten(keyword, 30), "url": absolute("/thu-tuc/")},
        _("Chưa tìm thấy thủ tục. Thử từ khóa khác, ví dụ: TT khai sinh."),
    )


def zalo_reply(answer: str, procedures: list[dict]) -> str:
    """The assistant's answer, then the links of the procedures it offers that the answer does not show."""
    lines = [answer.strip()]
    for item in procedures[:3]:
        url = absolute(str(item.get("url") or ""))
        if url and url not in answer:
            lines.append(f"• {item.get('name') or ''}: {url}".strip())
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= ZALO_TEXT_LIMIT else sms.shorten(text, ZALO_TEXT_LIMIT)


def zalo_welcome() -> str:
    return _(
        "Xin chào! Đây là trợ lý hỏi đáp thủ tục hành chính. Bạn có thể hỏi, ví dụ: “làm giấy khai sinh ở đâu”, "
        "hoặc gửi mã hồ sơ để xem tình trạng."
    )


def zalo_throttled(minutes: int) -> str:
    return _("Bạn đã gửi quá nhiều tin nhắn. Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": minutes}
