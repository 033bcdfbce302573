"""A person's contact preferences: channel order, Zalo link, broadcast opt-out."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import Person
from motcua.core.transitions import audit_record

from ..models import ChannelKind, ContactPreference
from ..templates import event_spec


def contact_preference_set(
    *, person: Person, channel_order: list[str], zalo_user_id: str | None = None, actor=None
) -> ContactPreference:
    bad = [c for c in channel_order if c not in ChannelKind.values]
    if bad:
        raise DomainError(
            _("Kênh không hợp lệ: %(bad)s.") % {"bad": ", ".join(bad)}, code="invalid_channel", status=422
        )
    with transaction.atomic():
        preference, _created = ContactPreference.objects.select_for_update().get_or_create(person=person)
        preference.channel_order = list(dict.fromkeys(channel_order))
        fields = ["channel_order", "updated_at"]
        if zalo_user_id is not None:
            preference.zalo_user_id = zalo_user_id
            fields.append("zalo_user_id")
        preference.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="contact_preference.set",
            obj=person,
            data={"channel_order": preference.channel_order},
        )
    return preference


def broadcast_opt_out_set(*, person: Person, opt_out: bool, actor=None) -> ContactPreference:
    """Stop (or resume) area broadcasts for `person`; notices the law requires are never affected."""
    with transaction.atomic():
        preference, _created = ContactPreference.objects.select_for_update().get_or_create(person=person)
        preference.broadcast_opt_out = opt_out
        preference.broadcast_opt_out_at = timezone.now() if opt_out else None
        preference.save(update_fields=["broadcast_opt_out", "broadcast_opt_out_at", "updated_at"])
        audit_record(actor=actor, action="broadcast.opt_out" if opt_out else "broadcast.opt_in", obj=person, data={})
    return preference


def event_is_legally_required(event: str) -> bool:
    spec = event_spec(event)
    return spec.legally_required if spec else True
