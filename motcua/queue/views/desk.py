"""The counter desk page of a one-stop officer: call next, call again, absent, transfer, start and
finish serving; after finishing, the rating tablet and the dossier intake for this citizen."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.decorators import officer_required
from motcua.core.models import Counter
from motcua.core.shortcuts import found_or_404, run_and_tell

from .. import services
from ..models import ServiceGroup
from ..selectors import pages


def intake_url(ticket) -> str:
    """The desk intake page (dossiers) with this citizen found already: their record when the ticket
    has one (a booking), else a search by the phone number they gave."""
    base = reverse("dossiers:desk_intake")
    if ticket.person_id:
        query = {"person": ticket.person_id}
        if ticket.person.personal_id:
            query["cccd"] = ticket.person.personal_id
        return f"{base}?{urlencode(query)}"
    if ticket.phone:
        return f"{base}?{urlencode({'q': ticket.phone, 'phone': ticket.phone})}"
    return base


def _transfer(request, ticket):
    target = request.POST.get("target", "")
    kind, _sep, pk = target.partition(":")
    group = counter = None
    if kind == "group" and pk.isdecimal():
        group = ServiceGroup.objects.filter(pk=pk).first()
    elif kind == "counter" and pk.isdecimal():
        counter = Counter.objects.filter(pk=pk).first()
    return services.transfer(ticket, request.user, group=group, counter=counter)


def _priority_from(request):
    code = request.POST.get("priority", "")[:40]
    return pages.priority_by_code(code)


def _issue(request, state):
    def step():
        group = pages.kiosk_group(state.counter.office, request.POST.get("group", "")[:40])
        return services.desk_issue(
            counter=state.counter,
            officer=request.user,
            group=group,
            priority=_priority_from(request),
            phone=request.POST.get("phone", "")[:40],
        )

    run_and_tell(request, step, lambda t: _("Đã cấp số %(code)s.") % {"code": t.code})


def _priority(request):
    ticket_id = request.POST.get("ticket", "")[:12]
    if not ticket_id.isdecimal():
        raise Http404
    ticket = found_or_404(pages.office_ticket_for_desk, request.user, ticket_id)
    run_and_tell(
        request,
        lambda: services.set_priority(ticket, request.user, _priority_from(request)),
        _("Đã cập nhật đối tượng ưu tiên của số %(code)s.") % {"code": ticket.code},
    )


ACTIONS = {
    "recall": (services.recall, _("Đã gọi lại số %(code)s.")),
    "start": (services.start_serving, _("Bắt đầu phục vụ số %(code)s.")),
    "finish": (services.finish_serving, _("Đã hoàn thành số %(code)s.")),
    "absent": (services.mark_absent, _("Đã ghi nhận số %(code)s vắng mặt.")),
    "transfer": (_transfer, _("Đã chuyển số %(code)s.")),
}


@officer_required
def desk_index_view(request):
    """The counters this officer may call numbers at, with their office's kiosk."""
    counters = list(pages.desk_counter_list(request.user))
    return render(request, "queue/desk_index.html", {"counters": counters})


@officer_required
@require_http_methods(["GET", "POST"])
def desk_view(request, counter_id: int):
    state = found_or_404(pages.desk_state, request.user, counter_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        here = reverse("queue:desk", args=[counter_id])
        if action == "call_next":
            ticket = run_and_tell(
                request,
                lambda: services.call_next(counter=state.counter, officer=request.user),
                lambda t: (_("Mời số %(code)s.") % {"code": t.code}) if t else _("Không còn ai đang chờ."),
            )
            return redirect(here)
        if action == "issue":
            _issue(request, state)
            return redirect(here)
        if action == "priority":
            _priority(request)
            return redirect(here)
        if action not in ACTIONS:
            raise Http404
        ticket_id = request.POST.get("ticket", "")[:12]
        if not ticket_id.isdecimal():
            raise Http404
        ticket = found_or_404(pages.ticket_for_desk, request.user, ticket_id)
        act, message = ACTIONS[action]
        if action in ("recall", "start", "finish", "absent"):
            run_and_tell(
                request, lambda: act(ticket, request.user), message % {"code": ticket.code}, missing_is_404=True
            )
        else:
            run_and_tell(request, lambda: act(request, ticket), message % {"code": ticket.code}, missing_is_404=True)
        return redirect(here)
    last = state.last_done
    return render(
        request,
        "queue/desk.html",
        {
            "state": state,
            "counter": state.counter,
            "current": state.current,
            "last_done": last,
            "intake_url": intake_url(last) if last else "",
            "rating_url": reverse("ratings:desk", args=[state.counter.pk]),
        },
    )
