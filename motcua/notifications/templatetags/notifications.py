from django import template

from motcua.core.errors import NotFound
from motcua.notifications.selectors import messages_of_person_for

register = template.Library()


@register.inclusion_tag("notifications/_person_messages.html", takes_context=True)
def person_messages(context, person, limit: int = 20):
    """A person's recent messages, for the officer's person page (access checked again here)."""
    try:
        rows = list(messages_of_person_for(context["request"].user, person.pk)[:limit])
    except NotFound:
        rows = []
    return {"rows": rows, "person": person}
