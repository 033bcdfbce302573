"""The world the access matrix reads: one province, two communes, two departments, five citizens,
each citizen with one record of every kind, and one officer per role.

Subjects (whose records, handled where):
- AN: the acting citizen; lives in commune A; records at commune A's committee.
- X:  another citizen of commune A; records at commune A's committee.
- B:  lives in commune B; records at commune B's committee.
- J:  lives in commune B; records at the Department of Justice (Sở Tư pháp).
- H:  lives in commune B; records at the Department of Health (Sở Y tế).

Records per subject: the person, a dossier (waiting for fees) with one input file, an SMS tied to
the dossier, a field report they filed (routed to the subject's agency), the household they head,
the dossier's payment request, the receipt for paying it, and their rating of the dossier.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.core.models import AgencyKind, Role
from motcua.dossiers.models import Channel, Dossier, DossierDocument, DossierStatus
from motcua.notifications.models import Message
from motcua.outreach.models import Household, OutreachTeam, TeamMember
from motcua.payments.models import PaymentMethod, PaymentRequest
from motcua.payments.services.apply import payment_record
from motcua.payments.services.references import reference_new
from motcua.ratings.models import Rating, RatingChannel, RatingLevel
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    FieldReportFactory,
    HamletFactory,
    OfficerFactory,
    PersonFactory,
    ProcedureFactory,
    ProvinceFactory,
    grant,
)

SUBJECTS = ("AN", "X", "B", "J", "H")
_codes = itertools.count(1)


@dataclass
class Records:
    person: object
    user: object
    dossier: Dossier
    document: DossierDocument
    message: Message
    report: object
    household: Household
    payment_request: PaymentRequest
    receipt: object
    rating: Rating


@dataclass
class World:
    actors: dict = field(default_factory=dict)
    records: dict[str, Records] = field(default_factory=dict)


def _subject(key: str, *, commune, hamlet, agency, procedure) -> Records:
    person = PersonFactory(unit=commune, hamlet=hamlet, full_name=f"Công Dân {key}", address=f"{hamlet.name}")
    user = CitizenUserFactory(person=person)
    dossier = Dossier.objects.create(
        code=f"{agency.code}-260316-{next(_codes):04d}",
        procedure=procedure,
        procedure_snapshot={"time_limit_days": "3"},
        status=DossierStatus.PAYMENT_REQUESTED,
        channel=Channel.ONLINE,
        applicant_person=person,
        applicant_name=person.full_name,
        applicant_personal_id=person.personal_id,
        applicant_phone=person.phone,
        submitted_by=user,
        receiving_agency=agency,
        current_agency=agency,
        submitted_at=timezone.now() - datetime.timedelta(days=2),
        received_at=timezone.now() - datetime.timedelta(days=2),
    )
    document = DossierDocument.objects.create(
        dossier=dossier,
        name=f"Tờ khai {key}",
        file=ContentFile(b"%PDF-1.4 test", name=f"to-khai-{key}.pdf"),
        content_type="application/pdf",
        size=13,
    )
    message = Message.objects.create(
        person=person,
        channel="sms",
        recipient=person.phone,
        event="dossier.received",
        subject_type="dossier",
        subject_id=str(dossier.pk),
        body=f"Noi dung tin nhan rieng {key}",
        dedupe_key=f"matrix:{key}",
    )
    report = FieldReportFactory(
        unit=commune, agency=agency, reporter=user, reporter_name=person.full_name, reporter_phone=person.phone
    )
    household = Household.objects.create(
        unit=commune, hamlet=hamlet, head=person, head_name=person.full_name, address=hamlet.name
    )
    payment_request = PaymentRequest.objects.create(
        dossier=dossier,
        agency=agency,
        reference=reference_new(),
        items=[{"name": "Lệ phí", "amount": 8000, "exempt": False}],
        amount_due=8000,
    )
    payment = payment_record(method=PaymentMethod.CASH, amount=8000, request=payment_request, payer_name="")
    receipt = payment.payment.receipts.get()
    rating = Rating.objects.create(
        dossier=dossier, level=RatingLevel.SATISFIED, channel=RatingChannel.PORTAL, rated_at=timezone.now()
    )
    return Records(person, user, dossier, document, message, report, household, payment_request, receipt, rating)


def build_world() -> World:
    province = ProvinceFactory()
    commune_a = CommuneFactory(parent=province, name="Xã Tân Thành")
    commune_b = CommuneFactory(parent=province, name="Xã Lý Văn Lâm")
    hamlet_a, hamlet_b = HamletFactory(unit=commune_a), HamletFactory(unit=commune_b)
    committee_a = AgencyFactory(unit=commune_a, name="UBND xã Tân Thành")
    committee_b = AgencyFactory(unit=commune_b, name="UBND xã Lý Văn Lâm")
    justice = AgencyFactory(unit=province, name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT)
    health = AgencyFactory(unit=province, name="Sở Y tế", kind=AgencyKind.DEPARTMENT)
    procedure = ProcedureFactory()
    world = World()
    places = {
        "AN": (commune_a, hamlet_a, committee_a),
        "X": (commune_a, hamlet_a, committee_a),
        "B": (commune_b, hamlet_b, committee_b),
        "J": (commune_b, hamlet_b, justice),
        "H": (commune_b, hamlet_b, health),
    }
    for key, (commune, hamlet, agency) in places.items():
        world.records[key] = _subject(key, commune=commune, hamlet=hamlet, agency=agency, procedure=procedure)

    def officer(name: str, role: str, **scope):
        user = OfficerFactory(username=name)
        grant(user, role, **scope)
        return user

    world.actors = {
        "citizen": world.records["AN"].user,
        "one_stop_officer": officer("tiepnhan_a", Role.RECEPTIONIST, agency=committee_a),
        "specialist": officer("chuyenvien_a", Role.SPECIALIST, agency=committee_a),
        "leader": officer("lanhdao_a", Role.LEADER, agency=committee_a),
        "cashier": officer("thungan_a", Role.CASHIER, agency=committee_a),
        "report_handler": officer("phananh_a", Role.REPORT_HANDLER, agency=committee_a),
        "team_member": officer("tocnscd_a", Role.OUTREACH_MEMBER, unit=commune_a),
        "commune_manager": officer("quanly_a", Role.MANAGER, unit=commune_a),
        "department_officer": officer("chuyenvien_stp", Role.SPECIALIST, agency=justice),
        "province_manager": officer("quanly_tinh", Role.MANAGER, unit=province),
        "administrator": officer("quantri", Role.ADMINISTRATOR, unit=province),
    }
    team = OutreachTeam.objects.create(unit=commune_a, name="Tổ CNSCĐ xã Tân Thành")
    TeamMember.objects.create(team=team, user=world.actors["team_member"], full_name="Tổ viên")
    return world
