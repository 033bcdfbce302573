"""Links into the dossier pages from shared templates (site navigation, catalog procedure page).

`{% dossier_nav %}` renders the <li> items of the main navigation: the public lookup for everyone;
"my dossiers" and the inbox for signed-in citizens; the work queue for officers, and the intake
desk for those holding a receptionist role. `{% dossier_submit_button procedure %}` renders the
"submit online" button on a procedure page when the procedure can be submitted online.
`{{ message.body|inbox_body }}` shows an inbox message's text with its web addresses as links
(the rating link of a "result returned" notice among them).
"""

import re

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from motcua.catalog.models import OnlineLevel
from motcua.core.selectors import user_is_officer
from motcua.dossiers.services.intake_desk import receptionist_agencies

register = template.Library()


@register.inclusion_tag("dossiers/_nav.html", takes_context=True)
def dossier_nav(context):
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    officer = signed_in and user_is_officer(user)
    return {
        "citizen": signed_in and bool(user.person_id),
        "officer": officer,
        "receptionist": officer and receptionist_agencies(user).exists(),
    }


@register.inclusion_tag("dossiers/_submit_button.html")
def dossier_submit_button(procedure):
    online = bool(procedure) and procedure.is_active and procedure.online_level != OnlineLevel.NONE
    return {"procedure": procedure, "online": online}


# Web addresses inside a message's text; trailing punctuation belongs to the sentence, not the address.
_ADDRESS = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:!?)"


@register.filter
def inbox_body(text: str):
    """The message text, escaped, with each http(s) address turned into a link.

    An address on this site becomes a path (so the link works wherever the site is opened); the
    satisfaction rating link reads "Đánh giá mức độ hài lòng" instead of a token nobody can read.
    """
    text = text or ""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    rating_prefix = reverse("ratings:token", args=["TOKEN"]).split("TOKEN")[0]
    parts, position = [], 0
    for match in _ADDRESS.finditer(text):
        address = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(address)
        href = address[len(base) :] if base and address.startswith(base + "/") else address
        label = _("Đánh giá mức độ hài lòng") if href.startswith(rating_prefix) else address
        parts += [escape(text[position : match.start()]), format_html('<a href="{}">{}</a>', href, label)]
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(str(p) for p in parts))
