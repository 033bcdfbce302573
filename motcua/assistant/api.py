"""The assistant's API: one question in, one answer out (the contract in docs/assistant.md).

Error codes (JSON {"code", "message"}): message_empty, message_too_long, conversation_invalid,
validation_error (422); too_many_questions (429), and the public lookup's too_many_attempts (429)
when a status question hits the lookup's limit.
"""

from __future__ import annotations

from ninja import Field, Router, Schema

from motcua.appointments.views.public import remember as remember_booking
from motcua.core.net import client_address
from motcua.schemas import ErrorOut

from . import services

router = Router(tags=["Trợ lý hỏi đáp"])


class AskIn(Schema):
    message: str = Field(..., description="Câu hỏi, tối đa 1.000 ký tự.")
    conversation: str | None = Field(None, description="Mã cuộc hội thoại trả về ở câu trước (để hỏi tiếp).")


class ProcedureRef(Schema):
    code: str
    name: str
    url: str
    start_url: str = Field(..., description="Trang nộp hồ sơ trực tuyến cho thủ tục.")


class Choice(Schema):
    key: str = Field(..., description="Số để trả lời (gửi lại làm câu hỏi tiếp theo).")
    label: str


class AskOut(Schema):
    intent: str = Field(..., description="procedure | status | out_of_scope (a booking by chat answers procedure, with choices)")
    answer: str
    procedures: list[ProcedureRef] = Field(..., description="Thủ tục liên quan, phù hợp nhất trước; rỗng nếu không có.")
    conversation: str
    confidence: float
    needs: str | None = Field(None, description="Thông tin cần hỏi thêm, ví dụ phone_last4 (4 số cuối điện thoại).")
    source: str = Field(..., description="faq | catalog | status | oos | booking")
    choices: list[Choice] = Field([], description="Lựa chọn đánh số khi đặt lịch hẹn qua trợ lý (hiện thành nút).")


@router.post(
    "/assistant/ask",
    response={200: AskOut, 422: ErrorOut, 429: ErrorOut},
    summary="Hỏi trợ lý về thủ tục hoặc tình trạng hồ sơ",
    url_name="assistant_ask",
)
def ask(request, payload: AskIn):
    reply = services.ask(
        payload.message,
        conversation=payload.conversation,
        channel="api",
        client_ip=client_address(request),
        user=request.user,
        request=request,
    )
    if reply.booking_code and hasattr(request, "session"):
        remember_booking(request, reply.booking_code)
    return reply.__dict__
