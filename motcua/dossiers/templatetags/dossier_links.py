"""Links into the dossier pages from shared templates (site navigation, catalog procedure page).

`{% dossier_nav %}` renders the <li> items of the main navigation: the public lookup for everyone;
"my dossiers" and the inbox for signed-in citizens; the work queue for officers, and the intake
desk for those holding a receptionist role. `{% dossier_submit_button procedure %}` renders the
"submit online" button on a procedure page when the procedure can be submitted online.
"""

from django import template

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
