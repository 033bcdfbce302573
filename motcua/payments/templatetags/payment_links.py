"""`{% dossier_payment_link dossier %}`: on the dossier page, a link to pay when a request is live.

The dossier page has already checked who may read the dossier; this only looks for its request.
"""

from django import template

from motcua.core.text import format_vnd
from motcua.payments.selectors import live_request_for

register = template.Library()


@register.inclusion_tag("payments/_dossier_link.html")
def dossier_payment_link(dossier):
    return {"dossier": dossier, "pr": live_request_for(dossier) if dossier is not None and dossier.pk else None}


@register.filter
def dong(value) -> str:
    """8000 -> "8.000" (the number without its unit). Kept for templates not yet moved to
    `{{ value|vnd }}` from the `money` library, which writes the whole amount ("8.000 đ")."""
    try:
        return format_vnd(int(value)).removesuffix(" đ")
    except (TypeError, ValueError):
        return ""
