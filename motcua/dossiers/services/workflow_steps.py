"""What each processing action does, once `workflow.dossier_act` has locked and checked it.

Split from workflow.py to keep each file readable; only `dossier_act` calls `handle`. A handler
validates its params first (raising DomainError before anything changes), then edits the
locked dossier and its steps in memory; the recipe saves them, writes the event and notifies.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.core import events
from motcua.core.errors import DomainError
from motcua.core.models import Agency, Counter, Role, User

from .. import topics
from ..models import (
    DocumentKind,
    DossierDocument,
    DossierStep,
    ResultDelivery,
    StepKind,
    SupplementRequest,
)
from ..workflows import plan_steps
from . import deadlines
from .workflow_context import (
    _OPEN,
    _PERSONAL_ID,
    ActionContext,
    S,
    St,
    _close_open_steps,
    _complete,
    _finish_step_work,
    _int,
    _items,
    _mine,
    _previous_group,
    _resolve,
    _text,
    agency_roles,
)

# --- handlers ------------------------------------------------------------------------------------


def _one_answer(topic: str, **payload):
    """The answer of the one app that handles `topic` (the payments app for fees)."""
    answers = [a for a in events.publish(topic, **payload) if a is not None]
    if len(answers) != 1:
        raise LookupError(f"{topic}: expected one answering subscriber, got {len(answers)}")
    return answers[0]


def _receive(ctx: ActionContext) -> None:
    d = ctx.dossier
    ctx.note = _text(ctx, "note")
    if not ctx.steps:
        workflow, planned = plan_steps(d.procedure, d.receiving_agency)
        created = DossierStep.objects.bulk_create(
            DossierStep(
                dossier=d,
                order=p.order,
                kind=p.kind,
                name=p.name,
                role=p.role,
                agency=p.agency,
                duration_days=p.duration_days,
            )
            for p in planned
        )
        assert all(s.pk for s in created)  # both databases return primary keys from bulk_create
        ctx.steps[:] = created
        ctx.data["workflow"] = workflow.name
        on_the_spot = workflow.on_the_spot
    else:
        on_the_spot = len({s.order for s in ctx.steps}) == 1
    d.received_at = ctx.now
    d.current_agency_id = d.current_agency_id or d.receiving_agency_id
    ctx.fields |= {"received_at", "current_agency", *deadlines.clock_start(d, at=ctx.now)}
    ctx.touch(*deadlines.schedule_steps(ctx.steps, ctx.now, paper=deadlines.is_paper(d)))
    first = min(s.order for s in ctx.steps)
    group = [s for s in ctx.steps if s.order == first]
    for step in group:
        step.state, step.started_at = St.ACTIVE, ctx.now
        if step.role == Role.RECEPTIONIST and ctx.actor is not None:
            step.assignee = ctx.actor
    ctx.touch(*group)
    if not on_the_spot and all(s.kind == StepKind.RECEIVE for s in group):
        for step in group:
            _complete(ctx, step)
    ctx.data["due_at"] = d.due_at.isoformat()
    ctx.notices.append(("received", {"due_at": d.due_at}))


def _refuse_intake(ctx: ActionContext) -> None:
    ctx.note = _text(ctx, "reason", required=True, label=_("lý do từ chối tiếp nhận"))
    ctx.notices.append(("not_received", {"reason": ctx.note}))


def _request_supplement(ctx: ActionContext) -> None:
    d = ctx.dossier
    items = _items(ctx)
    ctx.note = _text(ctx, "note")
    request = SupplementRequest.objects.create(dossier=d, items=items, note=ctx.note, requested_by=ctx.actor)
    d.supplement_count += 1
    ctx.fields |= {"supplement_count", *deadlines.clock_pause(d, at=ctx.now)}
    # A second request during one dossier is allowed but counts it as late in the national index.
    ctx.data.update({"items": items, "supplement_request": request.pk, "repeat": d.supplement_count > 1})
    ctx.notices.append(("supplement_requested", {"items": items, "note": ctx.note}))


def _supplement(ctx: ActionContext) -> None:
    d = ctx.dossier
    ctx.note = _text(ctx, "note")
    request = d.supplement_requests.filter(completed_at__isnull=True).order_by("-created_at").first()
    doc_ids = ctx.params.get("documents") or []
    if doc_ids:
        if not isinstance(doc_ids, list | tuple):
            doc_ids = [doc_ids]
        found = d.documents.filter(pk__in=[i for i in doc_ids if str(i).isdecimal()]).count()
        if found != len(doc_ids):
            raise DomainError(_("Có giấy tờ bổ sung không thuộc hồ sơ này."), code="documents_invalid")
    if request is not None:
        request.completed_at = ctx.now
        request.save(update_fields=["completed_at", "updated_at"])
    ctx.data.update({"supplement_request": request.pk if request else None, "documents": list(doc_ids)})
    if d.received_at is None:
        # Asked to supplement at intake: it goes back to the desk to be checked and received.
        ctx.target = S.REGISTERED
        d.paused_at = None
        ctx.fields.add("paused_at")
    else:
        # The time limit restarts in full from the moment the file is complete.
        at_counter = ctx.actor is not None and ctx.actor.is_officer
        ctx.fields |= set(deadlines.clock_start(d, at=ctx.now, paper=at_counter))
        ctx.touch(*deadlines.schedule_steps(ctx.steps, ctx.now, paper=at_counter))
        ctx.data["due_at"] = d.due_at.isoformat()
        ctx.target = S.PROCESSING
    ctx.notices.append(("supplement_received", {}))


def _request_fees(ctx: ActionContext) -> None:
    # The amount is the payment request's: assessed from the fee items unless given (the payments
    # app makes the request, subscribed to FEES_REQUESTED).
    raw_amount = ctx.params.get("amount")
    amount = None if raw_amount in (None, "") else _int(ctx, "amount", label=_("Số tiền"))
    if amount is not None and amount <= 0:
        raise DomainError(_("Số tiền phải lớn hơn 0."), code="amount_invalid")
    ctx.note = _text(ctx, "note")
    choices = ctx.params.get("items") if isinstance(ctx.params.get("items"), list) else None
    reason = _text(ctx, "reason")
    request = _one_answer(topics.FEES_REQUESTED, ctx=ctx, items=choices, amount=amount, note=ctx.note, reason=reason)
    amount = request["amount"]
    items = request["items"]
    ctx.fields |= set(deadlines.clock_pause(ctx.dossier, at=ctx.now))
    ctx.data.update({"amount": amount, "items": items, "payment_request": request["reference"]})
    if request["change_reason"]:
        # Why the officer charged something other than the default assessment (also on the request).
        ctx.data["fee_change_reason"] = request["change_reason"]
    ctx.notices.append(("payment_requested", {"amount": amount, "items": items}))


def _fees_paid(ctx: ActionContext) -> None:
    ctx.note = _text(ctx, "note")
    receipt = _text(ctx, "receipt_number", max_length=64)
    if ctx.system:
        ctx.data["payment_request"] = _text(ctx, "payment_request", max_length=16)
        ctx.data["payment_method"] = _text(ctx, "payment_method", max_length=16)
    else:
        # Confirmed by hand (paid outside the system): the open request must not be paid again.
        answers = events.publish(
            topics.FEES_CONFIRMED_OUTSIDE, dossier=ctx.dossier, actor=ctx.actor, receipt_number=receipt
        )
        ctx.data["payment_request"] = next((a for a in answers if a), None)
    fields, paused = deadlines.clock_resume(ctx.dossier, at=ctx.now)
    ctx.fields |= set(fields)
    ctx.data.update(
        {
            "receipt_number": receipt,
            "paused_days": str(paused),
            "due_at": ctx.dossier.due_at.isoformat() if ctx.dossier.due_at else None,
        }
    )
    ctx.notices.append(("payment_received", {}))


def _end(ctx: ActionContext, notice: str, *, reason_label: str, reason_required: bool = True) -> None:
    ctx.note = _text(ctx, "reason", required=reason_required, label=reason_label)
    _close_open_steps(ctx, keep_return=False)
    ctx.dossier.current_assignee_id = None
    ctx.dossier.paused_at = None
    ctx.fields |= {"current_assignee", "paused_at"}
    ctx.notices.append((notice, {"reason": ctx.note}))
    # An ended dossier owes nothing: its live payment request is cancelled (money on it goes to refund).
    reason = _("Hồ sơ đã được rút") if ctx.action == "withdraw" else _("Hồ sơ đã dừng xử lý")
    cancelled = [
        ref
        for refs in events.publish(topics.ENDED, dossier=ctx.dossier, actor=ctx.actor, reason=reason)
        for ref in refs or ()
    ]
    if cancelled:
        ctx.data["payment_requests_cancelled"] = cancelled


def _withdraw(ctx: ActionContext) -> None:
    _end(
        ctx, "withdrawn", reason_label=_("lý do rút hồ sơ (theo đơn của người nộp)"), reason_required=not ctx.applicant
    )


def _stop(ctx: ActionContext) -> None:
    _end(ctx, "stopped", reason_label=_("lý do dừng xử lý"))


def _appraise(ctx: ActionContext) -> None:
    ctx.note = _text(ctx, "note", required=True, label=_("ý kiến thẩm định"))
    step = _mine(ctx, {Role.SPECIALIST}, kinds={StepKind.APPRAISE})[0]
    ctx.data["proposal"] = _text(ctx, "proposal", max_length=64)
    _finish_step_work(ctx, step)


def _forward(ctx: ActionContext) -> None:
    ctx.note = _text(ctx, "note")
    _finish_step_work(ctx, _mine(ctx, {Role.SPECIALIST}, exclude_kinds=(StepKind.APPROVE, StepKind.RETURN))[0])


def _approve(ctx: ActionContext) -> None:
    ctx.note = _text(ctx, "note")
    _finish_step_work(ctx, _mine(ctx, {Role.LEADER}, kinds={StepKind.APPROVE})[0])


def _send_back(ctx: ActionContext) -> None:
    ctx.note = _text(ctx, "reason", required=True, label=_("lý do trả lại"))
    mine = [
        s
        for s in _mine(ctx, {Role.SPECIALIST, Role.LEADER}, exclude_kinds=(StepKind.RETURN,))
        if _previous_group(ctx, s.order)
    ]
    current = mine[0]
    for step in (s for s in ctx.steps if s.order == current.order):
        step.state, step.started_at, step.finished_at = St.PENDING, None, None
        ctx.touch(step)
    previous = _previous_group(ctx, current.order)
    for step in previous:
        step.state, step.started_at, step.finished_at = St.ACTIVE, ctx.now, None
    ctx.touch(*previous)
    ctx.event_step = current
    ctx.data["to_step"] = previous[0].pk
    ctx.dossier.current_assignee_id = previous[0].assignee_id
    ctx.dossier.current_agency_id = previous[0].agency_id
    ctx.fields |= {"current_assignee", "current_agency"}
    ctx.public = False


def _refuse_after_appraisal(ctx: ActionContext) -> None:
    ctx.note = _text(ctx, "reason", required=True, label=_("lý do từ chối giải quyết"))
    _resolve(ctx, refused=True, reason=ctx.note)


def _assign(ctx: ActionContext) -> None:
    reassign = ctx.action == "reassign"
    ctx.note = _text(ctx, "reason", required=reassign, label=_("lý do phân công lại"))
    user_id = _int(ctx, "assignee", label=_("Cán bộ được phân công"))
    active = [s for s in ctx.steps if s.state == St.ACTIVE]
    if ctx.params.get("step"):
        step_id = _int(ctx, "step", label=_("Bước xử lý"))
        active = [s for s in active if s.pk == step_id]
    if reassign:
        active = [s for s in active if s.assignee_id]
    assignee = User.objects.filter(pk=user_id, is_active=True, is_officer=True).first()
    step = None
    if assignee is not None:
        their_roles = agency_roles(assignee, ctx.dossier, ctx.steps)
        step = next((s for s in active if s.role in their_roles.get(s.agency_id, set())), None)
    if step is None:
        raise DomainError(_("Cán bộ được chọn không có vai trò phù hợp với bước đang xử lý."), code="assignee_invalid")
    ctx.data.update({"assignee": assignee.pk, "previous_assignee": step.assignee_id})
    step.assignee = assignee
    ctx.touch(step)
    ctx.event_step = step
    ctx.dossier.current_assignee = assignee
    ctx.fields.add("current_assignee")
    ctx.public = False
    ctx.target = ctx.from_status if ctx.from_status == S.RECEIVED else S.PROCESSING


def _transfer(ctx: ActionContext) -> None:
    d = ctx.dossier
    ctx.note = _text(ctx, "reason", required=True, label=_("lý do chuyển"))
    raw = ctx.params.get("agency")
    agencies = Agency.objects.filter(is_active=True)
    target = (agencies.filter(pk=int(raw)) if str(raw).isdecimal() else agencies.filter(code=str(raw or ""))).first()
    if target is None:
        raise DomainError(_("Cần chọn cơ quan nhận hồ sơ chuyển đến."), code="agency_invalid")
    if target.pk == d.current_agency_id:
        raise DomainError(_("Hồ sơ đang ở chính cơ quan này."), code="agency_same")
    ctx.data.update({"from_agency": d.current_agency_id, "to_agency": target.pk})
    d.current_agency, d.current_assignee = target, None
    ctx.fields |= {"current_agency", "current_assignee"}
    ctx.notices.append(("transferred", {"agency_name": target.name}))


def _transfer_back(ctx: ActionContext) -> None:
    d = ctx.dossier
    ctx.note = _text(ctx, "note")
    ctx.data.update({"from_agency": d.current_agency_id, "to_agency": d.receiving_agency_id})
    d.current_agency_id, d.current_assignee_id = d.receiving_agency_id, None
    ctx.fields |= {"current_agency", "current_assignee"}


def _result_ready(ctx: ActionContext) -> None:
    ctx.note = _text(ctx, "note")
    for step in _mine(ctx, {Role.RECEPTIONIST}, exclude_kinds=(StepKind.RETURN,)):
        step.state, step.finished_at = St.DONE, ctx.now
        ctx.touch(step)
        ctx.event_step = step
    _resolve(ctx)


def _agencies_of(d) -> list[int]:
    return [a for a in (d.receiving_agency_id, d.current_agency_id) if a]


def _return_result(ctx: ActionContext) -> None:
    d = ctx.dossier
    mode = _text(ctx, "mode") or d.result_delivery
    if mode not in ResultDelivery.values:
        raise DomainError(_("Hình thức trả kết quả không hợp lệ."), code="mode_invalid")
    ctx.note = _text(ctx, "note")
    if mode == ResultDelivery.DESK:
        collector = _text(ctx, "collector_personal_id", required=True, label=_("số định danh của người nhận kết quả"))
        if not _PERSONAL_ID.match(collector):
            raise DomainError(_("Số định danh cá nhân phải gồm 12 chữ số."), code="collector_personal_id_invalid")
        ctx.data["collector_personal_id"] = collector
        if collector != d.applicant_personal_id:
            authorisation = _text(ctx, "authorisation", label=_("giấy ủy quyền"))
            name = _text(ctx, "collector_name", label=_("họ tên người nhận"))
            if not authorisation or not name:
                raise DomainError(
                    _("Người nhận không phải người nộp hồ sơ: cần ghi họ tên người nhận và giấy ủy quyền hợp lệ."),
                    code="authorisation_required",
                )
            ctx.data.update({"authorisation": authorisation, "collector_name": name})
    elif mode == ResultDelivery.POST:
        d.post_tracking_number = _text(
            ctx, "tracking_number", required=True, label=_("số vận đơn bưu chính"), max_length=64
        )
        ctx.fields.add("post_tracking_number")
        ctx.data["tracking_number"] = d.post_tracking_number
    else:
        results = DossierDocument.objects.filter(dossier=d, kind=DocumentKind.RESULT)
        if ctx.params.get("result_document"):
            results = results.filter(pk=_int(ctx, "result_document", label=_("Tệp kết quả")))
        document = results.order_by("-id").first()
        if document is None:
            raise DomainError(_("Chưa có tệp kết quả điện tử để trả cho người nộp."), code="result_document_missing")
        ctx.data["result_document"] = document.pk
    if ctx.params.get("counter"):
        # The desk counter that handed the result back: satisfaction is counted per counter.
        counter_id = _int(ctx, "counter", label=_("Quầy"))
        counters = Counter.objects.filter(pk=counter_id, office__agency_id__in=_agencies_of(d))
        if not counters.exists():
            raise DomainError(_("Quầy không thuộc cơ quan giải quyết hồ sơ này."), code="counter_invalid")
        ctx.data["counter"] = counter_id
    d.result_delivery, d.returned_at = mode, ctx.now
    ctx.fields |= {"result_delivery", "returned_at"}
    ctx.data["mode"] = mode
    for step in ctx.steps:
        if step.state in _OPEN:
            step.started_at = step.started_at or ctx.now
            step.state, step.finished_at = St.DONE, ctx.now
            ctx.touch(step)
            ctx.event_step = step
    d.current_assignee_id = None
    ctx.fields.add("current_assignee")
    # The satisfaction rating invitation (the ratings app); its link goes into the "returned" notice.
    link = next((a for a in events.publish(topics.RESULT_RETURNED, dossier=d) if a), "")
    ctx.notices.append(("returned", {"mode": mode, "duong_dan_danh_gia": link}))


_HANDLERS = {
    "receive": _receive,
    "refuse_intake": _refuse_intake,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "request_fees": _request_fees,
    "fees_paid": _fees_paid,
    "withdraw": _withdraw,
    "stop": _stop,
    "appraise": _appraise,
    "forward": _forward,
    "approve": _approve,
    "send_back": _send_back,
    "refuse_after_appraisal": _refuse_after_appraisal,
    "assign": _assign,
    "reassign": _assign,
    "transfer": _transfer,
    "transfer_back": _transfer_back,
    "result_ready": _result_ready,
    "return_result": _return_result,
}


def handle(ctx: ActionContext) -> None:
    _HANDLERS[ctx.action](ctx)
