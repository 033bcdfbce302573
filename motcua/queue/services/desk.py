"""Counter desk actions on tickets, by the one transition recipe (core.transitions).

Every call and recall writes a TicketCall row (the display board reads them in id order).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Counter, Role
from motcua.core.transitions import StateMachine, audit_record, row_lock

from ..models import ServiceGroup, Ticket, TicketCall, TicketCallKind, TicketChannel, TicketStatus
from ..selectors.access import desk_counters, desk_offices
from ..selectors.ordering import next_candidates
from .issuing import issue_ticket
from .notices import near_turn_notify

S = TicketStatus
DESK = frozenset({Role.RECEPTIONIST, Role.MANAGER, Role.LEADER})

MACHINE = StateMachine(
    name="queue_ticket",
    noun=gettext_lazy("số thứ tự"),
    transitions={
        S.WAITING: {"call": S.CALLED},
        S.CALLED: {"recall": S.CALLED, "start": S.SERVING, "absent": S.ABSENT, "transfer": S.WAITING},
        S.SERVING: {"finish": S.DONE, "transfer": S.WAITING},
    },
    roles={a: DESK for a in ("call", "recall", "start", "absent", "transfer", "finish")},
    labels={
        "call": gettext_lazy("Gọi số"),
        "recall": gettext_lazy("Gọi lại"),
        "start": gettext_lazy("Bắt đầu phục vụ"),
        "absent": gettext_lazy("Vắng mặt"),
        "transfer": gettext_lazy("Chuyển"),
        "finish": gettext_lazy("Hoàn thành"),
    },
)


def _check_counter(counter: Counter, officer) -> None:
    if not desk_counters(officer).filter(pk=counter.pk).exists():
        raise NotFound(_("Không tìm thấy quầy."), code="queue_counter_not_found")


def _busy_ticket(counter: Counter) -> Ticket | None:
    return (
        Ticket.objects.filter(counter=counter, day=timezone.localdate(), status__in=[S.CALLED, S.SERVING])
        .order_by("-called_at")
        .first()
    )


def _log_call(ticket: Ticket, counter: Counter, officer, kind: str, at) -> TicketCall:
    return TicketCall.objects.create(
        office_id=ticket.office_id, ticket=ticket, counter=counter, officer=officer, at=at, kind=kind
    )


def call_next(*, counter: Counter, officer) -> Ticket | None:
    """Call the next waiting ticket for this counter (see selectors.ordering); None when nobody waits.

    Refused while the counter still has a called or serving ticket: finish it, mark it absent or
    transfer it first. Two counters calling at once never get the same ticket (the claim is a
    conditional update on the WAITING status).
    """
    _check_counter(counter, officer)
    now = timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        Counter.objects.select_for_update().filter(pk=counter.pk).first()
        busy = _busy_ticket(counter)
        if busy is not None:
            raise DomainError(
                _("Quầy đang có số %(code)s. Hãy hoàn thành, báo vắng hoặc chuyển số này trước khi gọi số tiếp.")
                % {"code": busy.code},
                code="queue_counter_busy",
                status=409,
            )
        for _attempt in range(3):
            for candidate in next_candidates(counter, now=now, day=day):
                claimed = Ticket.objects.filter(pk=candidate.pk, status=S.WAITING).update(
                    status=S.CALLED, counter=counter, officer=officer, called_at=now, updated_at=now
                )
                if claimed:
                    ticket = Ticket.objects.get(pk=candidate.pk)
                    _log_call(ticket, counter, officer, TicketCallKind.CALL, now)
                    audit_record(actor=officer, action="queue.call", obj=ticket, data={"counter": counter.pk})
                    near_turn_notify(office_id=ticket.office_id, day=day, now=now)
                    return ticket
            if not next_candidates(counter, now=now, day=day):
                break
    return None


def _act(ticket: Ticket, officer, action: str) -> Ticket:
    """Steps 2–3 of the recipe: lock the row, check access and that `action` is allowed now."""
    locked = row_lock(Ticket, ticket.pk, not_found="queue_ticket_not_found")
    if locked.counter_id is None or not desk_counters(officer).filter(pk=locked.counter_id).exists():
        raise NotFound(_("Không tìm thấy số thứ tự."), code="queue_ticket_not_found")
    reason = MACHINE.permits(locked.status, action, DESK)
    if reason:
        raise MACHINE.refusal(action=action, reason=reason, status_label=locked.get_status_display())
    return locked


def recall(ticket: Ticket, officer) -> Ticket:
    """Call the same ticket again (writes a RECALL row for the board)."""
    now = timezone.now()
    with transaction.atomic():
        ticket = _act(ticket, officer, "recall")
        _log_call(ticket, ticket.counter, officer, TicketCallKind.RECALL, now)
        audit_record(actor=officer, action="queue.recall", obj=ticket)
    return ticket


def start_serving(ticket: Ticket, officer) -> Ticket:
    now = timezone.now()
    with transaction.atomic():
        ticket = _act(ticket, officer, "start")
        ticket.status, ticket.started_at, ticket.officer = S.SERVING, now, officer
        ticket.save(update_fields=["status", "started_at", "officer", "updated_at"])
        audit_record(actor=officer, action="queue.start", obj=ticket)
    return ticket


def finish_serving(ticket: Ticket, officer) -> Ticket:
    now = timezone.now()
    with transaction.atomic():
        ticket = _act(ticket, officer, "finish")
        ticket.status, ticket.finished_at = S.DONE, now
        ticket.save(update_fields=["status", "finished_at", "updated_at"])
        audit_record(actor=officer, action="queue.finish", obj=ticket)
    return ticket


def mark_absent(ticket: Ticket, officer) -> Ticket:
    now = timezone.now()
    with transaction.atomic():
        ticket = _act(ticket, officer, "absent")
        ticket.status, ticket.finished_at = S.ABSENT, now
        ticket.save(update_fields=["status", "finished_at", "updated_at"])
        audit_record(actor=officer, action="queue.absent", obj=ticket)
        near_turn_notify(office_id=ticket.office_id, day=ticket.day, now=now)
    return ticket


def transfer(ticket: Ticket, officer, *, group: ServiceGroup | None = None, counter: Counter | None = None) -> Ticket:
    """Send a called or serving ticket back to the waiting line of another group, or to another
    counter of the same office. Its arrival time is kept, so it does not go to the back."""
    if (group is None) == (counter is None):
        raise DomainError(
            _("Chọn một nhóm dịch vụ hoặc một quầy để chuyển tới."), code="queue_transfer_target", status=422
        )
    with transaction.atomic():
        ticket = _act(ticket, officer, "transfer")
        if group is not None and (group.office_id != ticket.office_id or not group.is_active):
            raise DomainError(
                _("Nhóm dịch vụ không thuộc bộ phận một cửa này."), code="queue_transfer_target", status=422
            )
        if counter is not None and (counter.office_id != ticket.office_id or not counter.is_active):
            raise DomainError(_("Quầy không thuộc bộ phận một cửa này."), code="queue_transfer_target", status=422)
        if counter is not None and counter.pk == ticket.counter_id:
            raise DomainError(_("Số này đang ở chính quầy đó."), code="queue_transfer_target", status=422)
        source = {"group": ticket.group_id, "counter": ticket.counter_id}
        ticket.status = S.WAITING
        ticket.group = group or ticket.group
        ticket.counter = counter
        ticket.called_at = ticket.started_at = None
        ticket.officer = None
        ticket.save(update_fields=["status", "group", "counter", "called_at", "started_at", "officer", "updated_at"])
        audit_record(
            actor=officer,
            action="queue.transfer",
            obj=ticket,
            data={"from": source, "to": {"group": ticket.group_id, "counter": counter.pk if counter else None}},
        )
    return ticket


def desk_issue(*, counter: Counter, officer, group: ServiceGroup, priority=None, phone: str = "") -> Ticket:
    """A number issued by the officer at the counter (channel DESK), e.g. for someone who cannot use
    the kiosk; the officer may set the priority group."""
    _check_counter(counter, officer)
    if group.office_id != counter.office_id:
        raise NotFound(_("Không tìm thấy nhóm dịch vụ."), code="queue_group_not_found")
    return issue_ticket(group=group, channel=TicketChannel.DESK, priority=priority, phone=phone, actor=officer)


def set_priority(ticket: Ticket, officer, priority) -> Ticket:
    """The officer sets (or clears, with None) the priority group of a waiting ticket of their office."""
    with transaction.atomic():
        locked = row_lock(Ticket, ticket.pk, not_found="queue_ticket_not_found")
        if not desk_offices(officer).filter(pk=locked.office_id).exists():
            raise NotFound(_("Không tìm thấy số thứ tự."), code="queue_ticket_not_found")
        if locked.status != S.WAITING:
            raise DomainError(
                _("Chỉ đổi được đối tượng ưu tiên khi số đang chờ."), code="action_not_allowed", status=409
            )
        if priority is not None and not priority.is_active:
            raise DomainError(_("Đối tượng ưu tiên này không còn áp dụng."), code="queue_priority_invalid", status=422)
        before = locked.priority_id
        locked.priority = priority
        locked.save(update_fields=["priority", "updated_at"])
        audit_record(
            actor=officer,
            action="queue.priority",
            obj=locked,
            data={"from": before, "to": priority.pk if priority else None},
        )
    return locked
