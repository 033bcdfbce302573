"""Citizen pages: submit a dossier online, my dossiers, my inbox (the one inbox: portal messages and
what the channels delivered; /thong-bao/cua-toi/ redirects here)."""

import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError
from motcua.core.models import Agency
from motcua.core.shortcuts import found_or_404
from motcua.dossiers import selectors
from motcua.dossiers.models import FINAL, DeadlineState, DossierStatus, ResultDelivery
from motcua.dossiers.services import intake
from motcua.dossiers.services.inbox import inbox_mark_read
from motcua.notifications.selectors import my_inbox, my_messages

from .answers import answers_form


def _citizen_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.person_id:
            return render(request, "dossiers/portal/not_citizen.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _draft(request, procedure: Procedure):
    ref = request.POST.get("ho_so") or request.GET.get("ho_so")
    if not ref:
        return None
    dossier = found_or_404(intake.dossier_get_for_intake, actor=request.user, ref=ref)
    if dossier.procedure_id != procedure.pk:
        raise Http404
    return dossier


def _agency_choices(procedure: Procedure):
    return Agency.objects.filter(kind=procedure.agency_kind, is_active=True).select_related("unit").order_by("name")


def _form_context(request, procedure: Procedure, draft, *, values=None, error=None, answers=None) -> dict:
    person = request.user.person
    values = values or {}
    if answers is None:
        initial = selectors.form_initial(procedure, person, current=draft)
        answers = answers_form(procedure.form_schema, initial=initial)
    current = {}
    if draft is not None:
        current = {d.required_document_id: d for d in draft.documents.select_related("reused_from__dossier")}
    reusable = list(intake.reusable_documents_for(person))
    documents = [
        {
            "doc": doc,
            "current": current.get(doc.pk),
            "reusable": reusable if doc.reusable_digitised else [],
            "reuse_value": values.get(f"reuse_{doc.pk}", ""),
            "required": doc.is_required and not doc.condition,
        }
        for doc in procedure.documents.all()
    ]
    try:
        auto_agency = intake.dossier_choose_agency(procedure, person.unit)
    except DomainError:
        auto_agency = None
    source = draft or person
    return {
        "procedure": procedure,
        "draft": draft,
        "person": person,
        "documents": documents,
        "phone": values.get("phone", draft.applicant_phone if draft else person.phone),
        "address": values.get("address", draft.applicant_address if draft else person.address),
        "email": values.get("email", draft.applicant_email if draft else person.email),
        "delivery": values.get("result_delivery", draft.result_delivery if draft else ResultDelivery.DESK),
        "delivery_address": values.get("delivery_address", getattr(source, "delivery_address", "")),
        "delivery_choices": ResultDelivery.choices,
        "agency": draft.receiving_agency if draft else auto_agency,
        "agency_value": values.get("agency", ""),
        "agency_choices": _agency_choices(procedure),
        "idempotency_key": values.get("idempotency_key")
        or (draft.idempotency_key if draft and draft.idempotency_key else uuid.uuid4().hex),
        "error": error,
        "answers": answers,
        "upload_max_mb": settings.UPLOAD_MAX_MB,
    }


@_citizen_required
def submit_view(request, procedure_code: str):
    procedure = get_object_or_404(Procedure, code=procedure_code, is_active=True)
    draft = _draft(request, procedure)
    if draft is not None and draft.status != DossierStatus.DRAFT:
        return redirect(draft.get_absolute_url())
    if request.method != "POST":
        return render(request, "dossiers/portal/submit.html", _form_context(request, procedure, draft))

    post = request.POST
    agency = None
    if post.get("agency"):
        agency = Agency.objects.filter(code=post["agency"], is_active=True).first()
    uploads = {}
    reuses = {}
    for doc in procedure.documents.all():
        if f"doc_{doc.pk}" in request.FILES:
            uploads[doc.pk] = request.FILES[f"doc_{doc.pk}"]
        elif post.get(f"reuse_{doc.pk}", "").isdecimal():
            reuses[doc.pk] = int(post[f"reuse_{doc.pk}"])
    submit = post.get("action") == "submit"
    answers = answers_form(procedure.form_schema, data=post)
    try:
        dossier = intake.dossier_online_save(
            actor=request.user,
            procedure=procedure,
            dossier=draft,
            idempotency_key=post.get("idempotency_key"),
            contact=intake.Contact(
                phone=post.get("phone", ""), address=post.get("address", ""), email=post.get("email", "")
            ),
            delivery=intake.Delivery(
                method=post.get("result_delivery", ResultDelivery.DESK), address=post.get("delivery_address", "")
            ),
            agency=agency,
            uploads=uploads,
            reuses=reuses,
            form_data=answers.raw() if answers is not None else None,
            submit=submit,
        )
    except DomainError as exc:
        if answers is not None:
            answers.show_error(exc)
        context = _form_context(request, procedure, draft, values=post, error=exc, answers=answers)
        return render(request, "dossiers/portal/submit.html", context, status=exc.status)
    if dossier.status == DossierStatus.DRAFT:
        messages.success(request, _("Đã lưu bản nháp. Ông/bà có thể tiếp tục bổ sung và nộp sau."))
        return redirect(f"{reverse('dossiers:submit', args=[procedure.code])}?ho_so={dossier.pk}")
    messages.success(
        request,
        _("Đã nộp hồ sơ thành công. Mã hồ sơ của ông/bà là %(code)s. Vui lòng ghi lại mã này để tra cứu.")
        % {"code": dossier.code},
    )
    return redirect(dossier.get_absolute_url())


def _is_overdue(dossier, now) -> bool:
    if dossier.status in FINAL or dossier.status == DossierStatus.RESOLVED:
        return False
    due = dossier.apology_due_at or dossier.due_at
    return dossier.deadline_state == DeadlineState.OVERDUE or bool(due and due < now)


@_citizen_required
def my_list_view(request):
    now = timezone.now()
    rows = [(d, _is_overdue(d, now)) for d in selectors.dossier_list_for_citizen(request.user)[:200]]
    return render(request, "dossiers/portal/my_list.html", {"rows": rows})


@_citizen_required
def inbox_view(request):
    if request.method == "POST":
        message_id = request.POST.get("message")
        inbox_mark_read(user=request.user, message_id=int(message_id) if (message_id or "").isdecimal() else None)
        return redirect("dossiers:inbox")
    inbox = list(my_inbox(request.user)[:200])
    unread = sum(1 for m in inbox if m.read_at is None)
    # The same notices as delivered on the person's channels (SMS, Zalo, e-mail), with their status.
    page = Paginator(my_messages(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "dossiers/portal/inbox.html", {"inbox": inbox, "unread": unread, "page": page})


urlpatterns = [
    path("nop/<str:procedure_code>/", submit_view, name="submit"),
    path("cua-toi/", my_list_view, name="my_list"),
    path("hop-thu/", inbox_view, name="inbox"),
]
