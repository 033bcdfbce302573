"""Demo PKI: a clearly labelled demo root CA, trusted, and certificates for the demo leaders and agency seals.

Keys are generated at load time and only kept sealed in the database (never as files). The CA's key
is not kept at all: a later run that finds someone without a certificate makes a fresh demo CA.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db.models import Q

from motcua.core.models import Agency, Role, RoleAssignment, User
from motcua.signing import crypto, pki
from motcua.signing.models import SigningCertificate, TrustRoot
from motcua.signing.services.certificates import certificate_import_pkcs12, trust_root_add, user_is_signing_admin

DEMO_CA_NAME = "motcua Demo Root CA"
DEMO_ORG = "motcua DEMO – không có giá trị pháp lý"
# Demo accounts made by motcua.demo.province: leaders sign results, agencies seal receipts.
LEADER_PREFIXES = ("lanhdao.",)
SEAL_ROLE_PREFIXES = ("lanhdao.", "thungan.", "tiepnhan.")


@dataclass
class DemoSigningResult:
    roots: int = 0
    leaders: int = 0
    seals: int = 0
    skipped: int = 0


def _prefixed(prefixes) -> Q:
    q = Q()
    for prefix in prefixes:
        q |= Q(user__username__startswith=prefix)
    return q


def signing_demo_build() -> DemoSigningResult:
    result = DemoSigningResult()
    admin = next(
        (
            u
            for u in User.objects.filter(Q(is_superuser=True) | Q(roles__role=Role.ADMINISTRATOR)).distinct()
            if user_is_signing_admin(u)
        ),
        None,
    )
    leaders = list(
        User.objects.filter(
            pk__in=RoleAssignment.objects.filter(_prefixed(LEADER_PREFIXES), role=Role.LEADER).values("user")
        ).order_by("username")
    )
    agencies = list(
        Agency.objects.filter(
            pk__in=RoleAssignment.objects.filter(_prefixed(SEAL_ROLE_PREFIXES), agency__isnull=False).values("agency")
        ).order_by("code")
    )
    holders = {c.owner_id for c in SigningCertificate.objects.filter(owner__in=leaders, is_active=True)}
    sealed = {c.agency_id for c in SigningCertificate.objects.filter(agency__in=agencies, is_active=True)}
    need_leaders = [u for u in leaders if u.pk not in holders]
    need_seals = [a for a in agencies if a.pk not in sealed] if admin is not None else []
    result.skipped = len(leaders) - len(need_leaders) + len(agencies) - len(need_seals)
    if not need_leaders and not need_seals:
        return result

    ca = pki.make_ca(DEMO_CA_NAME, org=DEMO_ORG, days=3650)
    if admin is not None:
        trust_root_add(actor=admin, pem_or_der=ca.pem, name=f"{DEMO_CA_NAME} (DEMO)", is_demo=True)
    else:  # no administrator yet: still trust the demo root so the demo verifies
        facts = crypto.facts(ca.cert)
        TrustRoot.objects.create(
            name=f"{DEMO_CA_NAME} (DEMO)",
            certificate_pem=ca.pem,
            subject=facts.subject,
            fingerprint_sha256=facts.fingerprint_sha256,
            not_after=facts.not_after,
            is_demo=True,
        )
    result.roots = 1
    for user in need_leaders:
        name = user.get_full_name() or user.username
        passphrase = secrets.token_urlsafe(12)
        data = pki.to_pkcs12(pki.make_leaf(ca, name, org=DEMO_ORG), ca, passphrase)
        certificate_import_pkcs12(actor=user, data=data, passphrase=passphrase, label=f"Chữ ký số mẫu – {name}")
        result.leaders += 1
    for agency in need_seals:
        passphrase = secrets.token_urlsafe(12)
        data = pki.to_pkcs12(pki.make_leaf(ca, agency.name[:64], org=DEMO_ORG), ca, passphrase)
        certificate_import_pkcs12(
            actor=admin, data=data, passphrase=passphrase, label=f"Con dấu số mẫu – {agency.name}"[:120], agency=agency
        )
        result.seals += 1
    return result
