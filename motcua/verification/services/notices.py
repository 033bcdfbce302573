"""Security notices: every password change, phone change and record link is told to the holder."""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.models import Person, User
from motcua.core.transitions import audit_record
from motcua.notifications.models import ChannelKind
from motcua.notifications.services import message_build, notify, template_active
from motcua.verification.services.otp import mask_phone

WARNING = gettext_lazy("Nếu không phải ông/bà thực hiện, hãy liên hệ ngay bộ phận một cửa.")


def _direct(*, channel: str, recipient: str, event: str, title: str, body: str, name: str = "") -> None:
    params = {"tieu_de": title, "noi_dung": body, "ho_ten": name}
    message = message_build(
        channel=channel,
        recipient=recipient,
        event=event,
        dedupe_key=f"{event}:{secrets.token_hex(8)}:{channel}",
        params={k: v for k, v in params.items() if v},
        subject=title,
        body=f"{title}. {body}" if channel == ChannelKind.SMS else body,
        template=template_active(event, channel),
        urgent=True,
    )
    message.save()


def account_notice(*, user: User, event: str, title: str, body: str = "") -> None:
    """Tell the account holder, in the caller's transaction: the person's inbox and first channel,
    or the account's e-mail for an account with no person (officers)."""
    body = body or str(WARNING)
    person = user.person
    if person is not None:
        notify(
            person=person,
            event=event,
            title=title,
            body=body,
            dedupe_key=f"{event}:{user.pk}:{secrets.token_hex(8)}",
            urgent=True,
        )
    elif user.email:
        _direct(channel=ChannelKind.EMAIL, recipient=user.email, event=event, title=title, body=body)


def old_phone_notice(*, person: Person, old_phone: str, new_phone: str) -> None:
    """The number that is being replaced hears about it, so a stolen account is noticed."""
    if not old_phone:
        return
    _direct(
        channel=ChannelKind.SMS,
        recipient=old_phone,
        event="account.phone_changed",
        title=_("Số điện thoại nhận thông báo của hồ sơ đã đổi sang %(phone)s") % {"phone": _mask(new_phone)},
        body=str(WARNING),
        name=person.full_name,
    )


def _mask(phone: str) -> str:
    return f"{phone[:3]}****{phone[-3:]}" if len(phone) >= 7 else "****"


def person_phone_replace(*, person: Person, new_phone: str, actor: User, proof: str) -> None:
    """The code to `new_phone` proved it: it becomes the phone on record, audited, and the old number is
    told (call inside the transaction that verified the code, with `person` locked)."""
    old = person.phone
    person.phone = new_phone
    person.save(update_fields=["phone", "updated_at"])
    audit_record(
        actor=actor,
        action="person.phone_changed",
        obj=person,
        data={"old": mask_phone(old) if old else "", "new": mask_phone(new_phone), "proof": proof},
    )
    old_phone_notice(person=person, old_phone=old, new_phone=new_phone)
