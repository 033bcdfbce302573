"""Household pages: list and search, detail with editing, CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import COMMUNE_KINDS, Unit
from motcua.core.shortcuts import found_or_404, id_param

from ..selectors.households import household_achievements, household_editable_by, household_get_for, household_list_for
from ..services import household_import
from ..services import households as household_services
from .common import households_required, indicator_grid


@households_required
def household_list_view(request):
    q = request.GET.get("q", "").strip()[:100]
    hamlet_id = id_param(request.GET.get("ap"))
    households = household_list_for(request.user, q=q, hamlet_id=hamlet_id)
    page = Paginator(households, 30).get_page(request.GET.get("page"))
    return render(request, "outreach/household_list.html", {"page": page, "q": q})


def _household_action(request, household):
    action = request.POST.get("action")
    post = request.POST
    if action == "update":
        household_services.household_update(
            actor=request.user,
            household_id=household.pk,
            head_name=post.get("head_name", ""),
            address=post.get("address", ""),
            phone=post.get("phone", ""),
            member_count=id_param(post.get("member_count")),
            is_business=bool(post.get("is_business")),
        )
        return _("Đã lưu thông tin hộ.")
    if action == "add_member":
        household_services.household_member_add(
            actor=request.user,
            household_id=household.pk,
            full_name=post.get("full_name", ""),
            personal_id=post.get("personal_id", ""),
            phone=post.get("phone", ""),
            relation=post.get("relation", ""),
        )
        return _("Đã thêm thành viên.")
    member_id = id_param(post.get("member"))
    if action == "remove_member" and member_id is not None:
        household_services.household_member_remove(actor=request.user, household_id=household.pk, member_id=member_id)
        return _("Đã xóa thành viên khỏi hộ.")
    raise DomainError(_("Thao tác không hợp lệ."), code="invalid_action")


@households_required
def household_detail_view(request, pk: int):
    household = found_or_404(household_get_for, request.user, pk)
    editable = household_editable_by(request.user, household)
    if request.method == "POST":
        if not editable:
            raise Http404
        try:
            messages.success(request, _household_action(request, household))
        except DomainError as exc:
            messages.error(request, exc.message)
            for field_errors in ((exc.details or {}).get("fields") or {}).values():
                for message in field_errors:
                    messages.error(request, message)
        return redirect("outreach:household", pk=household.pk)
    person, rows, whole = indicator_grid(household, household_achievements(household))
    context = {
        "household": household,
        "editable": editable,
        "person_indicators": person,
        "rows": rows,
        "household_indicators": whole,
        "visits": household.visits.select_related("team", "member", "campaign").order_by("-visited_at")[:20],
    }
    return render(request, "outreach/household_detail.html", context)


@households_required
def household_import_view(request):
    area = request.outreach_area
    if area.everything:
        units = Unit.objects.filter(kind__in=COMMUNE_KINDS, hamlets__isnull=False)
    else:
        units = Unit.objects.filter(Q(pk__in=area.unit_ids) | Q(hamlets__pk__in=area.hamlet_ids))
    units = list(units.distinct().order_by("name_folded"))
    context = {"units": units, "report": None, "errors": None}
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        upload = request.FILES.get("file")
        if unit is None or upload is None:
            messages.error(request, _("Chọn xã, phường và tệp CSV để nhập."))
        else:
            try:
                context["report"] = household_import.household_import_csv(
                    actor=request.user, unit=unit, content=upload.read()
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                context["errors"] = (exc.details or {}).get("errors") if isinstance(exc.details, dict) else None
    return render(request, "outreach/household_import.html", context)
