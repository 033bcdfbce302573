from motcua.core.models import Role
from motcua.demo.documents import documents_demo_build
from motcua.documents.models import IncomingDocument, OutgoingDocument
from tests.factories import OfficerFactory, grant


def test_demo_builds_once(province, agency_a, agency_b):
    for agency in (agency_a, agency_b):
        for role in (Role.RECEPTIONIST, Role.LEADER, Role.SPECIALIST):
            grant(OfficerFactory(), role, agency=agency)
    result = documents_demo_build(province=province.code)
    assert result.failures == []
    assert (result.incoming, result.outgoing) == (8, 2)
    # Each commune got the other's issued document in its incoming book.
    assert IncomingDocument.objects.filter(source_outgoing__isnull=False).count() == 2
    assert OutgoingDocument.objects.filter(status="issued").count() == 2
    again = documents_demo_build(province=province.code)
    assert (again.incoming, again.outgoing) == (0, 0)
