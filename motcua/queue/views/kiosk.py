"""The kiosk (a cheap tablet in kiosk mode at the office door, no login) and its printed slip.

Plain HTML forms: choose a service group, then whether a priority group applies (and a phone
number for the "your turn is near" SMS, optional), get a number. The slip page prints itself on the
kiosk's thermal printer (58 or 80 mm paper, print CSS) and goes back to the start.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError
from motcua.core.net import client_address
from motcua.core.shortcuts import found_or_404

from .. import selectors, services
from ..qr import follow_qr_svg, follow_url
from ..selectors import pages

SLIP_WIDTHS = (58, 80)


def _slip_width(request) -> int:
    asked = request.GET.get("giay", "")
    default = int(getattr(settings, "QUEUE_SLIP_WIDTH_MM", 80))
    return int(asked) if asked.isdecimal() and int(asked) in SLIP_WIDTHS else default


@require_http_methods(["GET", "POST"])
def kiosk_view(request, office_id: int):
    office = found_or_404(pages.kiosk_office, office_id)
    groups = list(pages.kiosk_groups(office))
    context = {"office": office, "groups": groups, "width": _slip_width(request)}
    code = request.POST.get("group") if request.method == "POST" else request.GET.get("nhom")
    if not code:
        return render(request, "queue/kiosk.html", context)
    group = found_or_404(pages.kiosk_group, office, code[:40])
    context.update({"group": group, "priorities": list(pages.priorities_active())})
    if request.method == "POST":
        try:
            priority = pages.priority_by_code(request.POST.get("priority", "")[:40])
            ticket = services.kiosk_issue(
                group=group, priority=priority, phone=request.POST.get("phone", "")[:40], client=client_address(request)
            )
        except DomainError as exc:
            context.update({"error": exc.message, "phone": request.POST.get("phone", "")[:40]})
            return render(request, "queue/kiosk.html", context, status=exc.status if exc.status != 404 else 422)
        slip = reverse("queue:slip", args=[office.pk, ticket.follow_token])
        return redirect(f"{slip}?giay={context['width']}")
    return render(request, "queue/kiosk.html", context)


def slip_view(request, office_id: int, token: str):
    ticket = found_or_404(pages.ticket_for_follow, token)
    if ticket.office_id != office_id:
        raise Http404
    standing = selectors.standing(ticket)
    return render(
        request,
        "queue/slip.html",
        {
            "ticket": ticket,
            "standing": standing,
            "qr_svg": follow_qr_svg(ticket.follow_token),
            "follow_url": follow_url(ticket.follow_token),
            "width": _slip_width(request),
            "kiosk_url": reverse("queue:kiosk", args=[office_id]) + f"?giay={_slip_width(request)}",
        },
    )
