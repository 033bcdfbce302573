"""Signing benchmark: sign-and-verify throughput of a typical one-page result PDF.

    .venv/bin/python bench/signing.py [--n 20]

No database: it times the CPU path the services run. Signing = the visible stamp (WeasyPrint, QR by
segno) + PAdES B-B by pyHanko with a key from a PKCS#12 bundle (unsealed each time, as
`Pkcs12Signer` does); verifying = parsing the file, the byte-range digest, the CMS signature and the
chain to a trust root (`validate_pdf_signature`, what `pdf_verify` calls for each signature).
Both key kinds are measured: RSA 2048 (what Vietnamese CAs issue) and EC P-256.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def _setup():
    import django

    django.setup()


def _result_pdf() -> bytes:
    from weasyprint import HTML

    body = "".join(
        f"<p>Điều {i}. Cấp giấy chứng nhận đăng ký khai sinh cho công dân theo hồ sơ đã tiếp nhận.</p>"
        for i in range(1, 9)
    )
    html = (
        "<html lang=vi><meta charset=utf-8><style>@page{size:A4;margin:2cm} body{font-family:'Noto Sans'}</style>"
        f"<p>UBND XÃ TÂN THÀNH</p><h1>QUYẾT ĐỊNH</h1>{body}</html>"
    )
    return HTML(string=html).write_pdf()


def _run(kind: str, n: int, pdf: bytes) -> tuple[float, float, int]:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from django.utils import timezone
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from motcua.signing import crypto, pki
    from motcua.signing.appearance import appearance_pdf
    from motcua.signing.signers import Pkcs12Signer

    ca = pki.make_ca("Bench CA", kind=kind)
    leaf = pki.make_leaf(ca, "Nguyễn Văn Lãnh Đạo", kind=kind)
    sealed = crypto.seal(crypto.load_pkcs12(pki.to_pkcs12(leaf, ca, "x"), "x").to_pkcs12())

    class _Cert:
        pkcs12_encrypted = sealed

    signer = Pkcs12Signer(_Cert())
    root = asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))
    url = "https://dichvucong.camau.gov.vn/xac-thuc/AbCdEfGhIjKlMnOpQrStUv/"
    signed = []
    start = time.perf_counter()
    for i in range(n):
        stamp = appearance_pdf(
            signer_name="Nguyễn Văn Lãnh Đạo", organisation="UBND xã Tân Thành", signed_at=timezone.now(), url=url
        )
        signed.append(
            signer.sign(
                pdf,
                field_name=f"sig{i}",
                appearance_pdf=stamp,
                reason="Ký duyệt kết quả",
                location="Cà Mau",
                contact_info=url,
            )
        )
    sign_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for data in signed:
        context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
        (embedded,) = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        status = validate_pdf_signature(embedded, context)
        assert status.intact and status.valid and status.trusted
    verify_seconds = time.perf_counter() - start
    return sign_seconds, verify_seconds, len(signed[0])


def sign_verify_figures(n: int = 20) -> list[str]:
    _setup()
    pdf = _result_pdf()
    lines = [f"one-page A4 result PDF, {len(pdf):,} bytes unsigned; {n} signatures per key kind"]
    for kind, label in (("rsa", "RSA 2048"), ("ec", "EC P-256")):
        sign_s, verify_s, size = _run(kind, n, pdf)
        lines.append(
            f"{label}: sign {n / sign_s:.1f}/s ({sign_s / n * 1000:.0f} ms each, signed file {size:,} bytes); "
            f"verify {n / verify_s:.1f}/s ({verify_s / n * 1000:.0f} ms each)"
        )
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    for line in sign_verify_figures(parser.parse_args().n):
        print(line)
