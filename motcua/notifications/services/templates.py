"""Message templates: each save is a new version of the (event, channel) template."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.transitions import audit_record

from ..models import MessageTemplate
from ..templates import template_problems


def template_save(
    *, event: str, channel: str, body: str, subject: str = "", provider_template_id: str = "", actor=None
) -> MessageTemplate:
    """Save a new version of the (event, channel) template; the previous versions stay for history."""
    problems = template_problems(
        event=event, channel=channel, subject=subject, body=body, provider_template_id=provider_template_id
    )
    if problems:
        raise DomainError(" ".join(problems), code="template_invalid", status=422, details={"problems": problems})
    for _attempt in range(3):
        try:
            with transaction.atomic():
                current = (
                    MessageTemplate.objects.select_for_update()
                    .filter(event=event, channel=channel)
                    .aggregate(top=Max("version"))["top"]
                    or 0
                )
                MessageTemplate.objects.filter(event=event, channel=channel, is_active=True).update(is_active=False)
                template = MessageTemplate.objects.create(
                    event=event,
                    channel=channel,
                    version=current + 1,
                    subject=subject,
                    body=body,
                    provider_template_id=provider_template_id,
                    is_active=True,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
                audit_record(
                    actor=template.created_by,
                    action="template.save",
                    object_type="message_template",
                    object_id=str(template.pk),
                    data={"event": event, "channel": channel, "version": template.version},
                )
                return template
        except IntegrityError:
            continue  # two editors saved at once: take the next number
    raise DomainError(_("Không lưu được mẫu, vui lòng thử lại."), code="template_conflict", status=409)
