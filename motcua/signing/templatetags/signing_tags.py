"""`{% result_sign_button dossier doc %}`: the "Ký số" button beside a result file on the officer page."""

from django import template

from motcua.signing.services.signing import result_sign_allowed

register = template.Library()


@register.inclusion_tag("signing/_result_sign_button.html", takes_context=True)
def result_sign_button(context, dossier, document):
    request = context.get("request")
    user = getattr(request, "user", None)
    signed = document.kind == "result" and document.signatures.filter(sha256=document.sha256).exists()
    can_sign = (
        not signed
        and user is not None
        and user.is_authenticated
        and document.kind == "result"
        and result_sign_allowed(dossier=dossier, document=document, actor=user)
    )
    return {
        "dossier": dossier,
        "document": document,
        "signed": signed,
        "can_sign": can_sign,
        "csrf_token": context.get("csrf_token"),
    }
