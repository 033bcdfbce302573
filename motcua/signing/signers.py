"""Pluggable signers: where the private key lives is the signer's business, PAdES is ours.

`SigningCertificate.backend` picks the class: "pkcs12" is `Pkcs12Signer` (bundle sealed in the
database); anything else is a dotted path to a `Signer` subclass, e.g. a USB token or HSM signer
that builds a pyHanko `PKCS11Signer`, or a remote signing service that only ever sees the digest.
A subclass provides `pyhanko_signer()`; the PDF side (visible stamp, PAdES B-B, byte ranges) is
shared and lives in `Signer.sign`.
"""

from __future__ import annotations

import asyncio
import binascii
import io
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import content as pdf_content
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import StaticStampStyle

from motcua.core.errors import DomainError
from motcua.signing import crypto

# Visible signature box on the last page, in PDF points from the lower-left corner (A4 is 595x842).
STAMP_BOX = (300, 36, 560, 116)
STAMP_SIZE = (260, 80)
STAMP_MARGIN = 36


def stamp_box_for(pdf_bytes: bytes) -> tuple[int, int, int, int]:
    """Bottom-right corner of the last page, whatever its size (receipts may be A5, results A4)."""
    from pypdf import PdfReader

    try:
        box = PdfReader(io.BytesIO(pdf_bytes)).pages[-1].mediabox
        left, bottom, right = float(box.left), float(box.bottom), float(box.right)
    except Exception:  # an odd file is refused later by pyHanko with a clear message
        return STAMP_BOX
    width = int(min(STAMP_SIZE[0], right - left - 2 * STAMP_MARGIN))
    if width < 120:
        return STAMP_BOX
    x2 = int(right - STAMP_MARGIN)
    y1 = int(bottom + STAMP_MARGIN)
    return (x2 - width, y1, x2, y1 + STAMP_SIZE[1])


def run_sync(fn, /, *args, **kwargs):
    """Call one of pyHanko's sync wrappers (they use asyncio.run) even when this thread runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


class _ImportedPdfBytes(pdf_content.PdfContent):
    """The first page of an in-memory PDF as appearance content (pyHanko's own class wants a path)."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


class Signer:
    """Signs a PDF as PAdES baseline B-B with a visible appearance.

    `appearance_pdf` is a one-page PDF drawn into the signature box (see `appearance.py`): pyHanko's
    own text stamps need HarfBuzz for Vietnamese, WeasyPrint already shapes it.
    """

    def __init__(self, certificate):
        self.certificate = certificate

    def pyhanko_signer(self) -> signers.Signer:
        raise NotImplementedError

    def sign(
        self,
        pdf_bytes: bytes,
        *,
        field_name: str,
        appearance_pdf: bytes | None = None,
        reason: str = "",
        location: str = "",
        signer_name: str = "",
        contact_info: str = "",
        box: tuple[int, int, int, int] = STAMP_BOX,
    ) -> bytes:
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason or None,
            location=location or None,
            name=signer_name or None,
            # The verification URL rides in the signed dictionary, so a verifier finds it without the QR.
            contact_info=contact_info or None,
        )
        style = (
            StaticStampStyle(background=_ImportedPdfBytes(appearance_pdf), border_width=0) if appearance_pdf else None
        )
        field_spec = fields.SigFieldSpec(field_name, on_page=-1, box=box if appearance_pdf else None)
        pdf_signer = signers.PdfSigner(meta, signer=self.pyhanko_signer(), stamp_style=style, new_field_spec=field_spec)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        return run_sync(pdf_signer.sign_pdf, writer).getvalue()


class Pkcs12Signer(Signer):
    """Key and chain from the PKCS#12 bundle sealed in `certificate.pkcs12_encrypted`."""

    def pyhanko_signer(self) -> signers.SimpleSigner:
        data = self.certificate.pkcs12_encrypted
        try:
            if not data:
                raise ValueError("certificate has no stored PKCS#12 bundle")
            bundle = crypto.unseal(bytes(data))
        except ValueError:
            # The server's signing key changed (MOTCUA_SIGNING_KEY), or the row was made without a bundle.
            raise DomainError(
                _("Không mở được khóa ký đã lưu của chứng thư này. Vui lòng nạp lại tệp chứng thư số."),
                code="certificate_key_unavailable",
                status=409,
            )
        return signers.SimpleSigner.load_pkcs12_data(bundle, other_certs=[], passphrase=None)


BACKENDS = {"pkcs12": "motcua.signing.signers.Pkcs12Signer"}


@lru_cache(maxsize=32)
def signer_class(backend: str) -> type[Signer]:
    """Raise ImportError/ValueError for an unknown backend, TypeError for a class that is not a Signer."""
    path = BACKENDS.get(backend, backend)
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, Signer)):
        raise TypeError(f"{path} is not a motcua.signing.signers.Signer")
    return cls


def signer_for(certificate) -> Signer:
    return signer_class(certificate.backend)(certificate)
