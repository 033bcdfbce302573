"""What a dossier owes: its procedure's fee schedule applied to the dossier's own facts.

The schedule comes from the procedure as it stood when the dossier was received (the dossier's
`procedure_snapshot`), falling back to the catalog; `motcua.catalog.fees` says what its lines
mean. The default assessment charges every base line once, the one alternative of each group
that the dossier's facts select (its commune's kind, the applicant kind, the channel) or the
group's default, and no extra. The officer confirms it or changes it: another alternative, an
extra whose condition holds, a line dropped. Each such change is listed in `changes`, and
`payment_request_create` refuses it without a reason, which it records on the request.

Quantities apply to lines charged per copy or page (`per_unit`); exemptions need the person's
category and keep the legal ground; an amount may be typed only for a line whose amount the
province sets. Temporary reductions apply on the assessment day, both end days included.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.fees import (
    ALTERNATIVE,
    BASE,
    Facts,
    area_of_unit_kind,
    default_selection,
    lines_of,
    schedule_of,
    unentered,
    unit_price,
)
from motcua.core.errors import DomainError
from motcua.core.text import fold

from .apply import MAX_AMOUNT

MAX_QUANTITY = 1000
_EXEMPT_LEAD = re.compile(r"\b(?:mien|giam)\b")
# Structure a legacy snapshot line takes from the catalog line of the same name (amounts stay).
_STRUCTURE_KEYS = ("kind", "group", "when", "is_default", "condition", "per_unit", "local", "legal_basis",
                   "exemption_basis")


@dataclass(frozen=True)
class Assessment:
    items: list[dict[str, Any]]
    total: int
    # What differs from the default assessment (Vietnamese, one line each); empty when none.
    changes: list[str] = field(default_factory=list)
    on: datetime.date | None = None


def dossier_facts(dossier) -> Facts:
    """The facts of the dossier that select alternatives: area from the receiving agency's unit,
    organisation or person, online (also assisted submissions, made through the portal) or desk."""
    unit = getattr(getattr(dossier, "receiving_agency", None), "unit", None)
    return Facts(
        area=area_of_unit_kind(getattr(unit, "kind", None)),
        applicant="organisation" if dossier.applicant_organisation_id else "person",
        channel="online" if dossier.channel in ("online", "assisted") else "desk",
    )


def fee_items(dossier) -> list[dict[str, Any]]:
    """The dossier's schedule: normalised lines (see `catalog.fees.lines_of`) plus `reasons`, the
    exemption categories as separate choices."""
    snap = dossier.procedure_snapshot or {}
    if isinstance(snap.get("fees"), list):
        raw = [dict(f) for f in snap["fees"] if isinstance(f, dict)]
        if raw and not any("kind" in f for f in raw):
            # Received before schedules had structure: the catalog's line of the same name tells
            # which lines are alternatives or extras, so old dossiers are not charged every line.
            catalog = {f["name"]: f for f in schedule_of(dossier.procedure)}
            if any(f.get("name") in catalog for f in raw):
                raw = [{**f, **{k: catalog[f["name"]][k] for k in _STRUCTURE_KEYS}} if f.get("name") in catalog
                       else {**f, "kind": BASE} for f in raw]
    else:
        raw = schedule_of(dossier.procedure)
    lines = lines_of(raw)
    for line in lines:
        line["reasons"] = exemption_reasons(line["exemption"])
    return lines


def exemption_reasons(text: str) -> list[str]:
    """Who the exemption text names ("Miễn cho trẻ em, người cao tuổi, …") as separate choices."""
    if not text or not _EXEMPT_LEAD.search(fold(text)):
        return []
    body = re.split(r"(?i)\bmiễn(?:, giảm)?(?: cho)?\b", text, maxsplit=1)
    body = body[1] if len(body) > 1 else text
    body = re.split(r"[.;]", body, maxsplit=1)[0]
    parts = re.split(r",\s*|\s+và các trường hợp khác", body)
    reasons = [p.strip(" :–-") for p in parts if p.strip(" :–-")]
    return [r[:1].upper() + r[1:] for r in reasons if len(r) <= 200]


def positive_int(value, *, code: str, label: str, allow_zero: bool = False) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("%(label)s phải là một số nguyên.") % {"label": label}, code=code)
    if number < 0 or (number == 0 and not allow_zero):
        raise DomainError(_("%(label)s phải lớn hơn 0.") % {"label": label}, code=code)
    if number > MAX_AMOUNT:
        raise DomainError(_("%(label)s quá lớn.") % {"label": label}, code=code)
    return number


def _unresolved_error(lines: list[dict], unresolved: dict[str, list[int]]) -> DomainError:
    names = "; ".join(" / ".join(lines[i]["name"] for i in indexes) for indexes in unresolved.values())
    return DomainError(
        _("Cần chọn một phương án thu cho hồ sơ này: %(names)s.") % {"names": names}, code="fee_choice_required"
    )


def _pick(fees: list[dict], choice) -> dict:
    if not isinstance(choice, dict):
        raise DomainError(_("Danh sách khoản thu không hợp lệ."), code="items_invalid")
    fee = None
    if str(choice.get("index", "")).strip().isdecimal():
        index = int(str(choice["index"]).strip())
        fee = fees[index] if index < len(fees) else None
    elif choice.get("name"):
        fee = next((f for f in fees if f["name"] == choice["name"]), None)
    if fee is None:
        raise DomainError(_("Khoản thu không có trong danh mục phí, lệ phí của thủ tục."), code="fee_item_unknown")
    return fee


def _price(fee: dict, choice: dict, on: datetime.date) -> dict[str, Any]:
    raw = choice.get("quantity")
    quantity = 1 if raw in (None, "") else positive_int(raw, code="quantity_invalid", label=_("Số lượng"))
    if quantity > MAX_QUANTITY:
        raise DomainError(_("Số lượng quá lớn."), code="quantity_invalid")
    if quantity > 1 and not fee["per_unit"]:
        raise DomainError(
            _("Khoản “%(name)s” thu một lần cho mỗi hồ sơ, không tính theo số lượng.") % {"name": fee["name"]},
            code="quantity_not_per_unit",
        )
    unit, reduced = unit_price(fee, on)
    overridden = choice.get("amount") not in (None, "")
    if overridden:
        if not fee["local"]:
            raise DomainError(
                _("Mức thu “%(name)s” do trung ương quy định, không được sửa.") % {"name": fee["name"]},
                code="amount_not_editable",
            )
        unit, reduced = positive_int(choice["amount"], code="amount_invalid", label=_("Số tiền"), allow_zero=True), False
    exempt = bool(choice.get("exempt"))
    if unentered(fee) and not overridden and not exempt:
        raise DomainError(
            _("Khoản “%(name)s” do HĐND tỉnh quy định và chưa có mức thu trong danh mục: cần nhập số tiền.")
            % {"name": fee["name"]},
            code="local_amount_required",
        )
    reason = str(choice.get("exemption") or "").strip()[:255]
    if exempt and not reason:
        raise DomainError(
            _("Cần ghi đối tượng được miễn cho khoản “%(name)s”.") % {"name": fee["name"]},
            code="exemption_reason_required",
        )
    ground = str(choice.get("exemption_basis") or "").strip()[:255] or fee["exemption_basis"] or fee["legal_basis"]
    full = unit * quantity
    return {
        "index": fee["index"], "name": fee["name"], "kind": fee["kind"], "group": fee["group"],
        "condition": fee["condition"], "per_unit": fee["per_unit"], "legal_basis": fee["legal_basis"],
        "list_amount": fee["amount"], "unit_amount": unit, "quantity": quantity, "full_amount": full,
        "amount": 0 if exempt else full, "exempt": exempt, "exemption": reason if exempt else "",
        "exemption_basis": ground if exempt else "", "overridden": overridden, "reduced": reduced,
        "reduction_basis": fee["reduction_basis"] if reduced else "",
    }  # fmt: skip


def assess(*, dossier, choices: list[dict] | None = None, on: datetime.date | None = None) -> Assessment:
    """Price the schedule for `dossier` on day `on` (today). `choices`: [{"index" | "name",
    "quantity", "exempt", "exemption", "exemption_basis", "amount"}]; None takes the default."""
    on = on or timezone.localdate()
    fees = fee_items(dossier)
    selection = default_selection(fees, dossier_facts(dossier))
    if choices is None:
        if selection.unresolved:
            raise _unresolved_error(fees, selection.unresolved)
        choices = [{"index": i} for i in selection.indexes]
    if not isinstance(choices, list | tuple):
        raise DomainError(_("Danh sách khoản thu không hợp lệ."), code="items_invalid")
    items, seen, groups = [], set(), {}
    for choice in choices:
        fee = _pick(fees, choice)
        if fee["index"] in seen:
            raise DomainError(_("Khoản thu “%(name)s” bị lặp.") % {"name": fee["name"]}, code="fee_item_repeated")
        seen.add(fee["index"])
        if fee["kind"] == ALTERNATIVE:
            if fee["group"] in groups:
                raise DomainError(
                    _("“%(a)s” và “%(b)s” là hai phương án loại trừ nhau; chỉ chọn một.")
                    % {"a": groups[fee["group"]]["name"], "b": fee["name"]},
                    code="fee_alternatives_conflict",
                )
            groups[fee["group"]] = fee
        items.append(_price(fee, choice, on))
    changes = []
    default = set(selection.indexes)
    for fee in fees:
        chosen, by_default = fee["index"] in seen, fee["index"] in default
        if fee["kind"] == ALTERNATIVE:
            open_choice = any(fee["index"] in members for members in selection.unresolved.values())
            if by_default and fee["group"] not in groups:
                changes.append(_("Không thu “%(name)s”") % {"name": fee["name"]})
            elif chosen and not by_default and not open_choice:
                changes.append(_("Chọn “%(name)s” thay cho mức mặc định") % {"name": fee["name"]})
        elif by_default and not chosen:
            changes.append(_("Không thu “%(name)s”") % {"name": fee["name"]})
        elif chosen and not by_default:
            changes.append(_("Thu thêm “%(name)s” (%(condition)s)") % fee)
    by_index = {fee["index"]: fee for fee in fees}
    for group, members in selection.unresolved.items():
        if group not in groups:
            # The dossier's data could not pick one and the officer picked none: charging nothing of the
            # group is a change like any other, with its reason.
            names = ", ".join(f"“{by_index[i]['name']}”" for i in members if i in by_index)
            changes.append(_("Không thu phương án nào trong: %(names)s") % {"names": names})
    return Assessment(items=items, total=sum(i["amount"] for i in items), changes=changes, on=on)


def _lump_sum(amount) -> Assessment:
    value = positive_int(amount, code="amount_invalid", label=_("Số tiền"))
    item = {
        "name": _("Phí, lệ phí"), "kind": BASE, "group": "", "condition": "", "per_unit": "", "legal_basis": "",
        "list_amount": value, "unit_amount": value, "quantity": 1, "full_amount": value, "amount": value,
        "exempt": False, "exemption": "", "exemption_basis": "", "overridden": True, "reduced": False,
        "reduction_basis": "",
    }  # fmt: skip
    return Assessment(items=[item], total=value)


def assessment_for(*, dossier, items=None, amount=None) -> Assessment:
    """Items given: assess them (and `amount`, if given too, must agree); only an amount: one lump
    sum line; neither: the default assessment from the schedule."""
    if items not in (None, "", []):
        result = assess(dossier=dossier, choices=items)
        if amount not in (None, "") and positive_int(amount, code="amount_invalid", label=_("Số tiền")) != result.total:
            raise DomainError(_("Số tiền không khớp với tổng các khoản thu."), code="amount_mismatch")
    elif amount not in (None, ""):
        result = _lump_sum(amount)
    else:
        result = assess(dossier=dossier)
    if result.total <= 0:
        raise DomainError(
            _("Không có khoản phí, lệ phí nào phải nộp (đã miễn hết hoặc thủ tục không thu phí)."), code="nothing_due"
        )
    if result.total > MAX_AMOUNT:
        raise DomainError(_("Số tiền quá lớn."), code="amount_invalid")
    return result
