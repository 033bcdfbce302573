"""Public lookup, the applicant's dossier page, officer queues, the tracking book and the printable forms.

The statistics page is `figures`; its figures link to the queue here, filtered (`_figure_filters`).

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
from motcua.core.errors import DomainError
from motcua.core.net import client_address
from motcua.core.pagecache import PageCache
from motcua.core.shortcuts import found_or_404
from motcua.core.text import fold
from motcua.dossiers import forms_pdf, selectors
from motcua.dossiers.models import Channel, DossierStatus, StepKind
from motcua.dossiers.selectors import lookup as selectors_lookup
from motcua.dossiers.selectors import stats as selectors_stats
from motcua.dossiers.selectors.measures import MEASURE_LABELS


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
    dossier = found_or_404(selectors.dossier_get_for, request.user, code)
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
    dossier = found_or_404(selectors.dossier_get_for, request.user, code)
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
    document = found_or_404(selectors.dossier_document_get_for, request.user, code, document_id)
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


# A statistics figure's dossiers: the measure over a period, narrowed by agency, unit or channel.
_FIGURE_KEYS = ("measure", "from", "to", "agency", "unit", "channel")


def _figure_filters(figure: dict) -> dict:
    """The queue selector's figure arguments from the query string (`from`/`to` are ISO dates)."""
    if not any(figure.values()):
        return {}
    dates = {}
    for key, name in (("from", "date_from"), ("to", "date_to")):
        if figure[key]:
            try:
                dates[name] = datetime.date.fromisoformat(figure[key])
            except ValueError:
                raise DomainError(
                    _("Ngày không hợp lệ: hãy nhập theo dạng năm-tháng-ngày."), code="invalid_period", status=422
                )
    return {
        "measure": figure["measure"] or None,
        "agency": figure["agency"] or None,
        "unit": figure["unit"] or None,
        "channel": figure["channel"] or None,
        **dates,
    }


def _kept_filter_note(base: dict) -> str:
    """What the list is narrowed to beyond its tab and form fields, in words ("" when nothing)."""
    parts = []
    if base.get("due") == "today":
        parts.append(_("đến hạn hôm nay"))
    if base.get("step"):
        parts.append(_("đang ở bước “%(step)s”") % {"step": StepKind(base["step"]).label})
    if base.get("measure") in MEASURE_LABELS:
        parts.append(str(MEASURE_LABELS[base["measure"]]).lower())
    if base.get("from") and base.get("to"):
        parts.append(_("từ %(from)s đến %(to)s") % {"from": base["from"], "to": base["to"]})
    if base.get("channel") in Channel.values:
        parts.append(_("nộp qua %(channel)s") % {"channel": str(Channel(base["channel"]).label).lower()})
    if base.get("agency"):
        parts.append(_("cơ quan tiếp nhận %(agency)s") % {"agency": base["agency"]})
    if base.get("unit"):
        parts.append(_("địa bàn đã chọn"))
    return "; ".join(parts)


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
        # "today": open dossiers due on today's date.
        "due": request.GET.get("due", "").strip()
        if request.GET.get("due", "").strip() in selectors.DUE_FILTERS
        else "",
    }
    figure = {key: request.GET.get(key, "").strip()[:32] for key in _FIGURE_KEYS}
    error = None
    try:
        items, next_cursor = selectors.dossier_queue(
            request.user,
            queue=tab,
            after=request.GET.get("after") or None,
            **{key: value or None for key, value in filters.items()},
            **_figure_filters(figure),
        )
    except DomainError as exc:
        items, next_cursor, error = [], None, exc.message
    base = {key: value for key, value in {**filters, **figure}.items() if value}
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
            # Filters the form has no field for (from a workspace or statistics link): kept on every
            # submit and named above the list, with a link that drops them.
            "kept_filters": {key: value for key, value in base.items() if key in ("step", "due", *_FIGURE_KEYS)},
            "filter_note": _kept_filter_note(base),
            "clear_url": "?" + urlencode({"tab": tab}),
        },
    )


@_officer_required
def tracking_book_view(request):
    office_id = request.GET.get("office")
    if not office_id:
        first = selectors_stats.offices_for(request.user).first()
        if first is None:
            raise Http404
        office_id = first.pk
    office = found_or_404(selectors_stats.office_get_for, request.user, office_id)
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
    path("can-bo/so-theo-doi.pdf", tracking_book_view, name="tracking_book"),
    re_path(rf"^(?P<code>{selectors.CODE_PATTERN})/$", detail_view, name="detail"),
    re_path(rf"^(?P<code>{selectors.CODE_PATTERN})/bieu-mau/(?P<form>[a-z-]+)\.pdf$", form_pdf_view, name="form_pdf"),
    re_path(
        rf"^(?P<code>{selectors.CODE_PATTERN})/tai-lieu/(?P<document_id>\d+)/$",
        document_download_view,
        name="document_download",
    ),
]
