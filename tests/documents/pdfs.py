"""A tiny PDF with a text layer (weasyprint), for the extraction tests."""

from motcua.documents.registers import simple_pdf


def pdf_with_text(text: str) -> bytes:
    return simple_pdf([text])
