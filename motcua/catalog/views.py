"""Public catalog pages: search and browse procedures, a procedure's page, its QR code and the QR poster."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from motcua.core.errors import NotFound
from motcua.core.pagecache import PageCache

from . import selectors
from .fees import schedule_of, schedule_view
from .models import AgencyLevel, Procedure
from .poster import field_poster_pdf
from .qr import procedure_public_url, procedure_qr_png, procedure_qr_svg
from .search import catalog_pages, catalog_search_shells, get_index, search_procedures

# Short Vietnamese words in addresses ("?cap=xa") rather than the stored English values.
LEVEL_PARAMS = {"xa": AgencyLevel.COMMUNE, "tinh": AgencyLevel.PROVINCE}
PARAM_FOR_LEVEL = {level: param for param, level in LEVEL_PARAMS.items()}
QUERY_MAX_LENGTH = 200
RESULT_LIMIT = 50
# Everyday words offered when a search finds nothing: they show that plain words work.
SEARCH_EXAMPLES = ["khai sinh", "kết hôn", "tạm trú", "sổ đỏ", "chứng thực bản sao"]
QR_CACHE = cache_control(public=True, max_age=24 * 3600)
# Procedure pages rendered for visitors, keyed by what each read (see `procedure_detail`).
_procedure_pages = PageCache()


def _wants_partial(request: HttpRequest) -> bool:
    # htmx asks for the whole page when it restores history after a cache miss; give it the page.
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def _procedure_or_404(code: str) -> Procedure:
    # Raised, not returned, so that the cache headers of the QR views never apply to a 404.
    try:
        return selectors.procedure_get(code)
    except NotFound:
        raise Http404(_("Không tìm thấy thủ tục"))


def _procedure_or_404_page(request: HttpRequest, code: str):
    procedure = selectors.procedure_get_public(code=code)
    if procedure is None:
        return None, render(request, "catalog/not_found.html", {"code": code}, status=404)
    return procedure, None


@require_safe
@vary_on_headers("HX-Request")
def catalog_index(request: HttpRequest) -> HttpResponse:
    return catalog_pages().page(request, lambda: _catalog_index(request))


def _catalog_index(request: HttpRequest) -> HttpResponse:
    fields = selectors.catalog_fields()
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    # Unknown filter values (an old link, a typo) are dropped rather than answered with an error.
    field_slug = request.GET.get("linh-vuc", "")
    if field_slug not in {f.slug for f in fields}:
        field_slug = ""
    level_param = request.GET.get("cap", "")
    level = LEVEL_PARAMS.get(level_param)
    if level is None:
        level_param = ""
    searching = bool(query or field_slug or level)
    hits = search_procedures(query, field=field_slug or None, level=level, limit=RESULT_LIMIT) if searching else []
    partial = _wants_partial(request)
    context = {
        "fields": fields,
        "query": query,
        "field_slug": field_slug,
        "level_param": level_param,
        "level_choices": [(param, level.label) for param, level in LEVEL_PARAMS.items()],
        "searching": searching,
        "hits": hits,
        "rows": _hit_rows(hits),
        "total": hits.total if searching else 0,
        "has_filters": bool(field_slug or level),
        "examples": SEARCH_EXAMPLES,
        "partial": partial,
    }
    template = "catalog/_results.html" if partial else "catalog/index.html"
    if not (query and hits):
        return render(request, template, context)
    # A search with hits differs from another with as many hits only in its query and its rows: the
    # rest of the page is rendered once per catalog version (see `ShellCache`), the rows once each.
    return catalog_search_shells().page(
        request,
        (template, field_slug, level_param, context["total"], len(hits)),
        shell=lambda markers: render(
            request, template, {**context, "query": markers["query"], "rows": mark_safe(markers["rows"])}
        ),
        fill={"query": escape(query), "rows": context["rows"]},
        full=lambda: render(request, template, context),
    )


def _hit_rows(hits) -> SafeString:
    """The result rows (catalog/_hit.html each), each rendered once per catalog version and language."""
    index, language = get_index(), translation.get_language()
    return mark_safe(
        "".join(
            index.kept(
                ("hit", language, hit.procedure.pk),
                lambda p=hit.procedure: render_to_string("catalog/_hit.html", {"p": p}),
            )
            for hit in hits
        )
    )


@require_safe
def field_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return catalog_pages().page(request, lambda: _field_detail(request, slug))


def _field_detail(request: HttpRequest, slug: str) -> HttpResponse:
    field = selectors.field_get_public(slug=slug)
    if field is None:
        raise Http404(_("Không tìm thấy lĩnh vực"))
    procedures = selectors.procedure_list_public(field=field)
    groups = []
    for level in (AgencyLevel.COMMUNE, AgencyLevel.PROVINCE):
        items = [p for p in procedures if p.level == level]
        if items:
            groups.append({"level": level, "label": level.label, "param": PARAM_FOR_LEVEL[level], "procedures": items})
    return render(
        request,
        "catalog/field.html",
        {"field": field, "groups": groups, "procedure_count": len(procedures)},
    )


@require_safe
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    # One statement reads every row the page shows; a kept page is filed under its digest, and the
    # procedure is only loaded (one more query) when the page is rendered.
    page = selectors.procedure_page_read(code)
    if page is None:
        return render(request, "catalog/not_found.html", {"code": code}, status=404)
    today = timezone.localdate()  # the fees shown are those in force today
    return _procedure_pages.page(request, lambda: _render_procedure(request, page, today), version=(page.stamp, today))


def _render_procedure(request: HttpRequest, page: selectors.ProcedurePage, today) -> HttpResponse:
    procedure = page.procedure()
    if procedure is None:  # withdrawn between the two reads
        return render(request, "catalog/not_found.html", {"code": page.code}, status=404)
    return _procedure_page(request, procedure, today)


def _procedure_page(request: HttpRequest, procedure: Procedure, today) -> HttpResponse:
    context = {
        "procedure": procedure,
        "documents": list(procedure.documents.all()),
        "fees": schedule_view(schedule_of(procedure), today),
        "public_url": procedure_public_url(procedure),
        "level_param": PARAM_FOR_LEVEL.get(procedure.level, ""),
    }
    return render(request, "catalog/procedure.html", context)


@require_safe
@QR_CACHE
def procedure_qr_svg_view(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _procedure_or_404(code)
    return HttpResponse(procedure_qr_svg(procedure), content_type="image/svg+xml; charset=utf-8")


@require_safe
@QR_CACHE
def procedure_qr_png_view(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _procedure_or_404(code)
    return HttpResponse(procedure_qr_png(procedure, scale=10), content_type="image/png")


@require_safe
@cache_control(public=True, max_age=3600)
def field_poster(request: HttpRequest, slug: str) -> HttpResponse:
    field = selectors.field_get_public(slug=slug)
    if field is None:
        raise Http404(_("Không tìm thấy lĩnh vực"))
    level_param = request.GET.get("cap", "")
    level = LEVEL_PARAMS.get(level_param)
    pdf = field_poster_pdf(field=field, level=level)
    suffix = f"-{level_param}" if level else ""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ap-phich-qr-{field.slug}{suffix}.pdf"'
    return response
