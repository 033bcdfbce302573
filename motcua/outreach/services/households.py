"""Households: editing one household (details, members) by the team that covers it, or the
commune's leaders. Importing many from CSV is in `household_import.py`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import normalize_phone, validate_personal_id
from motcua.core.models import Hamlet, Person, User
from motcua.core.text import fold
from motcua.core.transitions import audit_record

from ..models import Household, HouseholdMember
from ..selectors.area import outreach_area_for
from ..selectors.households import household_editable_by, household_get_for


def _editable_household(actor: User, household_id: int) -> Household:
    household = household_get_for(actor, household_id)
    if not household_editable_by(actor, household):
        raise NotFound(code="household_not_found")
    return Household.objects.select_for_update().get(pk=household.pk)


def household_update(
    *,
    actor: User,
    household_id: int,
    head_name: str,
    address: str,
    phone: str = "",
    member_count: int | None = None,
    is_business: bool = False,
    hamlet_id: int | None = None,
) -> Household:
    """Correct a household's head name, address, phone, size or hamlet (within the editor's area)."""
    errors: dict[str, list[str]] = {}
    head_name = " ".join((head_name or "").split())
    address = " ".join((address or "").split())
    if not head_name:
        errors.setdefault("head_name", []).append(_("Thiếu họ tên chủ hộ."))
    if not address:
        errors.setdefault("address", []).append(_("Thiếu địa chỉ."))
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.messages)
    if member_count is not None and not 1 <= member_count <= 99:
        errors.setdefault("member_count", []).append(_("Số nhân khẩu phải là số từ 1 đến 99."))
    if errors:
        raise DomainError(
            _("Thông tin hộ chưa hợp lệ."), code="invalid_household", status=422, details={"fields": errors}
        )
    with transaction.atomic():
        household = _editable_household(actor, household_id)
        fields = {"head_name": head_name[:120], "address": address[:255], "phone": phone, "is_business": is_business}
        if member_count is not None:
            fields["member_count"] = member_count
        if hamlet_id and hamlet_id != household.hamlet_id:
            hamlet = Hamlet.objects.filter(pk=hamlet_id, unit_id=household.unit_id).first()
            area = outreach_area_for(actor)
            if hamlet is None or not (
                area.everything or hamlet.unit_id in area.unit_ids or hamlet.pk in area.hamlet_ids
            ):
                raise DomainError(
                    _("Ấp, khóm không thuộc địa bàn được phân công phụ trách."), code="hamlet_outside_area", status=422
                )
            fields["hamlet"] = hamlet
        identity = f"{fold(head_name)}|{fold(address)}"
        if Household.objects.filter(identity_folded=identity).exclude(pk=household.pk).exists():
            raise DomainError(_("Đã có hộ khác cùng họ tên chủ hộ và địa chỉ."), code="household_duplicate", status=409)
        for name, value in fields.items():
            setattr(household, name, value)
        household.save(update_fields=[*fields.keys(), "updated_at"])
        HouseholdMember.objects.filter(household=household, is_head=True).update(full_name=household.head_name)
        audit_record(actor=actor, action="outreach.household_updated", obj=household, data={"fields": sorted(fields)})
    return household


def household_member_add(
    *, actor: User, household_id: int, full_name: str, personal_id: str = "", phone: str = "", relation: str = ""
) -> HouseholdMember:
    """Add a person to a household (a newborn, someone who moved in)."""
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise DomainError(_("Thiếu họ tên thành viên."), code="member_name_required", status=422)
    try:
        personal_id = validate_personal_id(personal_id) if personal_id.strip() else ""
        phone = normalize_phone(phone) if phone.strip() else ""
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_member", status=422)
    with transaction.atomic():
        household = _editable_household(actor, household_id)
        if personal_id and household.members.filter(personal_id=personal_id).exists():
            raise DomainError(_("Người này đã có trong hộ."), code="member_duplicate", status=409)
        member = HouseholdMember.objects.create(
            household=household,
            full_name=full_name[:120],
            personal_id=personal_id,
            phone=phone,
            relation=relation.strip()[:40],
            person=Person.objects.filter(personal_id=personal_id).first() if personal_id else None,
        )
        count = household.members.count()
        if count > household.member_count:
            household.member_count = count
            household.save(update_fields=["member_count", "updated_at"])
        audit_record(actor=actor, action="outreach.household_member_added", obj=household, data={"member": member.pk})
    return member


def household_member_remove(*, actor: User, household_id: int, member_id: int) -> None:
    """Remove a member (moved away). The head stays: change the head's name instead."""
    with transaction.atomic():
        household = _editable_household(actor, household_id)
        member = household.members.filter(pk=member_id).first()
        if member is None:
            raise NotFound(code="member_not_found")
        if member.is_head:
            raise DomainError(_("Không xóa được chủ hộ."), code="member_is_head", status=409)
        member.delete()
        audit_record(actor=actor, action="outreach.household_member_removed", obj=household, data={"member": member_id})
