"""`{{ amount|vnd }}`: money on every page, through `motcua.core.text.format_vnd` ("1.800.000 đ")."""

from django import template

from motcua.core.text import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """An amount of đồng as "1.800.000 đ"; nothing (an empty cell) for a missing or invalid value,
    so a bad row never breaks a whole page."""
    if amount is None or amount == "":
        return ""
    try:
        return format_vnd(int(amount) if isinstance(amount, str) and amount.strip().isdigit() else amount)
    except ValueError:
        return ""
