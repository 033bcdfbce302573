"""Pages for area broadcasts under /thong-bao-dien-rong/.

Thin: selectors check access (404 outside scope), services decide; a refusal comes back as a
message on the page, never a 500. The form previews people, segments and cost live with htmx
and works without JavaScript (the detail page shows the same figures after saving).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError
from motcua.core.shortcuts import found_or_404, run_and_tell

from ..models import Audience, BroadcastRecipient, BroadcastStatus
from . import selectors as sel
from . import services as svc


class BroadcastForm(forms.Form):
    owner_unit = forms.TypedChoiceField(label=gettext_lazy("Đơn vị gửi"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=255)
    body = forms.CharField(
        label=gettext_lazy("Nội dung tin nhắn"), max_length=svc.MAX_BODY, widget=forms.Textarea(attrs={"rows": 5})
    )
    unaccented = forms.BooleanField(label=gettext_lazy("Gửi không dấu"), required=False, initial=True)
    audience = forms.ChoiceField(
        label=gettext_lazy("Đối tượng nhận"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        initial=Audience.RESIDENTS,
    )
    units = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Tỉnh, xã, phường nhận"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    hamlets = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Ấp, khóm nhận"), coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    scheduled_at = forms.DateTimeField(
        label=gettext_lazy("Hẹn giờ gửi (để trống: gửi ngay khi được duyệt)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )

    def __init__(self, *args, user, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        owners = [owner] if owner is not None else sel.owner_unit_choices(user)
        self.fields["owner_unit"].choices = [(u.pk, u.name) for u in owners]
        selected = owners[0] if owners else None
        raw = self.data.get("owner_unit") if self.is_bound else None
        for unit in owners:
            if raw and str(unit.pk) == str(raw):
                selected = unit
        if owner is not None:
            self.fields["owner_unit"].disabled = True
            self.fields["owner_unit"].initial = owner.pk
        if selected is not None:
            self.fields["units"].choices = [(u.pk, u.name) for u in sel.area_unit_choices(selected)]
            self.fields["hamlets"].choices = [
                (h.pk, f"{h.name} – {h.unit.name}") for h in sel.area_hamlet_choices(selected)
            ]


def _kwargs(data: dict) -> dict:
    return {
        "title": data["title"],
        "body": data["body"],
        "audience": data["audience"],
        "unit_ids": data["units"],
        "hamlet_ids": data["hamlets"],
        "unaccented": data["unaccented"],
        "scheduled_at": data["scheduled_at"],
    }


def _get(request, broadcast_id: int):
    return found_or_404(sel.broadcast_get_for, request.user, broadcast_id)


def _show_error(request, exc: DomainError, form=None) -> None:
    if form is not None and isinstance(exc.details, dict):
        for field, message in exc.details.items():
            if field in form.fields:
                form.add_error(field, message)
    messages.error(request, exc.message)


def _form_page(request, form, broadcast, save, saved_message):
    """The draft form page: a valid POST is stored by `save(cleaned_data)` and the browser goes to the
    broadcast it returns; a refusal is shown on the form, which is drawn again."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except DomainError as exc:
            _show_error(request, exc, form)
        else:
            messages.success(request, saved_message)
            return redirect("broadcasts:detail", broadcast_id=saved.pk)
    return render(request, "notifications/broadcasts/form.html", {"form": form, "broadcast": broadcast})


@login_required
@require_GET
def broadcast_list(request):
    broadcasts = sel.broadcast_list_for(request.user)
    status = request.GET.get("trang-thai")
    if status in BroadcastStatus.values:
        broadcasts = broadcasts.filter(status=status)
    return render(
        request,
        "notifications/broadcasts/list.html",
        {
            "broadcasts": broadcasts[:200],
            "statuses": BroadcastStatus.choices,
            "status": status,
            "can_write": bool(sel.owner_unit_choices(request.user)),
        },
    )


@login_required
def broadcast_new(request):
    if not sel.owner_unit_choices(request.user):
        raise Http404
    form = BroadcastForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        None,
        lambda data: svc.broadcast_create(actor=request.user, owner_unit_id=data["owner_unit"], **_kwargs(data)),
        _("Đã lưu bản nháp."),
    )


@login_required
def broadcast_edit(request, broadcast_id: int):
    broadcast = _get(request, broadcast_id)
    if "edit" not in sel.allowed_actions(broadcast=broadcast, user=request.user):
        messages.error(request, _("Thông báo này không sửa được nữa."))
        return redirect("broadcasts:detail", broadcast_id=broadcast.pk)
    initial = {
        "title": broadcast.title,
        "body": broadcast.body,
        "unaccented": broadcast.unaccented,
        "audience": broadcast.audience,
        "units": list(broadcast.units.values_list("pk", flat=True)),
        "hamlets": list(broadcast.hamlets.values_list("pk", flat=True)),
        "scheduled_at": broadcast.scheduled_at,
    }
    form = BroadcastForm(request.POST or None, user=request.user, owner=broadcast.owner_unit, initial=initial)
    return _form_page(
        request,
        form,
        broadcast,
        lambda data: svc.broadcast_update(actor=request.user, broadcast=broadcast, **_kwargs(data)),
        _("Đã lưu thay đổi."),
    )


@login_required
@require_POST
def broadcast_preview(request):
    """The live figures under the form (htmx): people, segments per message, cost."""
    form = BroadcastForm(request.POST, user=request.user)
    form.is_valid()  # partial input is normal while typing; use what is clean
    data = form.cleaned_data
    try:
        preview = sel.broadcast_preview_for_user(
            request.user,
            body=request.POST.get("body", ""),
            unaccented=bool(data.get("unaccented")),
            audience=data.get("audience") or Audience.RESIDENTS,
            unit_ids=data.get("units") or [],
            hamlet_ids=data.get("hamlets") or [],
            # isdecimal(), not isdigit(): "²" is a digit that int() refuses. The selector checks the range.
            broadcast_id=int(raw_id) if (raw_id := request.POST.get("broadcast_id", "")).isdecimal() else None,
        )
    except DomainError as exc:
        return render(request, "notifications/broadcasts/_preview.html", {"error": exc.message})
    return render(
        request, "notifications/broadcasts/_preview.html", {"preview": preview, "audience": data.get("audience")}
    )


def _detail_context(request, broadcast) -> dict:
    return {
        "broadcast": broadcast,
        "actions": sel.allowed_actions(broadcast=broadcast, user=request.user),
        "progress": sel.broadcast_progress(broadcast),
        "preview": sel.broadcast_preview_for(broadcast) if broadcast.status in ("draft", "rejected") else None,
        "csv": sel.csv_summary(broadcast) if broadcast.audience == Audience.CSV else None,
        "report": sel.broadcast_report(broadcast)
        if broadcast.status in (BroadcastStatus.SENDING, BroadcastStatus.DONE, BroadcastStatus.CANCELLED)
        else None,
        "units": broadcast.units.all(),
        "hamlets": broadcast.hamlets.select_related("unit"),
        "states": BroadcastRecipient.State,
        "polling": broadcast.status in (BroadcastStatus.APPROVED, BroadcastStatus.SENDING),
    }


@login_required
@require_GET
def broadcast_detail(request, broadcast_id: int):
    broadcast = _get(request, broadcast_id)
    return render(request, "notifications/broadcasts/detail.html", _detail_context(request, broadcast))


@login_required
@require_GET
def broadcast_progress(request, broadcast_id: int):
    broadcast = _get(request, broadcast_id)
    context = {"broadcast": broadcast, "progress": sel.broadcast_progress(broadcast)}
    context["polling"] = broadcast.status in (BroadcastStatus.APPROVED, BroadcastStatus.SENDING)
    response = render(request, "notifications/broadcasts/_progress.html", context)
    if not context["polling"] and request.headers.get("HX-Request"):
        # Finished: reload the whole page once so the report appears.
        response["HX-Refresh"] = "true"
    return response


_ACTIONS = {
    "submit": lambda r, b: svc.broadcast_submit(
        actor=r.user, broadcast=b, confirm_bad_rows=r.POST.get("confirm_bad_rows") == "on"
    ),
    "approve": lambda r, b: svc.broadcast_approve(actor=r.user, broadcast=b, note=r.POST.get("note", "")),
    "reject": lambda r, b: svc.broadcast_reject(actor=r.user, broadcast=b, note=r.POST.get("note", "")),
    "cancel": lambda r, b: svc.broadcast_cancel(actor=r.user, broadcast=b, note=r.POST.get("note", "")),
}
_DONE = {
    "submit": gettext_lazy("Đã trình lãnh đạo duyệt."),
    "approve": gettext_lazy("Đã duyệt. Thông báo sẽ được gửi đúng giờ."),
    "reject": gettext_lazy("Đã trả lại người soạn."),
    "cancel": gettext_lazy("Đã hủy thông báo; các tin chưa gửi đi sẽ không được gửi."),
}


@login_required
@require_POST
def broadcast_action(request, broadcast_id: int, action: str):
    broadcast = _get(request, broadcast_id)
    if action not in _ACTIONS:
        raise Http404
    run_and_tell(request, lambda: _ACTIONS[action](request, broadcast), _DONE[action])
    return redirect("broadcasts:detail", broadcast_id=broadcast.pk)


@login_required
@require_POST
def broadcast_csv(request, broadcast_id: int):
    broadcast = _get(request, broadcast_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Chọn tệp CSV để tải lên."))
        return redirect("broadcasts:detail", broadcast_id=broadcast.pk)
    try:
        report = svc.broadcast_csv_upload(actor=request.user, broadcast=broadcast, content=upload.read())
    except DomainError as exc:
        messages.error(request, exc.message)
        if isinstance(exc.details, list):
            for row in exc.details[:20]:
                messages.error(
                    request, _("Dòng %(row)s: %(error)s") % {"row": row.get("row"), "error": row.get("error")}
                )
    else:
        counts = report.counts()
        messages.success(
            request,
            _("Đã đọc %(ok)d số hợp lệ; %(bad)d dòng lỗi sẽ không được gửi.")
            % {"ok": counts["ok"], "bad": counts["invalid"] + counts["duplicate"] + counts["opted_out"]},
        )
    return redirect("broadcasts:detail", broadcast_id=broadcast.pk)


@login_required
@require_GET
def broadcast_report_csv(request, broadcast_id: int):
    broadcast = _get(request, broadcast_id)
    response = HttpResponse(sel.report_csv(sel.broadcast_report(broadcast)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-thong-bao-{broadcast.pk}.csv"'
    return response
