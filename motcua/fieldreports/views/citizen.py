"""Citizen pages: file a report (works without JS), nearby open reports, follow, my reports, and
confirm / reopen / rate an answered report. Every write goes through the core services."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Unit
from motcua.core.net import client_address
from motcua.fieldreports.models import ReportCategory, ReportMedia, ReportStatus
from motcua.fieldreports.selectors import reports as selectors
from motcua.fieldreports.selectors.map import public_title
from motcua.fieldreports.services.handling import allowed_actions, report_act, report_rate
from motcua.fieldreports.services.submit import report_submit

from .common import category_groups, communes, get_or_404, map_center, map_settings

# Which form field shows a service error, by its code; the rest go on top of the form.
ERROR_FIELDS = {
    "category_required": "category",
    "category_invalid": "category",
    "description_required": "description",
    "description_too_long": "description",
    "location_outside_area": "location",
    "location_invalid": "location",
    "unit_required": "unit",
    "unit_invalid": "unit",
    "media_too_large": "photos",
    "media_type_invalid": "photos",
    "media_too_many": "photos",
    "phone_invalid": "contact",
    "email_invalid": "contact",
}
TEXT_FIELDS = (
    "title",
    "description",
    "address",
    "lat",
    "lon",
    "unit",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
)


def _form_context(request, values: dict, errors: dict) -> dict:
    return {
        "groups": [
            (root, leaves, any(leaf.code == values.get("category") for leaf in leaves))
            for root, leaves in category_groups()
        ],
        "communes": communes(),
        "values": values,
        "errors": errors,
        "map": map_settings(),
        "center": map_center(),
        "idempotency_key": values.get("idempotency_key") or uuid.uuid4().hex,
    }


def submit_view(request):
    if request.method != "POST":
        values = {"category": request.GET.get("category", "")}
        return render(request, "fieldreports/citizen/submit.html", _form_context(request, values, {}))

    post = request.POST
    values = {name: post.get(name, "").strip() for name in TEXT_FIELDS}
    values.update(
        category=post.get("category", ""),
        urgent=bool(post.get("urgent")),
        anonymous=bool(post.get("anonymous")),
        idempotency_key=post.get("idempotency_key", "")[:64],
    )
    category = ReportCategory.objects.filter(code=values["category"]).first() if values["category"] else None
    unit = Unit.objects.filter(pk=values["unit"]).first() if values["unit"].isdecimal() else None
    try:
        if not values["lat"] or not values["lon"]:
            raise DomainError(_("Vui lòng chọn vị trí trên bản đồ hoặc nhập vĩ độ, kinh độ."), code="location_invalid")
        report = report_submit(
            category=category if category is not None else values["category"],
            description=values["description"],
            lat=values["lat"].replace(",", "."),
            lon=values["lon"].replace(",", "."),
            unit=unit,
            address=values["address"],
            title=values["title"],
            urgent=values["urgent"],
            anonymous=values["anonymous"],
            reporter=request.user if request.user.is_authenticated else None,
            reporter_name=values["reporter_name"],
            reporter_phone=values["reporter_phone"],
            reporter_email=values["reporter_email"],
            media=request.FILES.getlist("photos"),
            channel="web",
            idempotency_key=values["idempotency_key"] or None,
            client_address=client_address(request),
        )
    except DomainError as exc:
        field = ERROR_FIELDS.get(exc.code, "form")
        context = _form_context(request, values, {field: exc.message})
        return render(request, "fieldreports/citizen/submit.html", context, status=429 if exc.status == 429 else 422)
    # The code is not a secret (it is on the public page once published); the page only says "sent".
    request.session["fr_last_code"] = report.code
    return redirect("fieldreports:sent", code=report.code)


def sent_view(request, code: str):
    if request.session.get("fr_last_code") != code:
        raise Http404
    return render(request, "fieldreports/citizen/sent.html", {"code": code})


def nearby_view(request):
    """htmx fragment: open public reports of the same category near the chosen point."""
    category = ReportCategory.objects.filter(code=request.GET.get("category", "")).first()
    try:
        lat = float(request.GET.get("lat", "").replace(",", "."))
        lon = float(request.GET.get("lon", "").replace(",", "."))
    except ValueError:
        category = None
    reports = selectors.reports_nearby(category=category, lat=lat, lon=lon)[:5] if category else []
    for report in reports:
        report.public_title = public_title(report.title)
    return render(request, "fieldreports/citizen/_nearby.html", {"reports": reports})


@require_POST
@login_required
def follow_view(request, code: str):
    try:
        report = selectors.report_get_public(code)
        report_act(report=report, actor=request.user, action="follow")
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        text, ok = exc.message, False
    else:
        text, ok = _("Ông/bà sẽ nhận thông báo về phản ánh %(code)s.") % {"code": report.code}, True
    if request.headers.get("HX-Request"):
        # From the nearby list inside the filing form: answer in place, the form stays as typed.
        return render(request, "fieldreports/citizen/_followed.html", {"text": text, "ok": ok})
    (messages.success if ok else messages.error)(request, text)
    return redirect("fieldreports:detail", code=report.code)


@login_required
def mine_view(request):
    reports = selectors.report_my_list(request.user)
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(request, "fieldreports/citizen/mine.html", {"page": page})


def _my_report(request, code: str):
    report = get_or_404(selectors.report_get_for, request.user, code)
    if report.reporter_id != request.user.pk:
        raise Http404
    return report


@login_required
def my_detail_view(request, code: str):
    report = _my_report(request, code)
    media = list(report.media.all())
    context = {
        "report": report,
        "photos": [m for m in media if m.stage == ReportMedia.Stage.REPORT],
        "after_photos": [m for m in media if m.stage == ReportMedia.Stage.AFTER],
        "events": list(report.events.filter(public=True).order_by("at", "id")),
        "can": set(allowed_actions(report=report, actor=request.user)),
        "can_rate": report.status == ReportStatus.CLOSED,
        "rating": getattr(report, "rating", None),
    }
    return render(request, "fieldreports/citizen/my_detail.html", context)


CITIZEN_ACTIONS = {
    # Confirming may carry the rating in the same form (one tap for the citizen).
    "xac-nhan": (
        "confirm",
        lambda post: {"level": post.get("level", ""), "comment": post.get("comment", "").strip()},
        gettext_lazy("Cảm ơn ông/bà đã xác nhận."),
    ),
    "mo-lai": (
        "reopen",
        lambda post: {"reason": post.get("reason", "").strip()[:1000]},
        gettext_lazy("Phản ánh đã được mở lại."),
    ),
    "danh-gia": (
        None,
        lambda post: {"level": post.get("level", ""), "comment": post.get("comment", "").strip()},
        gettext_lazy("Cảm ơn ông/bà đã đánh giá."),
    ),
}


@require_POST
@login_required
def my_action_view(request, code: str, action: str):
    report = _my_report(request, code)
    entry = CITIZEN_ACTIONS.get(action)
    if entry is None:
        raise Http404
    name, read, done = entry
    try:
        if name is None:
            report_rate(report=report, actor=request.user, **read(request.POST))
        else:
            report_act(report=report, actor=request.user, action=name, **read(request.POST))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("fieldreports:my_detail", code=report.code)


urlpatterns = [
    path("", submit_view, name="submit"),
    path("da-gui/<str:code>/", sent_view, name="sent"),
    path("gan-day/", nearby_view, name="nearby"),
    path("theo-doi/<str:code>/", follow_view, name="follow"),
    path("cua-toi/", mine_view, name="mine"),
    path("cua-toi/<str:code>/", my_detail_view, name="my_detail"),
    path("cua-toi/<str:code>/<slug:action>/", my_action_view, name="my_action"),
]
