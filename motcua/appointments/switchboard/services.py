"""The one writer of SwitchboardCall rows: each provider event in one transaction.

`switchboard_receive` checks the signature (outside the transaction: the replay mark must stay),
then locks the call's row, runs one step of the state machine and saves. A booking made at the
confirm step is part of the same transaction, with its SMS in the outbox: an error rolls all back.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound

from ..models import SwitchboardCall, SwitchboardState
from . import machine, wire


def _expires(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(seconds=settings.SWITCHBOARD_CALL_TTL_SECONDS)


def _unknown() -> NotFound:
    return NotFound(_("Không có cuộc gọi nào với mã này, hoặc cuộc gọi đã hết hạn."), code="call_unknown")


def switchboard_event(request: wire.Request, *, now: datetime.datetime | None = None) -> dict:
    """Apply one (already verified) event; the answer for the provider."""
    now = now or timezone.now()
    with transaction.atomic():
        call = SwitchboardCall.objects.select_for_update().filter(call_id=request.call_id).first()
        live = call is not None and call.expires_at > now
        if request.event == "start":
            if call is None:
                try:
                    with transaction.atomic():
                        call = SwitchboardCall.objects.create(
                            call_id=request.call_id,
                            caller=request.caller,
                            started_at=now,
                            updated_at=now,
                            expires_at=_expires(now),
                        )
                except IntegrityError:  # the same call started twice at once: the first one won
                    raise DomainError(_("Cuộc gọi này đang được xử lý."), code="call_busy", status=409)
            elif live and call.state != SwitchboardState.ENDED and call.caller != request.caller:
                raise DomainError(_("Cuộc gọi này đang được xử lý."), code="call_busy", status=409)
            elif live and request.seq == call.last_seq:
                return call.last_answer
            elif not live or call.state == SwitchboardState.ENDED:
                # A call id the provider reuses after the old call is over starts afresh.
                call.caller, call.started_at, call.ended_at, call.booking_code = request.caller, now, None, ""
            answer = machine.start(call)
        else:
            if not live or call.caller != request.caller:
                raise _unknown()
            if request.seq == call.last_seq:  # the provider retried: same answer, nothing applied twice
                return call.last_answer
            if request.seq < call.last_seq:
                raise DomainError(
                    _("Yêu cầu đến sau một yêu cầu mới hơn của cùng cuộc gọi."), code="out_of_order", status=409
                )
            if call.state == SwitchboardState.ENDED and request.event != "hangup":
                # The provider's own "hangup" after a call we ended is expected and answered below.
                raise DomainError(_("Cuộc gọi này đã kết thúc."), code="call_ended", status=409)
            answer = machine.step(call, request.event, request.digits, now)
        call.updated_at = now
        call.expires_at = _expires(now)
        call.last_seq = request.seq
        call.last_answer = answer.as_dict(call)
        call.save()
        return call.last_answer


def switchboard_receive(*, raw: bytes, timestamp: str, signature: str) -> dict:
    """Verify, parse and apply one webhook request from the provider."""
    wire.verify(raw=raw, timestamp=timestamp, signature=signature)
    return switchboard_event(wire.parse(raw))


def calls_purge(*, now: datetime.datetime | None = None) -> int:
    """Forget calls that expired (their bookings stay): safe to run any time."""
    deleted, _by_model = SwitchboardCall.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
