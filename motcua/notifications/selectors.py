"""Reads for notifications, with the access check in the same function."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.core import scope
from motcua.core.errors import NotFound, PermissionDenied
from motcua.core.models import Role
from motcua.core.selectors import user_is_officer  # noqa: F401  (re-exported for the API)

from .models import ContactPreference, InboxMessage, Message

SENDER_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)


def user_may_send(user) -> bool:
    """Officers with a manager or administrator role (or superusers) may send a notice by hand."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return scope.has_role(user, SENDER_ROLES)


def sent_key_prefix(user) -> str:
    """The start of the dedupe key of every message this user sent by hand through the API."""
    return f"api:{user.pk}:"


def require_sender(user) -> None:
    if not user_may_send(user):
        raise PermissionDenied(code="not_a_sender")


def messages_of_person_for(user, person_id: int) -> QuerySet[Message]:
    """The channel messages of a person whose contents this user may read.

    Seeing a person is not enough to read their messages: an officer reads only those tied to a
    record they handle (`motcua.core.scope.message_condition`); the caller checks the person.
    """
    return (
        Message.objects.filter(scope.message_condition(user), person_id=person_id)
        .select_related("template")
        .order_by("-created_at", "-id")
    )


def my_messages(user) -> QuerySet[Message]:
    if not getattr(user, "is_authenticated", False) or not user.person_id:
        return Message.objects.none()
    return Message.objects.filter(person_id=user.person_id).order_by("-created_at", "-id")


def my_inbox(user) -> QuerySet[InboxMessage]:
    if not getattr(user, "is_authenticated", False) or not user.person_id:
        return InboxMessage.objects.none()
    return InboxMessage.objects.filter(person_id=user.person_id).order_by("-created_at", "-id")


def message_get_for(user, message_id: int) -> Message:
    """One message: its person's, an officer's tied to a record they handle, or one a sender sent or unlinked.

    Everything else is "not found", whether it exists or not (`motcua.core.scope.message_condition`).
    """
    condition = scope.message_condition(user)
    if user_may_send(user):
        # A sender follows what they sent (their own action), and the unlinked messages nobody else can.
        condition |= Q(person__isnull=True) | Q(dedupe_key__startswith=sent_key_prefix(user))
    message = Message.objects.select_related("person", "template").filter(condition, pk=message_id).first()
    if message is None:
        raise NotFound(code="message_not_found")
    return message


def broadcast_opted_out(person) -> bool:
    """Whether `person` refused area broadcasts (legally required notices still reach them)."""
    return ContactPreference.objects.filter(person=person, broadcast_opt_out=True).exists()
