"""The outgoing document's PDF in the national layout (Decree 30 Appendix I).

Stub owned by the edxml helper, who replaces it: `render_pdf(document) -> bytes`.
"""

from __future__ import annotations


def render_pdf(document) -> bytes:
    """A placeholder PDF until the national layout lands (replaced by the edxml helper)."""
    from motcua.documents.registers import simple_pdf

    lines = [document.code or "", document.title, "", *(document.body or "").splitlines()]
    return simple_pdf(lines)
