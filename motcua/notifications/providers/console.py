"""Development provider: every message becomes one JSON line in var/outbox.log."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .base import Provider, SendResult

_lock = threading.Lock()


class ConsoleProvider(Provider):
    name = "console"

    def __init__(self, channel: str, path: str | None = None):
        self.channel = channel
        self.path = Path(path or settings.NOTIFY_OUTBOX_LOG)

    def send(self, message) -> SendResult:
        line = {
            "at": timezone.now().isoformat(),
            "channel": message.channel,
            "to": message.recipient,
            "request_id": message.dedupe_key,
            "subject": message.subject,
            "body": message.body,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        return SendResult.accepted(f"console-{message.pk}", delivered=True, response={"logged": str(self.path)})
