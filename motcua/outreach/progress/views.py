"""Progress pages (commune, province, targets) and their Excel exports. Thin: the selectors check
access (404 outside scope) and compute; the views shape a chart and answer."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError, NotFound
from motcua.core.errors import PermissionDenied as DomainPermissionDenied
from motcua.outreach.models import Campaign, Indicator, TargetKind
from motcua.outreach.progress.excel import progress_export_commune, progress_export_province
from motcua.outreach.progress.selectors import (
    progress_commune,
    progress_home_for,
    progress_may_set_targets,
    progress_province,
    target_list_for,
)
from motcua.outreach.progress.services import target_set

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_W, _H, _PAD = 640, 220, 30


def trend_chart(points: list[dict]) -> dict:
    """Coordinates for an inline SVG: bars = visits per month, line = cumulative share reached."""
    if not points:
        return {}
    n = len(points)
    step = (_W - 2 * _PAD) / n
    top = max(p["visits"] for p in points) or 1
    bars, line = [], []
    for i, p in enumerate(points):
        h = (_H - 2 * _PAD) * p["visits"] / top
        x = _PAD + i * step
        bars.append(
            {
                "x": round(x + step * 0.15, 1),
                "y": round(_H - _PAD - h, 1),
                "w": round(step * 0.7, 1),
                "h": round(h, 1),
                "label": p["month"].strftime("%m/%y"),
                "lx": round(x + step / 2, 1),
                "visits": p["visits"],
                "share": p["share"],
            }
        )
        y = _H - _PAD - (_H - 2 * _PAD) * min(p["share"], 100) / 100
        line.append(f"{x + step / 2:.1f},{y:.1f}")
    return {
        "width": _W,
        "height": _H,
        "bars": bars,
        "line": " ".join(line),
        "top": top,
        "base": _H - _PAD,
        "label_y": _H - _PAD + 14,
    }


def _not_found(exc: DomainError):
    raise Http404(exc.message)


@login_required
@require_GET
def progress_home(request):
    home = progress_home_for(request.user)
    if home is None:
        raise Http404(_("Tài khoản này chưa được phân công theo dõi tiến độ."))
    if home[0] == "province":
        return redirect("outreach_progress:province")
    return redirect("outreach_progress:commune", code=home[1])


@login_required
@require_GET
def commune_page(request, code: str):
    try:
        data = progress_commune(request.user, code=code)
    except NotFound as exc:
        _not_found(exc)
    return render(request, "outreach/progress/commune.html", {**data, "chart": trend_chart(data["trend"])})


@login_required
@require_GET
def province_page(request):
    try:
        data = progress_province(request.user)
    except NotFound as exc:
        _not_found(exc)
    return render(request, "outreach/progress/province.html", {**data, "chart": trend_chart(data["trend"])})


def _xlsx(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def commune_export(request, code: str):
    try:
        return _xlsx(*progress_export_commune(actor=request.user, code=code))
    except NotFound as exc:
        _not_found(exc)
    except DomainPermissionDenied as exc:
        return HttpResponse(exc.message, status=403)


@login_required
@require_GET
def province_export(request):
    try:
        return _xlsx(*progress_export_province(actor=request.user))
    except NotFound as exc:
        _not_found(exc)
    except DomainPermissionDenied as exc:
        return HttpResponse(exc.message, status=403)


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Chỉ tiêu"),
        queryset=Indicator.objects.filter(is_active=True),
        required=False,
        empty_label=gettext_lazy("Hộ được tiếp cận"),
    )
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Đợt ra quân"), queryset=Campaign.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại mục tiêu"), choices=TargetKind.choices)
    value = forms.CharField(label=gettext_lazy("Mức mục tiêu"), max_length=20)
    starts_on = forms.DateField(
        label=gettext_lazy("Tính từ ngày (để trống: lũy kế)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(label=gettext_lazy("Hạn hoàn thành"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["campaign"].queryset = Campaign.objects.filter(unit=unit)
        self.fields["ends_on"].initial = datetime.date(datetime.date.today().year, 12, 31)


@login_required
@require_http_methods(["GET", "POST"])
def targets_page(request, code: str):
    try:
        data = progress_commune(request.user, code=code)
    except NotFound as exc:
        _not_found(exc)
    unit = data["unit"]
    if not data["full"]:
        raise Http404(_("Không tìm thấy xã, phường."))
    may_set = progress_may_set_targets(request.user, unit)
    form = TargetForm(request.POST or None, unit=unit)
    if request.method == "POST":
        if not may_set:
            return HttpResponse(_("Tài khoản này không có quyền đặt mục tiêu cho đơn vị này."), status=403)
        if form.is_valid():
            try:
                target_set(actor=request.user, unit=unit, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã lưu mục tiêu."))
                return redirect(reverse("outreach_progress:targets", args=[unit.code]))
    return render(
        request,
        "outreach/progress/targets.html",
        {**data, "form": form, "may_set": may_set, "target_list": target_list_for(request.user, unit)},
    )
