"""The reconciliation page: dossiers the national portal has not (yet) accepted, and "Gửi lại"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError, NotFound
from motcua.core.shortcuts import id_param

from . import selectors, services
from .models import SyncState

PAGE_SIZE = 50
STATE_FILTERS = {"": _("Tất cả chưa đồng bộ"), "rejected": _("Bị từ chối"), "waiting": _("Đang chờ gửi")}


def _filters(request) -> selectors.Filters:
    state = request.GET.get("tinh_trang", "")
    return selectors.Filters(
        state=state if state in STATE_FILTERS else "",
        agency=id_param(request.GET.get("co_quan")),
        q=request.GET.get("q", "").strip()[:48],
    )


@require_http_methods(["GET"])
def reconciliation_view(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    filters = _filters(request)
    try:
        rows = selectors.reconciliation_for(request.user, filters)
        agencies = selectors.reader_agency_choices(request.user)
    except NotFound:
        raise Http404
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    resend_ids = services.resend_agency_ids(request.user)
    for dossier in page.object_list:
        dossier.blocking = dossier.unsent[0] if dossier.unsent else None
        dossier.can_resend = bool(
            dossier.blocking
            and dossier.blocking.state == SyncState.REJECTED
            and services.may_resend(request.user, dossier, agency_ids=resend_ids)
        )
    context = {
        "page": page,
        "filters": filters,
        "state_filters": STATE_FILTERS,
        "agencies": agencies,
        "REJECTED": SyncState.REJECTED,
    }
    return render(request, "nationalsync/reconciliation.html", context)


@require_POST
def resend_view(request, code: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        dossier, _messages = selectors.dossier_sync_for(request.user, code)
        message = services.sync_resend(dossier=dossier, actor=request.user, note=request.POST.get("ghi_chu", ""))
    except NotFound:
        raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Đã đưa gói tin số %(seq)s của hồ sơ %(code)s vào hàng đợi gửi lại.")
            % {"seq": message.seq, "code": code},
        )
    return redirect("nationalsync:list")


urlpatterns = [
    path("", reconciliation_view, name="list"),
    path("<str:code>/gui-lai/", resend_view, name="resend"),
]
