"""Text out of an uploaded PDF, for full-text search (pypdf when installed; empty otherwise)."""

from __future__ import annotations

import io


def pdf_text(file, *, max_chars: int = 200_000) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is in the lock file
        return ""
    try:
        position = file.tell() if hasattr(file, "tell") else 0
        data = file.read()
        if hasattr(file, "seek"):
            file.seek(position)
        reader = PdfReader(io.BytesIO(data))
        parts = []
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > max_chars:
                break
        return "\n".join(parts)[:max_chars]
    except Exception:
        return ""
