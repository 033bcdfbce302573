"""Writes for notifications. Every message to a citizen goes through `notify`.

For now `notify` writes the portal inbox message, the channel every citizen has. SMS, Zalo and
e-mail deliveries will be added behind this same function, so callers never change.
"""

from django.db import transaction

from motcua.core.models import Person

from .models import InboxMessage


def notify(
    *,
    person: Person,
    event: str,
    title: str,
    body: str,
    link: str = "",
    subject_type: str = "",
    subject_id: str = "",
    dedupe_key: str,
) -> InboxMessage:
    """Tell `person` about `event`; once per `dedupe_key`, so a retried action never repeats it.

    Call it inside the transaction of the change it reports: if that change rolls back, so does
    the message (no phantom notices), and if it commits, the message is there (no lost ones).
    """
    with transaction.atomic():
        message, _created = InboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key[:128],
            defaults={
                "person": person,
                "event": event[:64],
                "title": title[:255],
                "body": body,
                "link": link[:255],
                "subject_type": subject_type[:32],
                "subject_id": str(subject_id)[:64],
            },
        )
    return message
