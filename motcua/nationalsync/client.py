"""Adapter to the national public-service portal's synchronisation service (wire format: docs/national-sync.md).

Two calls, both JSON over HTTP POST:
- login:   POST {url}/login  {"username", "password"} -> {"error_code": 0, "session": "<token>", ...}
- a call:  POST {url}/call   {"session", "service": "DongBoHoSoMC", "data": [ {...} ]}
           -> {"error_code": 0, "message": "...", ...}

How an answer is read (the one table the sender relies on):
- HTTP 200 and error_code 0: ACCEPTED (also when the portal says it already had this MaGoiTin);
- the session expired or is unknown (SESSION_ERRORS): log in again once and repeat the call;
- HTTP 429, 5xx, a timeout or a refused connection, a login that fails: TEMPORARY (retry later);
- HTTP 200 with any other error_code, or HTTP 4xx: REJECTED (the data is wrong; a person must look).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings

from motcua.notifications.providers.base import TransportError, post_json

SERVICE_SYNC = "DongBoHoSoMC"
# Assumed codes for "session unknown or expired" (the fake answers -1): log in again, not a rejection.
SESSION_ERRORS = frozenset({"-1", "401"})


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    TEMPORARY = "temporary"
    REJECTED = "rejected"


@dataclass
class SyncResult:
    outcome: Outcome
    reason: str = ""
    code: str = ""
    response: dict = field(default_factory=dict)


class NationalSyncClient:
    """One client per worker; the session token is kept between calls and renewed when refused."""

    def __init__(self, *, url: str | None = None, username: str | None = None, password: str | None = None,
                 timeout: float | None = None):  # fmt: skip
        self.url = (url if url is not None else settings.NATIONAL_SYNC_URL).rstrip("/")
        self.username = username if username is not None else settings.NATIONAL_SYNC_USERNAME
        self.password = password if password is not None else settings.NATIONAL_SYNC_PASSWORD
        self.timeout = timeout if timeout is not None else settings.NATIONAL_SYNC_TIMEOUT
        self.session = ""
        self._lock = threading.Lock()

    def login(self) -> SyncResult:
        try:
            answer = post_json(
                f"{self.url}/login", {"username": self.username, "password": self.password}, timeout=self.timeout
            )
        except TransportError as exc:
            return SyncResult(Outcome.TEMPORARY, f"Không kết nối được Cổng DVCQG: {exc}")
        body = answer.body or {}
        if answer.status == 200 and str(body.get("error_code")) == "0" and body.get("session"):
            self.session = str(body["session"])
            return SyncResult(Outcome.ACCEPTED, response=body)
        # Wrong credentials are a configuration problem, not the message's: keep it queued.
        return SyncResult(
            Outcome.TEMPORARY,
            f"Đăng nhập Cổng DVCQG không thành công (HTTP {answer.status}): {body.get('message') or answer.text[:200]}",
            code=str(body.get("error_code", "")),
            response=body,
        )

    def call(self, service: str, data: list[dict]) -> SyncResult:
        with self._lock:
            for _attempt in (1, 2):
                if not self.session:
                    login = self.login()
                    if login.outcome != Outcome.ACCEPTED:
                        return login
                result, session_refused = self._call_once(service, data)
                if not session_refused:
                    return result
                self.session = ""
            return SyncResult(Outcome.TEMPORARY, "Cổng DVCQG từ chối phiên làm việc sau khi đăng nhập lại.")

    def _call_once(self, service: str, data: list[dict]) -> tuple[SyncResult, bool]:
        try:
            answer = post_json(
                f"{self.url}/call", {"session": self.session, "service": service, "data": data}, timeout=self.timeout
            )
        except TransportError as exc:
            return SyncResult(Outcome.TEMPORARY, f"Không kết nối được Cổng DVCQG: {exc}"), False
        body = answer.body or {}
        code = str(body.get("error_code", ""))
        message = str(body.get("message") or answer.text[:300])
        if code in SESSION_ERRORS or answer.status == 401:
            return SyncResult(Outcome.TEMPORARY, message, code=code, response=body), True
        if answer.status == 429 or answer.status >= 500:
            return SyncResult(Outcome.TEMPORARY, f"Cổng DVCQG bận hoặc lỗi (HTTP {answer.status}).", code=code,
                              response=body), False  # fmt: skip
        if answer.status == 200 and code == "0":
            return SyncResult(Outcome.ACCEPTED, message, code=code, response=body), False
        if answer.status == 200 and not body:
            return SyncResult(Outcome.TEMPORARY, f"Cổng DVCQG trả lời không đọc được: {answer.text[:200]}"), False
        return SyncResult(Outcome.REJECTED, message or f"HTTP {answer.status}", code=code or str(answer.status),
                          response=body), False  # fmt: skip

    def sync_dossier(self, item: dict) -> SyncResult:
        """Send one status change (one element of `data`)."""
        return self.call(SERVICE_SYNC, [item])
