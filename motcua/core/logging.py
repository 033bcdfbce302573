"""Log filter that masks personal data (personal IDs, phone numbers) before it is written."""

import logging
import re

# 12-digit personal IDs and Vietnamese mobile numbers (0xxxxxxxxx or +84xxxxxxxxx).
_PERSONAL_ID = re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)")
_PHONE = re.compile(r"(?<!\d)(\+84|0)(\d{2})\d{4}(\d{3})(?!\d)")


def mask(text: str) -> str:
    text = _PERSONAL_ID.sub(r"\1******\2", text)
    return _PHONE.sub(r"\1\2****\3", text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        return True
