"""Officer pages: the agency's queue with filters, a report with its private data and moderation
flags, the handling actions (each one core service call) and the full history."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.core import scope
from motcua.core.decorators import officer_required
from motcua.core.errors import DomainError
from motcua.core.models import Agency, Role
from motcua.fieldreports.models import ReportMedia, ReportOutcome, ReportStatus
from motcua.fieldreports.moderation import mask_personal_data
from motcua.fieldreports.selectors import reports as selectors
from motcua.fieldreports.services.handling import ACTION_LABELS, allowed_actions, report_act
from motcua.fieldreports.services.handling_steps import REFUSAL_REASONS

from .common import categories_flat, communes, get_or_404

TABS = {
    "moi": (gettext_lazy("Mới gửi"), {"status": ReportStatus.SUBMITTED}),
    "dang-xu-ly": (gettext_lazy("Đang xử lý"), {"status": ReportStatus.ACCEPTED}),
    "qua-han": (gettext_lazy("Quá hạn"), {"status": "open", "overdue": True}),
    "da-tra-loi": (gettext_lazy("Đã trả lời"), {"status": ReportStatus.ANSWERED}),
    "cho-duyet": (gettext_lazy("Chờ kiểm duyệt"), {"unreviewed": True}),
    "tat-ca": (gettext_lazy("Tất cả"), {}),
}


@officer_required
def queue_view(request):
    tab = request.GET.get("tab", "moi")
    if tab not in TABS:
        tab = "moi"
    unit = request.GET.get("unit", "").strip()
    filters = {
        "category": request.GET.get("category", "").strip()[:40],
        "unit": int(unit) if unit.isdecimal() else None,
        "q": request.GET.get("q", "").strip()[:100],
    }
    reports = selectors.report_list_for(request.user, **TABS[tab][1], **{k: v for k, v in filters.items() if v})
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    base = {k: v for k, v in filters.items() if v}
    context = {
        "tab": tab,
        "tabs": [(key, label, "?" + urlencode({"tab": key, **base})) for key, (label, _f) in TABS.items()],
        "page": page,
        "query": urlencode({"tab": tab, **base}),
        "filters": filters,
        "categories": categories_flat(),
        "communes": communes(),
    }
    return render(request, "fieldreports/officer/queue.html", context)


def _handled_report(request, code: str):
    report = get_or_404(selectors.report_get_for, request.user, code)
    # A citizen-officer's own report is still only theirs unless their agency handles it.
    if (
        report.reporter_id == request.user.pk
        and report.agency_id not in selectors.handler_agency_ids(request.user)
        and report.unit_id not in selectors.supervisor_unit_ids(request.user)
        and not request.user.is_superuser
    ):
        raise Http404
    return report


@officer_required
def detail_view(request, code: str):
    report = _handled_report(request, code)
    media = list(report.media.all())
    handlers = scope.officers_holding(Role.REPORT_HANDLER, agencies=[report.agency_id]).order_by(
        "last_name", "first_name", "username"
    )
    events = list(report.events.select_related("actor").order_by("at", "id"))
    context = {
        "report": report,
        "photos": [m for m in media if m.stage == ReportMedia.Stage.REPORT],
        "after_photos": [m for m in media if m.stage == ReportMedia.Stage.AFTER],
        "events": events,
        "handler": selectors.report_handler(report, events),
        "flags": report.flags or {},
        "masked": report.public_description or mask_personal_data(report.description),
        "agencies": Agency.objects.filter(is_active=True).exclude(pk=report.agency_id).order_by("name"),
        "handlers": handlers,
        "outcomes": ReportOutcome.choices,
        "refusal_reasons": list(REFUSAL_REASONS.items()),
        "can": set(allowed_actions(report=report, actor=request.user)),
    }
    return render(request, "fieldreports/officer/detail.html", context)


def _params(action: str, post, files) -> dict:
    """The form's fields as the core `report_act` parameters for this action."""
    text = post.get("text", "").strip()
    match action:
        case "refuse":
            return {"reason": post.get("reason", ""), "text": text, "duplicate_of": post.get("other", "").strip()}
        case "transfer":
            return {"agency": post.get("agency", ""), "reason": post.get("reason", "").strip()}
        case "assign":
            return {"assignee": post.get("assignee", "")}
        case "answer":
            return {"text": text, "outcome": post.get("outcome", ""), "media": files.getlist("photos")}
        case "merge":
            return {"into": post.get("other", "").strip()}
        case "link":
            return {"other": post.get("other", "").strip(), "kind": post.get("kind", "related")}
        case "review":
            return {"public_description": post.get("public_description", "").strip()}
        case "hide" | "unhide":
            return {"reason": post.get("reason", "").strip()}
    return {}


OFFICER_ACTIONS = ("accept", "refuse", "transfer", "assign", "answer", "merge", "link", "review", "hide", "unhide")


@require_POST
@officer_required
def action_view(request, code: str, action: str):
    report = _handled_report(request, code)
    if action not in OFFICER_ACTIONS:
        raise Http404
    try:
        report_act(report=report, actor=request.user, action=action, **_params(action, request.POST, request.FILES))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("fieldreports:officer_detail", code=report.code)


@officer_required
def media_view(request, code: str, media_id: int):
    """An uploaded file as sent (officers only): it may still carry location metadata."""
    report = _handled_report(request, code)
    item = ReportMedia.objects.filter(report=report, pk=media_id).first()
    if item is None or not item.original:
        raise Http404
    try:
        handle = item.original.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, content_type=item.content_type or "application/octet-stream")


urlpatterns = [
    path("xu-ly/", queue_view, name="queue"),
    path("xu-ly/<str:code>/", detail_view, name="officer_detail"),
    path("xu-ly/<str:code>/tep/<int:media_id>/", media_view, name="officer_media"),
    path("xu-ly/<str:code>/<slug:action>/", action_view, name="officer_action"),
]
