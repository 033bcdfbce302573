"""The outgoing document's PDF in the national layout (Decree 30/2020/NĐ-CP, Appendix I), and its
signing with the signer's certificate and the agency's seal through the signing app.

`render_pdf(document) -> bytes` draws an `OutgoingDocument` (or anything `layout_of` can read);
`render_layout(Layout)` draws the plain data, so the layout is tested without the models;
`sign_issued(document, pdf_bytes) -> bytes` adds the two signatures (see `signing.py`);
`issued_pdf(document)` is what `issue_outgoing` files: rendered, and signed when it can be.
"""

from __future__ import annotations

from motcua.documents.layout.render import Layout, layout_of, render_layout, render_pdf
from motcua.documents.layout.signing import issued_pdf, sign_issued

__all__ = ["Layout", "issued_pdf", "layout_of", "render_layout", "render_pdf", "sign_issued"]
