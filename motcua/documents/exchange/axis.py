"""The adapter to the national document axis (trục liên thông văn bản quốc gia).

Wire format (ours, modelled on the axis's REST gateway; see docs/document-exchange.md for what is
assumed): every message body is EDXML; the answers are small JSON objects.

POST {base}/edxml/send                      body: an EDXML package or status  -> {"error_code": 0, "id": "..."}
GET  {base}/edxml/inbox?organ=<organ id>    -> {"error_code": 0, "ids": ["...", ...]}
GET  {base}/edxml/message/<id>?organ=<id>   -> the EDXML bytes (application/xml)
POST {base}/edxml/ack/<id>?organ=<id>       -> {"error_code": 0}  (removed from the inbox)

Each call carries `X-Organ-Id` (who we are) and, when set, `Authorization: Bearer <token>`.
A transport error or HTTP 5xx raises `AxisUnavailable` (try again later); an answer with a
non-zero error_code raises `AxisRefused` (the axis will not take it as it is).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings


class AxisError(Exception):
    pass


class AxisUnavailable(AxisError):
    pass


class AxisRefused(AxisError):
    pass


class AxisClient:
    def __init__(self, base_url: str, *, organ_id: str, token: str = "", timeout: float = 20.0):
        self.base_url = base_url.rstrip("/")
        self.organ_id = organ_id
        self.token = token
        self.timeout = timeout

    @classmethod
    def for_agency(cls, agency) -> AxisClient:
        return cls(
            getattr(settings, "DOCUMENT_AXIS_URL", ""),
            organ_id=agency.code,
            token=getattr(settings, "DOCUMENT_AXIS_TOKEN", ""),
        )

    def _call(self, method: str, path: str, body: bytes | None = None) -> bytes:
        if not self.base_url:
            raise AxisUnavailable("document axis not configured (MOTCUA_DOCUMENT_AXIS_URL)")
        headers = {"X-Organ-Id": self.organ_id}
        if body is not None:
            headers["Content-Type"] = "application/xml; charset=utf-8"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            if exc.code >= 500:
                raise AxisUnavailable(f"HTTP {exc.code}") from None
            raise AxisRefused(_message(raw) or f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise AxisUnavailable(str(exc)) from None

    def _json(self, method: str, path: str, body: bytes | None = None) -> dict:
        raw = self._call(method, path, body)
        try:
            answer = json.loads(raw.decode("utf-8"))
        except ValueError:
            raise AxisUnavailable("answer is not JSON") from None
        if answer.get("error_code") not in (0, "0"):
            raise AxisRefused(str(answer.get("message") or answer.get("error_code")))
        return answer

    def _organ(self) -> str:
        return "organ=" + urllib.parse.quote(self.organ_id)

    def send(self, edxml: bytes) -> str:
        """Hand a package or a status message to the axis; returns the axis's id for it."""
        return str(self._json("POST", "/edxml/send", edxml).get("id", ""))

    def inbox(self) -> list[str]:
        return [str(i) for i in self._json("GET", f"/edxml/inbox?{self._organ()}").get("ids", [])]

    def fetch(self, message_id: str) -> bytes:
        return self._call("GET", f"/edxml/message/{urllib.parse.quote(message_id)}?{self._organ()}")

    def ack(self, message_id: str) -> None:
        self._json("POST", f"/edxml/ack/{urllib.parse.quote(message_id)}?{self._organ()}")


def _message(raw: bytes) -> str:
    try:
        return str(json.loads(raw.decode("utf-8")).get("message", ""))
    except (ValueError, AttributeError):
        return ""
