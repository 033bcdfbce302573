"""Desk intake pages for receptionists: find or create the person, take the papers, decide on the
spot (receive / request supplement / refuse), print the slip."""

import datetime
import uuid
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path, reverse

from motcua.catalog.models import AgencyLevel, Procedure
from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import parse_chip_qr
from motcua.core.models import AgencyKind, Person, Sex
from motcua.core.selectors import (
    person_find_by_card,
    person_get_at_counter,
    person_list_for,
    person_scope_units_for,
)
from motcua.core.services.accounts import person_create
from motcua.core.shortcuts import found_or_404
from motcua.dossiers import selectors
from motcua.dossiers.models import Channel, Dossier, DossierStatus, ResultDelivery
from motcua.dossiers.services.intake import Contact, Delivery
from motcua.dossiers.services.intake_desk import DeskPaper, dossier_desk_intake, receptionist_agencies

from .answers import answers_form

# The printable form that goes with each outcome (slugs of motcua.dossiers.forms_pdf.FORMS).
OUTCOME_FORMS = {
    DossierStatus.RECEIVED: "giay-tiep-nhan",
    DossierStatus.PROCESSING: "giay-tiep-nhan",
    DossierStatus.RESOLVED: "giay-tiep-nhan",
    DossierStatus.SUPPLEMENT_REQUESTED: "yeu-cau-bo-sung",
    DossierStatus.NOT_RECEIVED: "tu-choi",
}


def _receptionist_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        agencies = list(receptionist_agencies(request.user))
        if not agencies:
            raise Http404
        return view(request, agencies, *args, **kwargs)

    return wrapper


def _procedures_for(agencies):
    kinds = {a.kind for a in agencies}
    condition = Q(agency_kind__in=kinds)
    if AgencyKind.PROVINCE_CENTRE in kinds:
        condition |= Q(level=AgencyLevel.PROVINCE)
    return Procedure.objects.filter(condition, is_active=True).order_by("name")


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _find(request) -> dict:
    """People matching the search box, or the chip-card QR text read by the scanner."""
    q = request.GET.get("q", "").strip()[:200]
    result: dict = {"q": q, "people": [], "qr": None, "qr_error": ""}
    if not q:
        return result
    if "|" in q:
        try:
            card = parse_chip_qr(q)
        except ValidationError as exc:
            result["qr_error"] = " ".join(exc.messages)
            return result
        result["qr"] = card
        result["people"] = list(person_list_for(request.user, q=card.personal_id)[:5]) or _by_card(
            request, card.personal_id
        )
        return result
    result["people"] = list(person_list_for(request.user, q=q)[:20]) or _by_card(request, q)
    return result


def _by_card(request, personal_id: str) -> list:
    """The holder of a complete card number, for a desk whose people list does not reach them."""
    person = person_find_by_card(request.user, personal_id)
    return [person] if person else []


def _person_link(person) -> str:
    """The intake page for a person; the card number lets a desk with no area reopen it."""
    query = {"person": person.pk, **({"cccd": person.personal_id} if person.personal_id else {})}
    return f"{reverse('dossiers:desk_intake')}?{urlencode(query)}"


_PERSON_FIELDS = (
    "full_name",
    "personal_id",
    "date_of_birth",
    "sex",
    "phone",
    "address",
    "unit",
    "old_id",
    "id_issued_on",
)


def _prefill(post, card) -> dict:
    """The new-person form's values: what was typed, else what the chip-card QR said."""
    values = dict.fromkeys(_PERSON_FIELDS, "")
    if card is not None:
        values.update(
            {
                "full_name": card.full_name,
                "personal_id": card.personal_id,
                "sex": card.sex,
                "address": card.address,
                "old_id": card.old_id,
                "date_of_birth": card.date_of_birth.isoformat() if card.date_of_birth else "",
                "id_issued_on": card.issued_on.isoformat() if card.issued_on else "",
            }
        )
    values.update({k: post[k] for k in _PERSON_FIELDS if post.get(k)})
    return values


def _create_person(request):
    post = request.POST
    unit = person_scope_units_for(request.user).filter(pk=post.get("unit") or 0).first()
    return person_create(
        actor=request.user,
        full_name=post.get("full_name", ""),
        unit=unit,
        personal_id=post.get("personal_id", ""),
        old_id=post.get("old_id", ""),
        date_of_birth=_date(post.get("date_of_birth", "")),
        sex=post.get("sex", ""),
        phone=post.get("phone", ""),
        address=post.get("address", ""),
        id_issued_on=_date(post.get("id_issued_on", "")),
    )


def _intake(request, agencies, person: Person, procedure: Procedure, answers) -> Dossier:
    post = request.POST
    agency = next((a for a in agencies if a.code == post.get("agency")), agencies[0])
    papers = [
        DeskPaper(
            required_document_id=doc.pk,
            received=post.get(f"paper_{doc.pk}") == "on",
            upload=request.FILES.get(f"scan_{doc.pk}"),
        )
        for doc in procedure.documents.all()
    ]
    return dossier_desk_intake(
        actor=request.user,
        procedure=procedure,
        person=person,
        agency=agency,
        papers=papers,
        outcome=post.get("outcome", ""),
        supplement_items=post.get("supplement_items", "").splitlines(),
        refusal_reason=post.get("refusal_reason", ""),
        channel=Channel.POST if post.get("channel") == Channel.POST else Channel.COUNTER,
        contact=Contact(phone=post.get("phone", "")),
        delivery=Delivery(
            method=post.get("result_delivery", ResultDelivery.DESK), address=post.get("delivery_address", "")
        ),
        idempotency_key=post.get("idempotency_key"),
        form_data=answers.raw() if answers is not None else None,
    )


@_receptionist_required
def desk_intake_view(request, agencies):
    context: dict = {
        "agencies": agencies,
        "units": person_scope_units_for(request.user),
        "sexes": Sex.choices,
        "procedures": _procedures_for(agencies),
        "channels": [Channel.COUNTER, Channel.POST],
        "channel_labels": dict(Channel.choices),
        "deliveries": ResultDelivery.choices,
        "error": None,
        "values": request.POST if request.method == "POST" else {},
    }
    person = procedure = None
    try:
        if request.GET.get("person"):
            person = person_get_at_counter(request.user, request.GET["person"], personal_id=request.GET.get("cccd"))
    except NotFound:
        raise Http404
    if request.GET.get("procedure"):
        procedure = get_object_or_404(context["procedures"], code=request.GET["procedure"])
    answers = None
    if person is not None and procedure is not None:
        if request.method == "POST":
            answers = answers_form(procedure.form_schema, data=request.POST)
        else:
            answers = answers_form(procedure.form_schema, initial=selectors.form_initial(procedure, person))

    if request.method == "POST":
        try:
            if request.POST.get("action") == "create_person":
                created = _create_person(request)
                return redirect(_person_link(created))
            if person is None or procedure is None:
                raise Http404
            dossier = _intake(request, agencies, person, procedure, answers)
            return redirect("dossiers:desk_result", code=dossier.code)
        except DomainError as exc:
            context["error"] = exc
            status = exc.status
            if answers is not None:
                answers.show_error(exc)
    else:
        status = 200
    context["answers"] = answers
    if person is None:
        context.update(_find(request))
        # A link may pre-fill the new-person form (the queue desk passes the ticket's phone).
        context["prefill"] = _prefill(request.POST if request.method == "POST" else request.GET, context.get("qr"))
    context.update(
        {
            "person": person,
            "procedure": procedure,
            "documents": [
                {"doc": doc, "checked": request.POST.get(f"paper_{doc.pk}") == "on"}
                for doc in (procedure.documents.all() if procedure else [])
            ],
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        }
    )
    return render(request, "dossiers/desk/intake.html", context, status=status)


@_receptionist_required
def desk_result_view(request, agencies, code: str):
    dossier = found_or_404(selectors.dossier_get_for, request.user, code)
    form = OUTCOME_FORMS.get(dossier.status)
    return render(
        request,
        "dossiers/desk/result.html",
        {
            "dossier": dossier,
            "form_slug": form,
            "documents": dossier.documents.select_related("required_document"),
        },
    )


urlpatterns = [
    path("mot-cua/tiep-nhan/", desk_intake_view, name="desk_intake"),
    re_path(rf"^mot-cua/tiep-nhan/(?P<code>{selectors.CODE_PATTERN})/$", desk_result_view, name="desk_result"),
]
