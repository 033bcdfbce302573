"""The citizen marks portal inbox messages as read."""

from django.db import transaction
from django.utils import timezone

from motcua.core.models import User
from motcua.notifications.models import InboxMessage


def inbox_mark_read(*, user: User, message_id: int | None = None) -> int:
    """Mark one message (or, without an id, all of them) read; only the user's own. Returns how many."""
    if not user.person_id:
        return 0
    with transaction.atomic():
        messages = InboxMessage.objects.filter(person_id=user.person_id, read_at__isnull=True)
        if message_id is not None:
            messages = messages.filter(pk=message_id)
        return messages.update(read_at=timezone.now())
