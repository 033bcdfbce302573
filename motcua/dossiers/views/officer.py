"""The officer's dossier page: everything about one dossier and a form per allowed action.

Thin: the selector checks access (404 outside scope), `dossier_act` decides and validates;
a refusal or a bad value comes back as a message on the page, never a 500.
"""

import functools

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.core.decorators import officer_required
from motcua.core.errors import DomainError
from motcua.core.models import Agency, Counter, Role
from motcua.core.shortcuts import run_and_tell
from motcua.core.text import display_name
from motcua.dossiers import selectors
from motcua.dossiers.models import ApologyLetter, DocumentKind, ResultDelivery
from motcua.dossiers.services.deadlines import apology_send
from motcua.dossiers.services.results import (
    dossier_result_upload,
    result_needs_signature,
    result_signature_of,
    result_upload_allowed,
)
from motcua.dossiers.services.workflow import (
    allowed_actions,
    dossier_act,
    dossier_get_for_action,
    officers_for,
)
from motcua.dossiers.workflow_table import ACTION_LABELS, ALL_ACTIONS

_textarea = forms.Textarea(attrs={"rows": 2})


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, widget=_textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do"), required=False, widget=_textarea)


class SupplementRequestForm(forms.Form):
    items = forms.CharField(
        label=gettext_lazy("Nội dung cần bổ sung (mỗi dòng một nội dung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, widget=_textarea)


class AppraiseForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Ý kiến thẩm định"), required=False, widget=_textarea)
    proposal = forms.ChoiceField(
        label=gettext_lazy("Đề xuất"),
        required=False,
        choices=[("approve", gettext_lazy("Đề nghị giải quyết")), ("refuse", gettext_lazy("Đề nghị từ chối"))],
    )


class FeesPaidForm(forms.Form):
    receipt_number = forms.CharField(label=gettext_lazy("Số biên lai"), required=False, max_length=64)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, widget=_textarea)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=gettext_lazy("Cán bộ"), required=False)
    reason = forms.CharField(label=gettext_lazy("Lý do (khi phân công lại)"), required=False, widget=_textarea)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = {}
        if dossier is not None:
            for role in (Role.SPECIALIST, Role.LEADER, Role.RECEPTIONIST):
                for user in officers_for(dossier, role):
                    people.setdefault(user.pk, display_name(user))
        self.fields["assignee"].choices = [("", "—"), *people.items()]


class TransferForm(forms.Form):
    agency = forms.ChoiceField(label=gettext_lazy("Chuyển đến cơ quan"), required=False)
    reason = forms.CharField(label=gettext_lazy("Lý do chuyển"), required=False, widget=_textarea)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).order_by("name")
        if dossier is not None and dossier.current_agency_id:
            agencies = agencies.exclude(pk=dossier.current_agency_id)
        self.fields["agency"].choices = [("", "—"), *agencies.values_list("pk", "name")[:500]]


class ApproveForm(NoteForm):
    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossier is not None and result_needs_signature(dossier):
            self.fields["note"].help_text = _(
                "Khi phê duyệt, tệp kết quả được ký số bằng chứng thư của ông/bà"
                "%(seal)s. Cần có tệp kết quả (PDF) đính kèm và chứng thư số còn hiệu lực."
            ) % {"seal": _(" và con dấu số của cơ quan") if result_signature_of(dossier) == "leader_and_seal" else ""}


class ReturnForm(forms.Form):
    mode = forms.ChoiceField(label=gettext_lazy("Hình thức trả"), choices=ResultDelivery.choices)
    collector_personal_id = forms.CharField(
        label=gettext_lazy("Số định danh người nhận (trả tại quầy)"), required=False, max_length=14
    )
    collector_name = forms.CharField(label=gettext_lazy("Họ tên người nhận thay"), required=False, max_length=120)
    authorisation = forms.CharField(label=gettext_lazy("Giấy ủy quyền (số, ngày)"), required=False, max_length=255)
    tracking_number = forms.CharField(
        label=gettext_lazy("Số vận đơn (trả qua bưu chính)"), required=False, max_length=64
    )
    result_document = forms.ChoiceField(label=gettext_lazy("Tệp kết quả (trả bản điện tử)"), required=False)
    counter = forms.ChoiceField(label=gettext_lazy("Quầy trả kết quả"), required=False)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, widget=_textarea)
    # Only for a result that must be signed and is not: an explicit, recorded decision (step hook in signing).
    unsigned_paper = forms.BooleanField(label=gettext_lazy("Trả kết quả bản giấy, không ký số"), required=False)
    unsigned_reason = forms.CharField(
        label=gettext_lazy("Lý do trả bản giấy không ký số"), required=False, max_length=500, widget=_textarea
    )

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        docs = dossier.documents.filter(kind=DocumentKind.RESULT) if dossier is not None else []
        self.fields["result_document"].choices = [("", "—"), *((d.pk, d.name) for d in docs)]
        counters = []
        if dossier is not None:
            agencies = [a for a in (dossier.receiving_agency_id, dossier.current_agency_id) if a]
            counters = Counter.objects.filter(office__agency_id__in=agencies, is_active=True).order_by("number")
        self.fields["counter"].choices = [("", "—"), *((c.pk, f"{c.number} – {c.name}") for c in counters)]
        if dossier is not None:
            self.fields["mode"].initial = dossier.result_delivery
        if dossier is None or not result_needs_signature(dossier):
            # Only a result that must be signed needs the explicit "unsigned paper" decision.
            del self.fields["unsigned_paper"], self.fields["unsigned_reason"]


ACTION_FORMS = {
    "receive": NoteForm,
    "refuse_intake": ReasonForm,
    "request_supplement": SupplementRequestForm,
    "supplement": NoteForm,
    "withdraw": ReasonForm,
    "appraise": AppraiseForm,
    "forward": NoteForm,
    "send_back": ReasonForm,
    "approve": ApproveForm,
    "refuse_after_appraisal": ReasonForm,
    "fees_paid": FeesPaidForm,
    "stop": ReasonForm,
    "assign": AssignForm,
    "reassign": AssignForm,
    "transfer": TransferForm,
    "transfer_back": NoteForm,
    "result_ready": NoteForm,
    "return_result": ReturnForm,
}
_NEEDS_DOSSIER = {AssignForm, TransferForm, ReturnForm, ApproveForm}


def action_form_register(action: str, form_class: type[forms.Form], *, needs_dossier: bool = False) -> None:
    """The form for `action` on this page, given by an app above dossiers from its AppConfig.ready
    (the fee form of `request_fees` belongs to payments). `needs_dossier`: built with `dossier=`."""
    ACTION_FORMS[action] = form_class
    if needs_dossier:
        _NEEDS_DOSSIER.add(form_class)


def _form(action: str, dossier, data=None):
    form_class = ACTION_FORMS.get(action, NoteForm)
    kwargs = {"dossier": dossier} if form_class in _NEEDS_DOSSIER else {}
    return form_class(data, prefix=action, **kwargs)


def officer_dossier_page(view):
    """`view(request, code, dossier=…)` for the dossier `code` the signed-in officer may act on: the
    sign-in page for anyone signed out, 404 for citizens and for dossiers outside the officer's work."""

    @officer_required
    @functools.wraps(view)
    def wrapped(request, code: str, **kwargs):
        try:
            dossier = dossier_get_for_action(request.user, code)
        except DomainError:
            raise Http404
        return view(request, code, dossier=dossier, **kwargs)

    return wrapped


@require_GET
@officer_dossier_page
def officer_detail(request, code: str, *, dossier):
    context = selectors.dossier_detail_context(dossier, public_only=False)
    actions = [(a, ACTION_LABELS[a], _form(a, dossier)) for a in allowed_actions(dossier=dossier, actor=request.user)]
    apology = ApologyLetter.objects.filter(dossier=dossier).first()
    context.update(
        {
            "dossier": dossier,
            "actions": actions,
            "apology": apology,
            "documents": selectors.dossier_documents_for(request.user, dossier),
            "can_upload_result": result_upload_allowed(dossier=dossier, actor=request.user),
        }
    )
    return render(request, "dossiers/officer/detail.html", context)


@require_POST
@officer_dossier_page
def officer_act(request, code: str, action: str, *, dossier):
    if action not in ALL_ACTIONS:
        raise Http404
    form = _form(action, dossier, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("dossiers:officer_detail", code=code)
    params = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
    run_and_tell(
        request,
        lambda: dossier_act(dossier=dossier, actor=request.user, action=action, **params),
        _("Đã thực hiện: %(label)s.") % {"label": ACTION_LABELS[action]},
    )
    return redirect("dossiers:officer_detail", code=code)


@require_POST
@officer_dossier_page
def officer_apology_send(request, code: str, *, dossier):
    run_and_tell(
        request,
        lambda: apology_send(dossier=dossier, actor=request.user),
        _("Đã gửi phiếu xin lỗi và hẹn lại ngày trả kết quả cho người nộp."),
    )
    return redirect("dossiers:officer_detail", code=code)


@require_POST
@officer_dossier_page
def officer_result_upload(request, code: str, *, dossier):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Vui lòng chọn tệp PDF kết quả để tải lên."))
        return redirect("dossiers:officer_detail", code=code)
    run_and_tell(
        request,
        lambda: dossier_result_upload(
            actor=request.user, dossier=dossier, upload=upload, name=request.POST.get("name", "")[:500]
        ),
        lambda document: _("Đã đính kèm tệp kết quả: %(name)s.") % {"name": document.name},
    )
    return redirect("dossiers:officer_detail", code=code)


_CODE = selectors.CODE_PATTERN
urlpatterns = [
    re_path(rf"^can-bo/(?P<code>{_CODE})/$", officer_detail, name="officer_detail"),
    re_path(rf"^can-bo/(?P<code>{_CODE})/thao-tac/(?P<action>[a-z_]+)/$", officer_act, name="officer_act"),
    re_path(rf"^can-bo/(?P<code>{_CODE})/xin-loi/gui/$", officer_apology_send, name="officer_apology_send"),
    re_path(rf"^can-bo/(?P<code>{_CODE})/ket-qua/$", officer_result_upload, name="officer_result_upload"),
]
