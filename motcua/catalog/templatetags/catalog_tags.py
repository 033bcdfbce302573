"""Formatting for the public catalog pages: money and working days the Vietnamese way."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from motcua.core.text import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """50000 -> "50.000 đ" (`core.text.format_vnd`); 0 -> "Miễn phí"."""
    if not amount:
        return _("Miễn phí")
    return format_vnd(int(amount))


@register.filter
def workdays(days: Decimal | int | float | None) -> str:
    """1.5 -> "1,5 ngày làm việc"; 0 -> "Trong ngày"."""
    if days is None:
        return ""
    value = Decimal(str(days)).normalize()
    if value == 0:
        return _("Trong ngày")
    text = format(value, "f").replace(".", ",")
    return _("%(days)s ngày làm việc") % {"days": text}


@register.simple_tag
def step_text(step) -> str:
    """A step of `Procedure.steps`: imported data holds plain strings or {title, description} objects."""
    if isinstance(step, dict):
        title = step.get("title") or step.get("name") or ""
        body = step.get("description") or step.get("text") or step.get("content") or ""
        return f"{title}: {body}" if title and body else (title or body)
    return str(step)


@register.simple_tag
def legal_text(item) -> str:
    """An entry of `Procedure.legal_basis`: a string, or {code, title/name, date}."""
    if isinstance(item, dict):
        parts = [item.get("code") or item.get("number") or "", item.get("title") or item.get("name") or ""]
        text = " – ".join(p for p in parts if p)
        date = item.get("date") or item.get("issued")
        return f"{text} ({date})" if date else text
    return str(item)
