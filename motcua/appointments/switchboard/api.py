"""POST /api/v1/switchboard/webhook: the automated switchboard provider's webhook.

The body is read raw (the signature covers its exact bytes), so the operation declares its request
schema for the documentation only. Error codes (JSON {"code", "message"}): switchboard_disabled,
timestamp_invalid, timestamp_stale, signature_invalid, replayed (403); call_unknown (404);
call_ended, call_busy, out_of_order (409); invalid_payload (422). See docs/switchboard.md.
"""

from __future__ import annotations

from typing import Literal

from ninja import Field, Router, Schema

from motcua.schemas import ErrorOut

from . import services, wire

router = Router(tags=["Tổng đài tự động"])


class SwitchboardIn(Schema):
    call_id: str = Field(..., pattern=r"^[A-Za-z0-9._:-]{1,64}$", description="Mã cuộc gọi của nhà cung cấp.")
    caller: str = Field(..., pattern=r"^\+?\d{3,19}$", description="Số điện thoại người gọi.")
    digits: str = Field("", pattern=r"^[0-9*#]{0,32}$", description="Các phím vừa bấm (event = digits).")
    event: Literal["start", "digits", "timeout", "hangup"]
    seq: int = Field(..., ge=1, le=1_000_000, description="Số thứ tự yêu cầu trong cuộc gọi (1, 2, 3, ...).")


class AnswerOut(Schema):
    call_id: str
    state: str
    actions: list[dict] = Field(
        ...,
        description='Theo thứ tự: {"play": url, "text": lời nhắc}, {"gather": {max_digits, timeout, finish_on_key?}}, '
        '{"transfer": {"number": số máy}}.',
    )
    hangup: bool


@router.post(
    "/switchboard/webhook",
    response={200: AnswerOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SwitchboardIn.model_json_schema()}},
        },
        "parameters": [
            {"in": "header", "name": wire.TIMESTAMP_HEADER, "required": True, "schema": {"type": "string"}},
            {"in": "header", "name": wire.SIGNATURE_HEADER, "required": True, "schema": {"type": "string"}},
        ],
    },
)
def switchboard_webhook(request):
    """One event of a call; answers what to play and what to collect next."""
    return services.switchboard_receive(
        raw=request.body,
        timestamp=request.headers.get(wire.TIMESTAMP_HEADER, ""),
        signature=request.headers.get(wire.SIGNATURE_HEADER, ""),
    )
