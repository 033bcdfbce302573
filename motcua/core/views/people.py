"""Officer pages for people: list with search, detail, and a create form with the chip-card QR box."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.core import scope, selectors
from motcua.core.decorators import officer_required
from motcua.core.errors import DomainError, NotFound
from motcua.core.errors import PermissionDenied as DomainPermissionDenied
from motcua.core.forms_accounts import PersonForm, apply_field_errors
from motcua.core.identity import parse_chip_qr
from motcua.core.services import accounts as services


@officer_required(forbidden=True)
def person_list_view(request):
    q = request.GET.get("q", "").strip()[:100]
    reason = request.GET.get("reason", "").strip()[:1000]
    context = {"q": q, "reason": reason, "wide": scope.has_wide_person_view(request.user), "reason_error": ""}
    try:
        people = selectors.person_list_for(request.user, q=q, reason=reason, via="page")
    except DomainError as exc:
        context["reason_error"] = exc.message
        people = selectors.person_list_for(request.user, q=q)
    context["page"] = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(request, "core/person_list.html", context)


@officer_required(forbidden=True)
def person_detail_view(request, pk: int):
    """A person's record; outside the officer's work, a wide-view holder states a reason first."""
    reason = request.GET.get("reason", "").strip()[:1000]
    try:
        person = selectors.person_get_for(request.user, pk, reason=reason, via="page")
    except NotFound:
        raise Http404
    except DomainError as exc:
        context = {"pk": pk, "reason": reason, "reason_error": exc.message if reason else ""}
        return render(request, "core/person_reason.html", context, status=403)
    return render(request, "core/person_detail.html", {"person": person})


def _prefill_from_qr(form: PersonForm, text: str) -> PersonForm:
    """A form re-shown with the card's fields filled in (for when the page's script is off)."""
    try:
        card = parse_chip_qr(text)
    except ValidationError as exc:
        form.is_valid()  # so that the error list exists
        form.errors.clear()
        form.add_error("chip_qr", exc.messages)
        return form
    values = {
        "personal_id": card.personal_id,
        "old_id": card.old_id,
        "full_name": card.full_name,
        "date_of_birth": card.date_of_birth.isoformat() if card.date_of_birth else "",
        "sex": card.sex,
        "address": card.address,
        "id_issued_on": card.issued_on.isoformat() if card.issued_on else "",
        "chip_qr": "",
        # Keep what the officer already chose: the card does not say which commune they live in.
        "unit": form.data.get("unit"),
        "hamlet": form.data.get("hamlet"),
        "phone": form.data.get("phone", ""),
        "email": form.data.get("email", ""),
    }
    return PersonForm(initial=values, units=form.fields["unit"].queryset)


@officer_required(forbidden=True)
def person_create_view(request):
    units = selectors.person_scope_units_for(request.user)
    if request.method != "POST":
        return render(request, "core/person_form.html", {"form": PersonForm(units=units)})
    form = PersonForm(request.POST, units=units)
    qr_text = request.POST.get("chip_qr", "").strip()
    if qr_text:
        form = _prefill_from_qr(form, qr_text)
        if not form.is_bound:
            messages.info(request, _("Đã điền thông tin từ mã QR. Hãy kiểm tra, chọn nơi cư trú rồi bấm Lưu."))
        return render(request, "core/person_form.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        data.pop("chip_qr", None)
        try:
            person = services.person_create(actor=request.user, **data)
        except DomainPermissionDenied as exc:
            form.add_error("unit", exc.message)
        except DomainError as exc:
            if not apply_field_errors(form, exc.details):
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thêm công dân %(name)s.") % {"name": person.full_name})
            return redirect("core:person_detail", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form})
