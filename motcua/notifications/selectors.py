"""Reads for notifications, with the access check in the same function."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.core.errors import NotFound, PermissionDenied
from motcua.core.models import Role, RoleAssignment
from motcua.core.selectors import person_get_for, user_is_officer

from .models import ContactPreference, InboxMessage, Message

SENDER_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)


def user_may_send(user) -> bool:
    """Officers with a manager or administrator role (or superusers) may send a notice by hand."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(user.is_officer and RoleAssignment.objects.filter(user=user, role__in=SENDER_ROLES).exists())


def require_sender(user) -> None:
    if not user_may_send(user):
        raise PermissionDenied(code="not_a_sender")


def messages_of_person_for(user, person_id: int) -> QuerySet[Message]:
    """Every channel message of a person this user may see (NotFound otherwise)."""
    person = person_get_for(user, person_id)
    return Message.objects.filter(person=person).select_related("template").order_by("-created_at", "-id")


def my_messages(user) -> QuerySet[Message]:
    if not getattr(user, "is_authenticated", False) or not user.person_id:
        return Message.objects.none()
    return Message.objects.filter(person_id=user.person_id).order_by("-created_at", "-id")


def my_inbox(user) -> QuerySet[InboxMessage]:
    if not getattr(user, "is_authenticated", False) or not user.person_id:
        return InboxMessage.objects.none()
    return InboxMessage.objects.filter(person_id=user.person_id).order_by("-created_at", "-id")


def message_get_for(user, message_id: int) -> Message:
    """One message: its own person, an officer who may see that person, or a sender for unlinked ones."""
    message = Message.objects.select_related("person", "template").filter(pk=message_id).first()
    if message is None:
        raise NotFound(code="message_not_found")
    if message.person_id is not None:
        if getattr(user, "person_id", None) == message.person_id:
            return message
        if user_is_officer(user):
            person_get_for(user, message.person_id)  # raises NotFound outside the officer's scope
            return message
        raise NotFound(code="message_not_found")
    if user_may_send(user):
        return message
    raise NotFound(code="message_not_found")


def broadcast_opted_out(person) -> bool:
    """Whether `person` refused area broadcasts (legally required notices still reach them)."""
    return ContactPreference.objects.filter(person=person, broadcast_opt_out=True).exists()
