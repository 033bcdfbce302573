"""Processing actions over JSON: POST /api/v1/dossiers/{code}/actions/{action}.

Thin: find the dossier within the caller's scope (404 outside it), call `dossier_act`, shape the
answer. The body is a JSON object of the action's parameters (e.g. {"reason": "..."} or
{"items": ["..."]}); see `motcua.dossiers.services.workflow` for each action's parameters.
"""

import datetime
from typing import Any

from ninja import Body, Router, Schema
from ninja.security import django_auth

from motcua.dossiers.services.workflow import RESERVED_PARAMS, allowed_actions, dossier_act, dossier_get_for_action
from motcua.schemas import ErrorOut

router = Router(tags=["Hồ sơ – xử lý"], auth=django_auth)


class ActionOut(Schema):
    code: str
    status: str
    status_label: str
    allowed_actions: list[str]
    due_at: datetime.datetime | None
    deadline_state: str
    current_agency: str | None


@router.post(
    "/dossiers/{code}/actions/{action}",
    response={
        200: ActionOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        502: ErrorOut,
    },
    summary="Thực hiện một thao tác xử lý hồ sơ",
    description=(
        "Thao tác (receive, refuse_intake, request_supplement, supplement, withdraw, appraise, forward, send_back, "
        "approve, refuse_after_appraisal, request_fees, fees_paid, stop, assign, reassign, transfer, transfer_back, "
        "result_ready, return_result) với tham số trong thân JSON. Trả về trạng thái mới và các thao tác được phép. "
        "409 `action_not_allowed` khi thao tác không được phép ở trạng thái hiện tại (details.allowed liệt kê các "
        "thao tác được phép); 404 khi hồ sơ ngoài phạm vi của người dùng. approve ký số kết quả khi thủ tục yêu cầu: "
        "409 `result_document_missing`, `no_certificate`, `no_seal_certificate`; 502 `signer_failed`. return_result "
        "với kết quả chưa ký: 409 `result_unsigned` trừ khi gửi `unsigned_paper: true` và `unsigned_reason`."
    ),
)
def act(request, code: str, action: str, params: Body[dict[str, Any] | None] = None):
    dossier = dossier_get_for_action(request.auth, code)
    clean = {k: v for k, v in (params or {}).items() if k not in RESERVED_PARAMS}
    dossier = dossier_act(dossier=dossier, actor=request.auth, action=action, **clean)
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "allowed_actions": allowed_actions(dossier=dossier, actor=request.auth),
        "due_at": dossier.due_at,
        "deadline_state": dossier.deadline_state,
        "current_agency": dossier.current_agency.code if dossier.current_agency else None,
    }
