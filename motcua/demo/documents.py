"""Demo official documents for the first demo communes: incoming ones at each stage, one issued
outgoing document delivered to a neighbour. Safe to run again (agencies with documents are skipped)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from motcua.core import scope
from motcua.core.errors import DomainError
from motcua.core.models import Agency, AgencyKind, Role
from motcua.documents.models import DocumentOffice, IncomingDocument
from motcua.documents.services import (
    incoming_assign,
    incoming_present,
    issue_outgoing,
    outgoing_approve,
    outgoing_draft,
    outgoing_submit,
    register_incoming,
)

COMMUNES = 2
INCOMING = (
    ("Sở Nội vụ tỉnh", "CV", "215/SNV-VP", "Về việc rà soát thủ tục hành chính nội bộ năm 2026", "normal"),
    ("UBND tỉnh", "QĐ", "1024/QĐ-UBND", "Quyết định công bố danh mục thủ tục hành chính lĩnh vực hộ tịch", "urgent"),
    ("Sở Tư pháp tỉnh", "KH", "37/KH-STP", "Kế hoạch kiểm tra công tác chứng thực trên địa bàn tỉnh", "normal"),
    ("Công an tỉnh", "CV", "880/CAT-PC06", "Về việc đẩy mạnh thu thập, làm sạch dữ liệu dân cư", "normal"),
)


@dataclass
class DemoDocumentsResult:
    incoming: int = 0
    outgoing: int = 0
    failures: list[str] = field(default_factory=list)


def documents_demo_build(*, province: str) -> DemoDocumentsResult:
    result = DemoDocumentsResult()
    agencies = list(
        Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True)
        .filter(Q(unit__parent__code=province) | Q(unit__parent__parent__code=province))
        .order_by("code")[:COMMUNES]
    )
    for index, agency in enumerate(agencies):
        if IncomingDocument.objects.filter(agency=agency, source_outgoing__isnull=True).exists():
            continue
        clerk = scope.officers_holding(Role.RECEPTIONIST, agencies=[agency.pk]).order_by("pk").first()
        leader = scope.officers_holding(Role.LEADER, agencies=[agency.pk]).order_by("pk").first()
        specialist = scope.officers_holding(Role.SPECIALIST, agencies=[agency.pk]).order_by("pk").first()
        if not (clerk and leader and specialist):
            result.failures.append(f"{agency.name}: thiếu cán bộ văn thư, lãnh đạo hoặc chuyên viên")
            continue
        DocumentOffice.objects.get_or_create(agency=agency, defaults={"abbreviation": "UBND", "head": leader})
        try:
            for number, (sender, doc_type, code, summary, urgency) in enumerate(INCOMING):
                document = register_incoming(
                    agency=agency,
                    actor=clerk,
                    sender_name=sender,
                    doc_type=doc_type,
                    doc_number=code,
                    summary=summary,
                    urgency=urgency,
                    is_electronic=number % 2 == 0,
                )
                result.incoming += 1
                if number >= 1:
                    incoming_present(document=document, actor=clerk, leader=leader)
                if number >= 2:
                    incoming_assign(
                        document=document,
                        actor=leader,
                        lead=specialist,
                        instruction="Đề nghị chủ trì tham mưu",
                        days=5,
                    )
            neighbour = agencies[(index + 1) % len(agencies)] if len(agencies) > 1 else None
            draft = outgoing_draft(
                agency=agency,
                actor=clerk,
                doc_type="CV",
                title="V/v báo cáo kết quả rà soát thủ tục hành chính",
                body="Ủy ban nhân dân báo cáo kết quả rà soát như sau…",
                signer=leader,
                signer_position="Chủ tịch",
                recipients_text="Sở Nội vụ tỉnh",
                internal_recipients=[neighbour] if neighbour else [],
            )
            outgoing_submit(document=draft, actor=clerk)
            outgoing_approve(document=draft, actor=leader)
            issue_outgoing(document=draft, actor=clerk)
            result.outgoing += 1
        except DomainError as exc:
            result.failures.append(f"{agency.name}: {exc.message}")
    return result
