"""The dossier state machine as data: which action leads where, who may take it, its label.

Reads (`selectors`) and writes (`services.workflow`) both use it, so it lives beside them rather
than in either. `services.workflow.dossier_act` is the only code that moves a submitted dossier on.

Statuses a step action leads to: the table says PROCESSING for the step actions (appraise,
forward, approve); the recipe moves the dossier to RESOLVED instead when that action completed
the last step before the return (e.g. the leader's approval). `supplement` goes back to
REGISTERED when the dossier was asked to supplement before it was ever received. A draft is not
in the table: its one way out, the submission (draft -> registered), is `services.intake`,
written with the same shared steps (row lock, event row, audit row, notice).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from motcua.core.models import Role
from motcua.core.transitions import StateMachine

from .models import DossierStatus

S = DossierStatus
APPLICANT = "applicant"  # pseudo-role: the dossier's own citizen

_STEP_WORK = {
    "assign": S.PROCESSING,
    "reassign": S.PROCESSING,
    "appraise": S.PROCESSING,
    "forward": S.PROCESSING,
    "send_back": S.PROCESSING,
    "approve": S.PROCESSING,
    "request_supplement": S.SUPPLEMENT_REQUESTED,
    "request_fees": S.PAYMENT_REQUESTED,
    "refuse_after_appraisal": S.RESOLVED,
    "transfer": S.PROCESSING,
    "transfer_back": S.PROCESSING,
    "result_ready": S.RESOLVED,
    "stop": S.STOPPED,
    "withdraw": S.WITHDRAWN,
}

# THE transition table: status -> {action: target status}.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.REGISTERED: {
        "receive": S.RECEIVED,
        "refuse_intake": S.NOT_RECEIVED,
        "request_supplement": S.SUPPLEMENT_REQUESTED,
        "withdraw": S.WITHDRAWN,
    },
    S.RECEIVED: {**_STEP_WORK, "assign": S.RECEIVED, "reassign": S.RECEIVED},
    S.PROCESSING: dict(_STEP_WORK),
    S.SUPPLEMENT_REQUESTED: {"supplement": S.PROCESSING, "withdraw": S.WITHDRAWN, "stop": S.STOPPED},
    S.PAYMENT_REQUESTED: {"fees_paid": S.PROCESSING, "withdraw": S.WITHDRAWN, "stop": S.STOPPED},
    S.RESOLVED: {"return_result": S.RETURNED},
}

# Who may do what. request_supplement is the receptionist's at intake (registered) and the
# specialist's afterwards: see `roles_for`.
ACTION_ROLES: dict[str, set[str]] = {
    "receive": {Role.RECEPTIONIST},
    "refuse_intake": {Role.RECEPTIONIST},
    "request_supplement": {Role.SPECIALIST},
    "return_result": {Role.RECEPTIONIST},
    "result_ready": {Role.RECEPTIONIST},
    "appraise": {Role.SPECIALIST},
    "forward": {Role.SPECIALIST},
    "send_back": {Role.SPECIALIST, Role.LEADER},
    "request_fees": {Role.SPECIALIST},
    "refuse_after_appraisal": {Role.SPECIALIST, Role.LEADER},
    "approve": {Role.LEADER},
    "stop": {Role.LEADER},
    "assign": {Role.LEADER},
    "reassign": {Role.LEADER},
    "transfer": {Role.SPECIALIST, Role.LEADER},
    "transfer_back": {Role.SPECIALIST, Role.LEADER},
    # The citizen supplies and withdraws online; a receptionist records the same at the counter.
    "supplement": {APPLICANT, Role.RECEPTIONIST},
    "withdraw": {APPLICANT, Role.RECEPTIONIST},
    "fees_paid": {Role.CASHIER, Role.RECEPTIONIST},
}

ALL_ACTIONS = tuple(ACTION_ROLES)

# Actions the system may take with no officer behind them: money confirmed by the bank or the
# payment gateway resumes the dossier (payments.services.dossier_link). Nothing else.
SYSTEM_ACTIONS = frozenset({"fees_paid"})

ACTION_LABELS = {
    "receive": gettext_lazy("Tiếp nhận hồ sơ"),
    "refuse_intake": gettext_lazy("Từ chối tiếp nhận"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    "supplement": gettext_lazy("Ghi nhận đã bổ sung"),
    "withdraw": gettext_lazy("Rút hồ sơ"),
    "appraise": gettext_lazy("Hoàn thành thẩm định"),
    "forward": gettext_lazy("Chuyển bước tiếp theo"),
    "send_back": gettext_lazy("Trả lại bước trước"),
    "approve": gettext_lazy("Phê duyệt, ký"),
    "refuse_after_appraisal": gettext_lazy("Từ chối giải quyết"),
    "request_fees": gettext_lazy("Yêu cầu nộp phí, lệ phí"),
    "fees_paid": gettext_lazy("Xác nhận đã nộp phí"),
    "stop": gettext_lazy("Dừng xử lý"),
    "assign": gettext_lazy("Phân công xử lý"),
    "reassign": gettext_lazy("Phân công lại"),
    "transfer": gettext_lazy("Chuyển cơ quan khác"),
    "transfer_back": gettext_lazy("Nhận lại từ cơ quan khác"),
    "result_ready": gettext_lazy("Đã có kết quả"),
    "return_result": gettext_lazy("Trả kết quả"),
}

MACHINE = StateMachine(
    name="dossier",
    transitions=TRANSITIONS,
    roles=ACTION_ROLES,
    labels=ACTION_LABELS,
    noun=gettext_lazy("hồ sơ"),
)


def roles_for(action: str, status: str) -> set[str]:
    """The roles that may take `action` from `status` (request_supplement changes hands at intake)."""
    if action == "request_supplement" and status == S.REGISTERED:
        return {Role.RECEPTIONIST}
    return set(MACHINE.roles_for(action))
