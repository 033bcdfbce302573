"""Dial the switchboard from a terminal and print the dialogue (docs/switchboard.md).

    manage.py switchboard_call --caller 0912345678 --digits "1,1,1,1,1,1"

Each comma-separated item is one event after the call starts: digits as pressed ("2612030007#"),
`-` for silence (a timeout) and `h` to hang up. Every request is signed like the provider's. By
default it goes through the webhook's own code in this process; with `--url` it is POSTed over
HTTP to a running server (e.g. http://127.0.0.1:8000/api/v1/switchboard/webhook).
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.appointments.switchboard import wire
from motcua.appointments.switchboard.services import switchboard_receive
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Gọi thử tổng đài tự động: gửi các phím bấm đến webhook và in lời thoại."

    def add_arguments(self, parser):
        parser.add_argument("--caller", required=True, help="Số điện thoại người gọi, ví dụ 0912345678")
        parser.add_argument("--digits", default="", help='Các lần bấm, cách nhau bởi dấu phẩy: "1,1,2" ("-" im lặng, "h" gác máy)')
        parser.add_argument("--call-id", default="", help="Mã cuộc gọi (mặc định: ngẫu nhiên, bắt đầu bằng sim-)")
        parser.add_argument("--url", default="", help="Gửi qua HTTP đến webhook của một máy chủ đang chạy")

    def handle(self, *args, caller, digits, call_id, url, **options):
        secret = settings.SWITCHBOARD_SECRET
        if not secret:
            raise CommandError("MOTCUA_SWITCHBOARD_SECRET is not set")
        call_id = call_id or f"sim-{secrets.token_hex(6)}"
        presses = [p.strip() for p in digits.split(",") if p.strip()]
        events = [("start", "")] + [
            ("timeout", "") if p == "-" else ("hangup", "") if p.lower() == "h" else ("digits", p) for p in presses
        ]
        self.stdout.write(f"Cuộc gọi {call_id} từ {caller}")
        for seq, (event, pressed) in enumerate(events, 1):
            self.stdout.write(f"\n☎ {pressed or event}")
            body = {"call_id": call_id, "caller": caller, "digits": pressed, "event": event, "seq": seq}
            answer = self._send(body, secret, url)
            if "code" in answer and "actions" not in answer:
                self.stdout.write(self.style.ERROR(f"  {answer['code']}: {answer['message']}"))
                return
            for action in answer["actions"]:
                if "text" in action:
                    self.stdout.write(f"  « {action['text']} »")
                elif "gather" in action:
                    g = action["gather"]
                    finish = f", kết thúc bằng {g['finish_on_key']}" if g.get("finish_on_key") else ""
                    self.stdout.write(f"  [chờ tối đa {g['max_digits']} phím, {g['timeout']} giây{finish}]")
                elif "transfer" in action:
                    self.stdout.write(f"  [chuyển máy đến {action['transfer']['number']}]")
            if answer["hangup"]:
                self.stdout.write("  [gác máy]")
                return
        self.stdout.write(f"\n(bước hiện tại: {answer['state']})")

    def _send(self, body: dict, secret: str, url: str) -> dict:
        raw = json.dumps(body, ensure_ascii=False).encode()
        timestamp = str(int(wire.now_seconds()))
        signature = wire.sign(secret, timestamp, raw)
        if not url:
            try:
                return switchboard_receive(raw=raw, timestamp=timestamp, signature=signature)
            except DomainError as error:
                return {"code": error.code, "message": error.message}
        request = urllib.request.Request(
            url,
            data=raw,
            method="POST",
            headers={
                "Content-Type": "application/json",
                wire.TIMESTAMP_HEADER: timestamp,
                wire.SIGNATURE_HEADER: signature,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            return json.loads(error.read() or b"{}") or {"code": str(error.code), "message": ""}
        except urllib.error.URLError as error:
            raise CommandError(f"cannot reach {url}: {error.reason}")
