"""EDXML exchange (QCVN 102:2016) with the national document axis: the package and status format
(`edxml`), the adapter (`axis`), and the services that send and receive (`services`).
See docs/document-exchange.md."""

from __future__ import annotations


def send(document, recipients) -> list[str]:
    """Queue `document` for the outside organs among `recipients`; returns the package ids."""
    from motcua.documents.exchange.services import send as _send

    return _send(document, recipients)
