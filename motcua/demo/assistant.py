"""Demo FAQ entries and a few logged questions, so the assistant's pages show something. Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.assistant.models import Exchange, FaqEntry
from motcua.assistant.services import ask
from motcua.catalog.models import Procedure

# (question, answer, procedure key or "", keywords). Facts from the Law on Civil Status 2014
# (Articles 11 and 15) and from this portal's own pages.
FAQ = (
    (
        "Khai sinh cho con có mất tiền không?",
        "Đăng ký khai sinh đúng hạn (trong 60 ngày kể từ ngày sinh) được miễn lệ phí (Luật Hộ tịch, Điều 11).",
        "khai-sinh",
        "khai sinh mat tien, khai sinh ton tien, khai sinh co mat phi",
    ),
    (
        "Mất giấy khai sinh bản chính thì làm sao?",
        "Không cần đăng ký lại: xin cấp bản sao trích lục khai sinh tại UBND xã nơi đã đăng ký khai sinh, "
        "hoặc nộp trực tuyến trên cổng này.",
        "trich-luc-ho-tich",
        "mat giay khai sinh, mat khai sinh, lam lai giay khai sinh",
    ),
    (
        "Nộp hồ sơ trực tuyến ở đâu?",
        "Ngay trên cổng này: mở mục Thủ tục, chọn thủ tục rồi bấm “Nộp hồ sơ”; cần đăng nhập trước.",
        "",
        "nop truc tuyen o dau, nop online o dau",
    ),
)
# Questions asked once so that the officers' review page has rows.
QUESTIONS = ("tui mới cưới, giờ làm giấy kết hôn ở đâu", "hôm nay trời có mưa không", "xin chào")


@dataclass
class DemoAssistantResult:
    faq_created: int = 0
    questions: int = 0


def assistant_demo_build() -> DemoAssistantResult:
    result = DemoAssistantResult()
    keys = {p.key: p for p in Procedure.objects.filter(key__in=[row[2] for row in FAQ if row[2]])}
    for question, answer, key, keywords in FAQ:
        _entry, created = FaqEntry.objects.get_or_create(
            question=question, defaults={"answer": answer, "procedure": keys.get(key), "keywords": keywords}
        )
        result.faq_created += created
    if not Exchange.objects.exists():
        for n, question in enumerate(QUESTIONS):
            ask(question, client_ip=f"192.0.2.{n + 1}")
            result.questions += 1
    return result
