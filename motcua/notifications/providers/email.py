"""E-mail through Django's mail backends (SMTP, console, file, locmem in tests)."""

from __future__ import annotations

import smtplib
from email.utils import make_msgid

from django.core.mail import EmailMessage

from .base import Provider, SendResult


class DjangoEmailProvider(Provider):
    name = "email"
    channel = "email"

    def send(self, message) -> SendResult:
        msgid = make_msgid(idstring=str(message.pk), domain="motcua.local")
        mail = EmailMessage(
            subject=message.subject or message.body[:60],
            body=message.body,
            to=[message.recipient],
            headers={"Message-ID": msgid, "X-Motcua-Request-Id": message.dedupe_key},
        )
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            return SendResult.permanent(f"Máy chủ thư từ chối địa chỉ: {exc.recipients}")
        except (smtplib.SMTPException, OSError) as exc:
            return SendResult.temporary(f"Không gửi được thư: {exc}")
        return SendResult.accepted(msgid)
