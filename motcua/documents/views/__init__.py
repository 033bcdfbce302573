"""Pages of the document office: the incoming and outgoing books, one document, the registers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.decorators import officer_required
from motcua.core.errors import DomainError
from motcua.core.models import Agency, User
from motcua.core.shortcuts import found_or_404, id_param, run_and_tell, year_param

from .. import selectors, services
from ..access import held_roles, visible_agencies
from ..forms import search_filters
from ..models import Confidentiality, DocumentType, IncomingStatus, OutgoingStatus, Urgency
from ..paging import CappedPaginator
from ..registers import register_export
from ..services.incoming import MACHINE as IN_MACHINE
from ..services.outgoing import MACHINE as OUT_MACHINE
from ..services.outgoing import current_step

PAGE_SIZE = 30


def _agencies(user):
    return list(visible_agencies(user).order_by("name"))


def _common(request) -> dict:
    return {
        "types": DocumentType.objects.all(),
        "agencies": _agencies(request.user),
        "confidentialities": Confidentiality.choices,
        "urgencies": Urgency.choices,
        "params": request.GET,
    }


@officer_required
def incoming_list(request):
    filters = search_filters(request.GET)
    page = CappedPaginator(selectors.incoming_search(request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "documents/incoming_list.html",
        {**_common(request), "page": page, "statuses": IncomingStatus.choices, "filters": filters},
    )


@officer_required
def my_work(request):
    rows = selectors.my_assignments(request.user).select_related("doc_type").order_by("handling_due")
    return render(request, "documents/my_work.html", {"rows": rows, "now": timezone.now()})


def _agency_from(request, name: str = "agency"):
    agencies = _agencies(request.user)
    wanted = request.POST.get(name) or (agencies[0].pk if len(agencies) == 1 else None)
    return next((a for a in agencies if str(a.pk) == str(wanted)), None)


@officer_required
@require_http_methods(["GET", "POST"])
def incoming_new(request):
    context = _common(request)
    if request.method == "POST":
        agency = _agency_from(request)
        try:
            if agency is None:
                raise DomainError(_("Chưa chọn cơ quan nhận."), code="agency_required")
            document = services.register_incoming(
                agency=agency,
                actor=request.user,
                sender_name=request.POST.get("sender_name", ""),
                doc_number=request.POST.get("doc_number", ""),
                doc_type=request.POST.get("doc_type", ""),
                summary=request.POST.get("summary", ""),
                confidentiality=request.POST.get("confidentiality", Confidentiality.NORMAL),
                urgency=request.POST.get("urgency", Urgency.NORMAL),
                pages=request.POST.get("pages") or None,
                is_electronic=bool(request.POST.get("is_electronic")),
                file=request.FILES.get("file"),
            )
        except (DomainError, ValueError) as exc:
            context["error"] = getattr(exc, "message", _("Dữ liệu không hợp lệ."))
            context["values"] = request.POST
            return render(request, "documents/incoming_new.html", context, status=422)
        return redirect("documents:incoming_detail", document.pk)
    return render(request, "documents/incoming_new.html", context)


@officer_required
def incoming_detail(request, pk: int):
    document = found_or_404(selectors.incoming_get_for, request.user, pk)
    held = held_roles(request.user, document.agency, document)
    officers = User.objects.filter(is_officer=True, is_active=True, roles__agency=document.agency).distinct()
    return render(
        request,
        "documents/incoming_detail.html",
        {
            "document": document,
            "allowed": IN_MACHINE.allowed(document.status, held),
            "assignments": document.assignments.select_related("user", "agency"),
            "events": document.events.select_related("actor"),
            "officers": officers,
            "replies": selectors.outgoing_visible_to(request.user).filter(agency=document.agency, status="issued")[:50],
            "dossiers": selectors.dossiers_linked_to(request.user, document),
            "may_link": bool(held & services.LINK_ROLES),
        },
    )


@officer_required
@require_POST
def incoming_act(request, pk: int, action: str):
    document = found_or_404(selectors.incoming_get_for, request.user, pk, audit=False)
    post = request.POST

    def officer(pk_value):
        return User.objects.filter(pk=pk_value, is_officer=True).first() if pk_value else None

    steps = {
        "present": lambda: services.incoming_present(document=document, actor=request.user),
        "assign": lambda: services.incoming_assign(
            document=document,
            actor=request.user,
            lead=officer(post.get("lead")),
            supporters=[u for u in (officer(v) for v in post.getlist("supporters")) if u],
            instruction=post.get("instruction", ""),
            days=post.get("days") or None,
        ),
        "progress": lambda: services.incoming_progress(
            document=document, actor=request.user, note=post.get("note", "")
        ),
        "link-dossier": lambda: services.incoming_link_dossier(
            document=document, actor=request.user, code=post.get("code", "")[:60]
        ),
        "unlink-dossier": lambda: services.incoming_unlink_dossier(
            document=document, actor=request.user, code=post.get("code", "")[:60]
        ),
        "close": lambda: services.incoming_close(
            document=document,
            actor=request.user,
            note=post.get("note", ""),
            reply=selectors.outgoing_visible_to(request.user).filter(pk=post.get("reply") or 0).first(),
        ),
    }
    if action in steps:
        run_and_tell(request, steps[action], _("Đã cập nhật văn bản."))
    else:
        messages.error(request, _("Thao tác không tồn tại."))
    return redirect("documents:incoming_detail", pk)


@officer_required
def outgoing_list(request):
    filters = search_filters(request.GET, incoming=False)
    page = CappedPaginator(selectors.outgoing_search(request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "documents/outgoing_list.html",
        {**_common(request), "page": page, "statuses": OutgoingStatus.choices, "filters": filters},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def outgoing_new(request):
    context = _common(request)
    if request.method == "POST":
        agency = _agency_from(request)
        try:
            if agency is None:
                raise DomainError(_("Chưa chọn cơ quan ban hành."), code="agency_required")
            internal = Agency.objects.filter(
                pk__in=[pk for v in request.POST.getlist("internal") if (pk := id_param(v)) is not None]
            )
            document = services.outgoing_draft(
                agency=agency,
                actor=request.user,
                doc_type=request.POST.get("doc_type", ""),
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                signer_position=request.POST.get("signer_position", ""),
                recipients_text=request.POST.get("recipients_text", ""),
                internal_recipients=list(internal),
                confidentiality=request.POST.get("confidentiality", Confidentiality.NORMAL),
                urgency=request.POST.get("urgency", Urgency.NORMAL),
            )
        except DomainError as exc:
            context["error"] = exc.message
            context["values"] = request.POST
            return render(request, "documents/outgoing_new.html", context, status=422)
        return redirect("documents:outgoing_detail", document.pk)
    context["all_agencies"] = Agency.objects.filter(is_active=True).order_by("name")
    return render(request, "documents/outgoing_new.html", context)


@officer_required
def outgoing_detail(request, pk: int):
    document = found_or_404(selectors.outgoing_get_for, request.user, pk)
    held = held_roles(request.user, document.agency)
    return render(
        request,
        "documents/outgoing_detail.html",
        {
            "document": document,
            "allowed": OUT_MACHINE.allowed(document.status, held),
            "step": current_step(document),
            "events": document.events.select_related("actor"),
        },
    )


@officer_required
@require_POST
def outgoing_act(request, pk: int, action: str):
    document = found_or_404(selectors.outgoing_get_for, request.user, pk, audit=False)
    note = request.POST.get("note", "")
    steps = {
        "submit": lambda: services.outgoing_submit(document=document, actor=request.user),
        "approve": lambda: services.outgoing_approve(document=document, actor=request.user, note=note),
        "return": lambda: services.outgoing_return(document=document, actor=request.user, note=note),
        "issue": lambda: services.issue_outgoing(document=document, actor=request.user),
        "withdraw": lambda: services.outgoing_withdraw(document=document, actor=request.user, reason=note),
    }
    if action in steps:
        run_and_tell(request, steps[action], _("Đã cập nhật văn bản."))
    else:
        messages.error(request, _("Thao tác không tồn tại."))
    return redirect("documents:outgoing_detail", pk)


@officer_required
def file_download(request, kind: str, pk: int):
    getter = selectors.incoming_get_for if kind == "den" else selectors.outgoing_get_for
    document = found_or_404(getter, request.user, pk)
    if not document.file:
        raise Http404
    response = HttpResponse(document.file.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="van-ban-{document.pk}.pdf"'
    return response


@officer_required
def register(request, kind: str, fmt: str):
    """The incoming (den) or outgoing (di) register of one agency for one year, as pdf or xlsx."""
    agencies = _agencies(request.user)
    agency = next((a for a in agencies if str(a.pk) == request.GET.get("agency")), agencies[0] if agencies else None)
    if agency is None or fmt not in ("pdf", "xlsx") or kind not in ("den", "di"):
        raise Http404
    year = year_param(request.GET.get("year")) or timezone.localdate().year
    if kind == "den":
        rows = selectors.incoming_search(request.user, agency_id=agency.pk, year=year).order_by("incoming_number")
    else:
        rows = (
            selectors.outgoing_search(request.user, agency_id=agency.pk, year=year)
            .filter(number__isnull=False)
            .order_by("number")
        )
    data, content_type, name = register_export(
        user=request.user,
        kind="incoming" if kind == "den" else "outgoing",
        fmt=fmt,
        documents=rows,
        agency=agency,
        year=year,
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("", incoming_list, name="incoming_list"),
    path("viec-cua-toi/", my_work, name="my_work"),
    path("den/moi/", incoming_new, name="incoming_new"),
    path("den/<int:pk>/", incoming_detail, name="incoming_detail"),
    path("den/<int:pk>/<slug:action>/", incoming_act, name="incoming_act"),
    path("di/", outgoing_list, name="outgoing_list"),
    path("di/moi/", outgoing_new, name="outgoing_new"),
    path("di/<int:pk>/", outgoing_detail, name="outgoing_detail"),
    path("di/<int:pk>/<slug:action>/", outgoing_act, name="outgoing_act"),
    path("tep/<slug:kind>/<int:pk>/", file_download, name="file"),
    path("so/<slug:kind>.<slug:fmt>", register, name="register"),
]
