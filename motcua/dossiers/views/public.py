"""Public lookup, the applicant's dossier page, officer queues, statistics and the printable forms.

Every read goes through motcua.dossiers.selectors (access check included); a dossier outside the
reader's reach is a 404, like one that does not exist.
"""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required as _login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, re_path
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from motcua.core.decorators import officer_required as _officer_required
from motcua.core.errors import DomainError, NotFound
from motcua.core.net import client_address
from motcua.core.pagecache import PageCache
from motcua.core.text import fold
from motcua.dossiers import forms_pdf, selectors
from motcua.dossiers.models import DossierStatus, StepKind
from motcua.dossiers.selectors import lookup as selectors_lookup
from motcua.dossiers.selectors import stats as selectors_stats


def _parse_date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return default


def _period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    date_from = _parse_date(request.GET.get("from"), today.replace(day=1))
    date_to = _parse_date(request.GET.get("to"), today)
    return date_from, max(date_to, date_from)


# Lookup pages rendered for visitors, keyed by the public view of the dossier they show: the lookup
# (and its throttle) runs every time, the template only when that view changed.
_lookup_pages = PageCache(size=512)


def lookup_view(request):
    code = request.GET.get("code", "").strip()[:48]
    phone4 = request.GET.get("phone4", "").strip()[:4]
    context, status = {"code": code, "phone4": phone4}, 200
    if code and phone4:
        try:
            result = selectors_lookup.dossier_lookup(code, phone4, client=client_address(request))
        except DomainError as exc:
            context["error"] = exc.message
            status = 429 if exc.status == 429 else 200
        else:
            context["result"] = result
            return _lookup_pages.page(
                request, lambda: render(request, "dossiers/public/lookup.html", context), version=repr(result)
            )
    elif code or phone4:
        context["error"] = _("Vui lòng nhập đủ mã hồ sơ và 4 số cuối điện thoại.")
    return render(request, "dossiers/public/lookup.html", context, status=status)


@_login_required
def detail_view(request, code: str):
    try:
        dossier = selectors.dossier_get_for(request.user, code)
    except NotFound:
        raise Http404
    officer_view = selectors.user_is_officer_for(request.user, dossier)
    context = {
        "dossier": dossier,
        **selectors.dossier_detail_context(dossier, public_only=not officer_view),
        "documents": selectors.dossier_documents_for(request.user, dossier, officer_view=officer_view),
        "officer_view": officer_view,
        "forms": forms_pdf.forms_available(dossier, officer=officer_view),
        "expected_at": dossier.apology_due_at or dossier.due_at,
    }
    return render(request, "dossiers/public/detail.html", context)


@_login_required
def form_pdf_view(request, code: str, form: str):
    try:
        dossier = selectors.dossier_get_for(request.user, code)
    except NotFound:
        raise Http404
    entry = forms_pdf.FORMS.get(form)
    if entry is None or not (entry[2] or selectors.user_is_officer_for(request.user, dossier)):
        raise Http404
    try:
        pdf = forms_pdf.form_pdf(dossier, form)
    except DomainError as exc:
        return render(
            request,
            "dossiers/public/form_unavailable.html",
            {"dossier": dossier, "message": exc.message},
            status=exc.status,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{form}-{dossier.code}.pdf"'
    return response


@_login_required
def document_download_view(request, code: str, document_id: str):
    """A stored input, supplement or result file, as an attachment (never shown inline: a PDF opened
    in the site's origin could carry active content)."""
    try:
        document = selectors.dossier_document_get_for(request.user, code, document_id)
    except NotFound:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    ext = document.file.name.rsplit(".", 1)[-1].lower() if "." in document.file.name else "bin"
    filename = f"{slugify(fold(document.name))[:60] or 'tai-lieu'}-{document.dossier.code}.{ext}"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=document.content_type or "application/octet-stream",
    )


@_officer_required
def queue_view(request):
    tab = request.GET.get("tab", "office")
    if tab not in selectors.QUEUES:
        tab = "office"
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "procedure": request.GET.get("procedure", "").strip()[:32],
        "status": request.GET.get("status", "").strip()[:24],
        # An active step of one kind ("approve": waiting for the leader's signature).
        "step": request.GET.get("step", "").strip() if request.GET.get("step", "").strip() in StepKind.values else "",
    }
    error = None
    try:
        items, next_cursor = selectors.dossier_queue(
            request.user,
            queue=tab,
            after=request.GET.get("after") or None,
            **{key: value or None for key, value in filters.items()},
        )
    except DomainError as exc:
        items, next_cursor, error = [], None, exc.message
    base = {key: value for key, value in filters.items() if value}
    next_url = "?" + urlencode({"tab": tab, **base, "after": next_cursor}) if next_cursor else None
    tabs = [(key, label, "?" + urlencode({"tab": key, **base})) for key, label in selectors.QUEUE_LABELS.items()]
    return render(
        request,
        "dossiers/queues/queue.html",
        {
            "tab": tab,
            "tabs": tabs,
            "items": items,
            "next_url": next_url,
            "error": error,
            **filters,
            "statuses": [choice for choice in DossierStatus.choices if choice[0] != DossierStatus.DRAFT],
            "first_page": not request.GET.get("after"),
            "first_url": "?" + urlencode({"tab": tab, **base}),
            "apology_drafts": selectors.apology_drafts_for(request.user),
        },
    )


@_officer_required
def stats_view(request):
    agencies = list(selectors_stats.stats_agencies_for(request.user)[:500])
    date_from, date_to = _period(request)
    code = request.GET.get("agency") or (agencies[0].code if agencies else "")
    context = {"agencies": agencies, "date_from": date_from, "date_to": date_to, "agency_code": code}
    status = 200
    if code:
        try:
            context["stats"] = selectors_stats.office_statistics(
                request.user, agency=code, date_from=date_from, date_to=date_to
            )
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
    return render(request, "dossiers/queues/stats.html", context, status=status)


@_officer_required
def tracking_book_view(request):
    office_id = request.GET.get("office")
    if not office_id:
        first = selectors_stats.offices_for(request.user).first()
        if first is None:
            raise Http404
        office_id = first.pk
    try:
        office = selectors_stats.office_get_for(request.user, office_id)
    except NotFound:
        raise Http404
    date_from, date_to = _period(request)
    pdf = forms_pdf.tracking_book_pdf(office=office, date_from=date_from, date_to=date_to)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{date_from}-{date_to}.pdf"'
    return response


# Fixed paths first; dossier codes (always "-" + 6 digits + "-" + number) by regex, so that a code can
# never be confused with another page such as /ho-so/can-bo/ or /ho-so/cua-toi/.
urlpatterns = [
    path("tra-cuu/", lookup_view, name="lookup"),
    path("can-bo/", queue_view, name="queue"),
    path("can-bo/thong-ke/", stats_view, name="stats"),
    path("can-bo/so-theo-doi.pdf", tracking_book_view, name="tracking_book"),
    re_path(rf"^(?P<code>{selectors.CODE_PATTERN})/$", detail_view, name="detail"),
    re_path(rf"^(?P<code>{selectors.CODE_PATTERN})/bieu-mau/(?P<form>[a-z-]+)\.pdf$", form_pdf_view, name="form_pdf"),
    re_path(
        rf"^(?P<code>{selectors.CODE_PATTERN})/tai-lieu/(?P<document_id>\d+)/$",
        document_download_view,
        name="document_download",
    ),
]
