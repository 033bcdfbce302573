"""A fake of the national public-service portal's synchronisation service (the wire format our
adapter `motcua.nationalsync.client` speaks; see docs/national-sync.md).

POST /login {"username", "password"} -> {"error_code": 0, "session": "...", "message": "..."}
POST /call  {"session", "service": "DongBoHoSoMC", "data": [ {...}, ... ]}
            -> {"error_code": 0, "message": "...", "accepted": n, "duplicates": n}
An unknown or expired session is answered error_code -1; a malformed item error_code 2 with the
reason. An item whose MaGoiTin was already accepted is answered with success and not recorded
again (`duplicates` counts them). Everything accepted is kept in `received`, in arrival order.

Failure injection (`fail_next` for the next calls, `fail_recipients` by MaHoSo, `fail_rate`):
"temporary" -> HTTP 503; "timeout" -> the answer comes after `slow_seconds`; "lost_answer" -> the
items ARE recorded but the answer is HTTP 502 (the caller cannot know it was accepted); any other
value -> HTTP 200 with that error_code (a rejection).
"""

from __future__ import annotations

import argparse
import re
import time
import uuid

from .base import FakeProvider, common_arguments, common_kwargs

_DATE = re.compile(r"^\d{14}$")
_DATE_FIELDS = ("ThoiDiemCapNhat", "NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra")
SERVICES = frozenset({"DongBoHoSoMC"})


class FakeNationalSync(FakeProvider):
    def __init__(self, *, username: str = "", password: str = "", slow_seconds: float = 2.0, **kwargs):
        super().__init__(**kwargs)
        self.username, self.password = username, password
        self.slow_seconds = slow_seconds
        self.sessions: set[str] = set()
        self.logins = 0
        self.received: list[dict] = []  # accepted items, in arrival order, each once
        self.out_of_order = 0  # items whose SoThuTu was not the previous one of the same MaHoSo + 1
        self._last_seq: dict[str, int] = {}

    def expire_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    def handle_send(self, path, headers, body):
        if path.rstrip("/").endswith("/login"):
            return self._login(body)
        if path.rstrip("/").endswith("/call"):
            return self._call(body)
        return 404, {"error_code": 404, "message": "Không có dịch vụ này"}, {}

    def _login(self, body):
        if self.username and (body.get("username") != self.username or body.get("password") != self.password):
            return 200, {"error_code": 1, "message": "Sai tên đăng nhập hoặc mật khẩu"}, {}
        self.logins += 1
        token = uuid.uuid4().hex
        self.sessions.add(token)
        return 200, {"error_code": 0, "message": "Đăng nhập thành công", "session": token}, {}

    @staticmethod
    def _invalid(item) -> str:
        if not isinstance(item, dict):
            return "Phần tử dữ liệu không phải đối tượng JSON"
        for key in ("MaGoiTin", "MaHoSo", "MaTTHC"):
            if not item.get(key):
                return f"Thiếu trường {key}"
        if item.get("TrangThaiHoSo") not in range(1, 11):
            return "TrangThaiHoSo không hợp lệ"
        if item.get("KenhThucHien") not in (1, 2, 3):
            return "KenhThucHien không hợp lệ"
        for key in _DATE_FIELDS:
            if item.get(key) and not _DATE.match(str(item[key])):
                return f"{key} không đúng định dạng yyyyMMddHHmmss"
        return ""

    def _accept(self, item) -> bool:
        key = str(item["MaGoiTin"])
        if key in self.accepted:
            self.duplicates += 1
            return False
        self.accepted[key] = item
        self.received.append(item)
        self.handset[key] += 1
        code, seq = str(item["MaHoSo"]), item.get("SoThuTu")
        if isinstance(seq, int):
            if seq != self._last_seq.get(code, 0) + 1:
                self.out_of_order += 1
            self._last_seq[code] = seq
        return True

    def _call(self, body):
        if body.get("session") not in self.sessions:
            return 200, {"error_code": -1, "message": "Phiên làm việc không hợp lệ hoặc đã hết hạn"}, {}
        if body.get("service") not in SERVICES:
            return 200, {"error_code": 3, "message": f"Dịch vụ {body.get('service')!r} không tồn tại"}, {}
        data = body.get("data")
        if not isinstance(data, list) or not data:
            return 200, {"error_code": 2, "message": "Trường data phải là mảng khác rỗng"}, {}
        for item in data:
            reason = self._invalid(item)
            if reason:
                return 200, {"error_code": 2, "message": reason}, {}
        failure = self.injected_failure(str(data[0].get("MaHoSo", "")))
        if failure == "temporary":
            return 503, {"error_code": 503, "message": "Hệ thống đang bận"}, {}
        if failure == "timeout":
            time.sleep(self.slow_seconds)
        elif failure == "lost_answer":
            for item in data:
                self._accept(item)
            return 502, {"error_code": 502, "message": "Bad gateway"}, {}
        elif failure is not None:
            return 200, {"error_code": failure, "message": f"Dữ liệu bị từ chối (lỗi giả lập {failure})"}, {}
        fresh = sum(1 for item in data if self._accept(item))
        return (
            200,
            {
                "error_code": 0,
                "message": "Đồng bộ thành công",
                "accepted": fresh,
                "duplicates": len(data) - fresh,
            },
            {},
        )

    def stats(self) -> dict:
        base = super().stats()
        with self.lock:
            base.update(logins=self.logins, received=len(self.received), out_of_order=self.out_of_order)
        return base


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    common_arguments(parser)
    parser.add_argument("--username", default="")
    parser.add_argument("--password", default="")
    args = parser.parse_args(argv)
    FakeNationalSync(
        username=args.username, password=args.password, **common_kwargs(args, default_port=8026)
    ).serve_forever()


if __name__ == "__main__":
    main()
