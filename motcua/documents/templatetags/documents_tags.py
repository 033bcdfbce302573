"""`{% dossier_linked_documents dossier %}`: the official documents linked to a dossier, on its officer page.

Only the documents the viewer may see are listed (selectors.incoming_for_dossier): a confidential
document linked to the dossier stays hidden from everyone but its named people and the head.
"""

from django import template

from motcua.documents import selectors

register = template.Library()


@register.inclusion_tag("documents/_dossier_documents.html", takes_context=True)
def dossier_linked_documents(context, dossier):
    request = context.get("request")
    user = getattr(request, "user", None)
    documents = list(selectors.incoming_for_dossier(user, dossier)[:50]) if user is not None else []
    return {"linked_documents": documents}
