"""A procedure's fee schedule as the law writes it, and the choices it leaves.

A schedule is a list of lines (`FeeItem` rows, or the same dicts in a dossier's snapshot):

- a **base** line always applies (once, or per copy/page when `per_unit` names the unit);
- **alternative** lines share a `group`: exactly one of them applies. `when` says which facts of
  the dossier select it (tokens, any of: `urban` ward / `rural` commune / `special_zone`;
  `person` / `organisation`; `online` / `desk`); `is_default` marks the one taken when the
  dossier's facts leave several open (no two defaults of a group may match the same dossier);
- an **extra** line applies only when its `condition` is chosen (by the officer or applicant);
  it is never charged by default.

An amount the provincial People's Council sets (`local`) may be 0 while the resolution is not
entered: it is then shown as "theo quy định của HĐND tỉnh", never as free. A temporary reduction
(`reduced_amount` from `reduced_from` to `reduced_until`, both days included) replaces the amount
on those days.

Both the catalog page headline and the payments assessment read the schedule through this module,
so the page and the bill cannot disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.text import fold, format_vnd

BASE, ALTERNATIVE, EXTRA = "base", "alternative", "extra"
KINDS = (BASE, ALTERNATIVE, EXTRA)
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "area": ("urban", "rural", "special_zone"),
    "applicant": ("person", "organisation"),
    "channel": ("online", "desk"),
}
TOKENS = {token: dim for dim, tokens in DIMENSIONS.items() for token in tokens}
LINE_KEYS = (
    "name", "amount", "kind", "group", "when", "is_default", "condition", "per_unit", "local", "legal_basis",
    "exemption", "exemption_basis", "reduced_amount", "reduced_from", "reduced_until", "reduction_basis",
)  # fmt: skip
# Legacy lines (before the schedule had structure) said "HĐND" in their text, or had no amount.
_LOCAL_MARKERS = ("hdnd", "hoi dong nhan dan", "dia phuong quy dinh", "do tinh quy dinh", "theo quy dinh cua tinh")
# The unit kinds (core.UnitKind values) that decide the area of a dossier.
_AREA_OF_UNIT_KIND = {"ward": "urban", "commune": "rural", "special_zone": "special_zone"}


@dataclass(frozen=True)
class Facts:
    """What the dossier itself says about the choices a schedule leaves (None: not known)."""

    area: str | None = None
    applicant: str | None = None
    channel: str | None = None

    def get(self, dimension: str) -> str | None:
        return getattr(self, dimension)


def area_of_unit_kind(kind: str | None) -> str | None:
    return _AREA_OF_UNIT_KIND.get(kind or "")


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def lines_of(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Normalised lines with their `index`. Legacy lines (no `kind`) keep working: one named
    "(nộp trực tiếp)" / "(nộp trực tuyến)" is a channel alternative, a "HĐND" one is local."""
    legacy = not any("kind" in line for line in raw)
    lines = []
    for index, line in enumerate(raw):
        name = str(line.get("name") or "")
        amount = int(line.get("amount") or 0)
        out = {
            "index": index,
            "name": name,
            "amount": amount,
            "kind": line.get("kind") if line.get("kind") in KINDS else BASE,
            "group": str(line.get("group") or ""),
            "when": " ".join(str(line.get("when") or "").split()),
            "is_default": bool(line.get("is_default")),
            "condition": str(line.get("condition") or ""),
            "per_unit": str(line.get("per_unit") or ""),
            "local": bool(line.get("local")),
            "legal_basis": str(line.get("legal_basis") or ""),
            "exemption": str(line.get("exemption") or ""),
            "exemption_basis": str(line.get("exemption_basis") or ""),
            "reduced_amount": None if line.get("reduced_amount") in (None, "") else int(line["reduced_amount"]),
            "reduced_from": _date(line.get("reduced_from")),
            "reduced_until": _date(line.get("reduced_until")),
            "reduction_basis": str(line.get("reduction_basis") or ""),
        }
        # Lines written without structure (old snapshots, hand-made rows) still say what they are:
        # "(nộp trực tuyến)" / "(nộp trực tiếp)" is a channel alternative, "HĐND" a local amount.
        if out["kind"] == BASE and not out["group"]:
            for marker, token in (("nop truc tuyen", "online"), ("nop truc tiep", "desk")):
                if marker in fold(name):
                    out.update(kind=ALTERNATIVE, group="channel", when=token, is_default=token == "desk")
        folded = fold(f"{name} {out['exemption']}")
        out["local"] = out["local"] or any(m in folded for m in _LOCAL_MARKERS) or (legacy and amount == 0)
        lines.append(out)
    return lines


def schedule_problems(lines: list[dict[str, Any]]) -> list[str]:
    """What makes a schedule impossible to apply (Vietnamese messages; empty when it is sound)."""
    problems = []
    groups: dict[str, list[dict]] = {}
    for line in lines:
        label = line["name"] or f"#{line['index'] + 1}"
        if line["kind"] == ALTERNATIVE:
            if not line["group"]:
                problems.append(_("Khoản “%(name)s” là phương án nhưng không có nhóm.") % {"name": label})
            groups.setdefault(line["group"], []).append(line)
        elif line["group"] or line["is_default"]:
            problems.append(_("Chỉ khoản thuộc nhóm phương án mới có nhóm, mặc định: “%(name)s”.") % {"name": label})
        if line["kind"] == EXTRA and not line["condition"]:
            problems.append(_("Khoản phát sinh “%(name)s” cần ghi trường hợp áp dụng.") % {"name": label})
        unknown = [t for t in line["when"].split() if t not in TOKENS]
        if unknown:
            problems.append(_("Điều kiện không hợp lệ ở khoản “%(name)s”: %(tokens)s.")
                            % {"name": label, "tokens": ", ".join(unknown)})
        if line["when"] and line["kind"] != ALTERNATIVE:
            problems.append(_("Chỉ phương án mới có điều kiện chọn: “%(name)s”.") % {"name": label})
        if line["reduced_amount"] is not None:
            if line["reduced_until"] is None:
                problems.append(_("Mức giảm của “%(name)s” cần ngày hết hạn.") % {"name": label})
            elif line["reduced_from"] and line["reduced_from"] > line["reduced_until"]:
                problems.append(_("Thời gian giảm của “%(name)s” không hợp lệ.") % {"name": label})
            if line["reduced_amount"] > line["amount"]:
                problems.append(_("Mức giảm của “%(name)s” lớn hơn mức thu.") % {"name": label})
            if not line["reduction_basis"]:
                problems.append(_("Mức giảm của “%(name)s” cần căn cứ pháp lý.") % {"name": label})
        if line["exemption_basis"] and not line["exemption"]:
            problems.append(_("Khoản “%(name)s” có căn cứ miễn nhưng không ghi đối tượng miễn.") % {"name": label})
    for key, members in groups.items():
        if len(members) < 2:
            problems.append(_("Nhóm phương án “%(group)s” chỉ có một khoản.") % {"group": key})
        defaults = [m for m in members if m["is_default"]]
        if any(_overlap(a, b) for i, a in enumerate(defaults) for b in defaults[i + 1:]):
            problems.append(_("Nhóm phương án “%(group)s” có hai khoản mặc định cho cùng một trường hợp.")
                            % {"group": key})
    return problems


def _tokens(line: dict) -> dict[str, set[str]]:
    by_dim: dict[str, set[str]] = {}
    for token in line["when"].split():
        by_dim.setdefault(TOKENS.get(token, "?"), set()).add(token)
    return by_dim


def _overlap(a: dict, b: dict) -> bool:
    """Some dossier could match both lines (then both cannot be its group's default)."""
    ta, tb = _tokens(a), _tokens(b)
    return all(not ta.get(dim) or not tb.get(dim) or ta[dim] & tb[dim] for dim in DIMENSIONS)


def _open(line: dict, facts: Facts) -> bool:
    """The line is not ruled out by a fact the dossier knows."""
    by_dim = _tokens(line)
    return all(facts.get(dim) is None or facts.get(dim) in tokens for dim, tokens in by_dim.items() if dim != "?")


@dataclass(frozen=True)
class Selection:
    indexes: list[int]  # the lines charged by default, in schedule order
    unresolved: dict[str, list[int]]  # group -> the lines still open, when the facts pick none


def default_selection(lines: list[dict[str, Any]], facts: Facts) -> Selection:
    """Every base line, the one alternative per group the facts determine (or the group's default),
    and no extra."""
    chosen, unresolved = [], {}
    groups: dict[str, list[dict]] = {}
    for line in lines:
        if line["kind"] == BASE:
            chosen.append(line["index"])
        elif line["kind"] == ALTERNATIVE:
            groups.setdefault(line["group"], []).append(line)
    for key, members in groups.items():
        candidates = [m for m in members if _open(m, facts)] or members
        defaults = [m for m in candidates if m["is_default"]]
        if len(candidates) == 1:
            chosen.append(candidates[0]["index"])
        elif len(defaults) == 1:
            chosen.append(defaults[0]["index"])
        else:
            unresolved[key] = [m["index"] for m in candidates]
    return Selection(indexes=sorted(chosen), unresolved=unresolved)


def unit_price(line: dict[str, Any], on: datetime.date) -> tuple[int, bool]:
    """The amount of one unit of the line on day `on`, and whether a temporary reduction gave it."""
    reduced = line["reduced_amount"]
    until, start = line["reduced_until"], line["reduced_from"]
    if reduced is not None and until is not None and on <= until and (start is None or on >= start):
        return reduced, True
    return line["amount"], False


def unentered(line: dict[str, Any]) -> bool:
    """Set by the provincial council and the resolution's amount not entered yet."""
    return line["local"] and not line["amount"]


def headline(raw: list[dict[str, Any]], on: datetime.date) -> dict[str, Any]:
    """What the catalog shows first: {"text", "min", "max", "local", "extras"} from the schedule.

    The range runs over the alternatives (each group's cheapest to dearest) plus the base lines,
    one unit each; extras are mentioned, not added.
    """
    lines = lines_of(raw)
    extras = [line for line in lines if line["kind"] == EXTRA]
    charged = [line for line in lines if line["kind"] != EXTRA]
    local = any(unentered(line) for line in charged)
    low = high = 0
    groups: dict[str, list[int]] = {}
    for line in charged:
        price = unit_price(line, on)[0]
        if line["kind"] == BASE:
            low, high = low + price, high + price
        else:
            groups.setdefault(line["group"], []).append(price)
    for prices in groups.values():
        low, high = low + min(prices), high + max(prices)
    if local:
        text = _("Theo quy định của HĐND tỉnh")
    elif high == 0:
        text = _("Miễn phí")
    elif low == high:
        text = format_vnd(low)
    else:
        text = _("Từ %(low)s đến %(high)s") % {"low": format_vnd(low), "high": format_vnd(high)}
    if extras and not local:
        if any(unentered(line) for line in extras):
            text += _("; trường hợp khác theo quy định của HĐND tỉnh")
        else:
            text += _(" (thu thêm trong một số trường hợp)")
    return {"text": text, "min": None if local else low, "max": None if local else high, "local": local,
            "extras": len(extras)}


def schedule_of(procedure) -> list[dict[str, Any]]:
    """The procedure's schedule as JSON-safe dicts (what a dossier's snapshot keeps)."""
    out = []
    for fee in procedure.fees.all():
        line = {}
        for key in LINE_KEYS:
            value = getattr(fee, key)
            line[key] = value.isoformat() if isinstance(value, datetime.date) else value
        out.append(line)
    return out


def _when_labels() -> dict[str, str]:
    return {
        "urban": _("tại phường"), "rural": _("tại xã"), "special_zone": _("tại đặc khu"),
        "person": _("cá nhân, hộ kinh doanh"), "organisation": _("tổ chức, doanh nghiệp"),
        "online": _("nộp trực tuyến"), "desk": _("nộp trực tiếp hoặc qua bưu chính"),
    }  # fmt: skip


def amount_text(line: dict[str, Any], on: datetime.date) -> str:
    """One line's amount as the public reads it ("25.000 đ/thẻ", "Theo quy định của HĐND tỉnh")."""
    if unentered(line):
        return _("Theo quy định của HĐND tỉnh") if "hdnd" in fold(line["legal_basis"] + " " + line["name"]) \
            else _("Chưa có mức thu, hỏi bộ phận một cửa")
    price, reduced = unit_price(line, on)
    text = format_vnd(price) if price else _("Miễn phí")
    if price and line["per_unit"]:
        text += f"/{line['per_unit']}"
    if reduced:
        text += " " + _("(giảm đến hết %(until)s; mức thường %(full)s)") % {
            "until": line["reduced_until"].strftime("%d/%m/%Y"), "full": format_vnd(line["amount"])}
    return text


def schedule_view(raw: list[dict[str, Any]], on: datetime.date) -> dict[str, Any]:
    """The schedule for the public page and the API: the headline and each line explained."""
    labels = _when_labels()
    lines = []
    for line in lines_of(raw):
        applies = ", ".join(labels[t] for t in line["when"].split() if t in labels)
        lines.append({
            **line, "amount_text": amount_text(line, on), "applies_when": applies, "unit_amount": unit_price(line, on)[0],
            "reduced_from": line["reduced_from"].isoformat() if line["reduced_from"] else None,
            "reduced_until": line["reduced_until"].isoformat() if line["reduced_until"] else None,
        })  # fmt: skip
    return {"headline": headline(raw, on), "lines": lines}
