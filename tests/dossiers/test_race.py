"""Two officers acting on one dossier at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connections

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, DossierEvent, DossierStatus, DossierStep
from motcua.dossiers.services.workflow import dossier_act


def _race(dossier, attempts):
    """Run each (actor, action, params) in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def run(i, actor, action, params):
        try:
            barrier.wait(timeout=10)
            dossier_act(dossier=Dossier(pk=dossier.pk), actor=actor, action=action, **params)
            outcomes[i] = "ok"
        except DomainError as exc:
            outcomes[i] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_receptionists_receiving_one_dossier(make_dossier, receptionist_a, agency_a):
    from tests.factories import OfficerFactory, grant

    other = OfficerFactory()
    grant(other, "receptionist", agency=agency_a)
    dossier = make_dossier()

    outcomes = _race(dossier, [(receptionist_a, "receive", {}), (other, "receive", {})])

    assert sorted(outcomes) == ["action_not_allowed", "ok"]
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RECEIVED
    assert DossierEvent.objects.filter(dossier=dossier, action="receive").count() == 1
    assert DossierStep.objects.filter(dossier=dossier).count() == 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_fees_and_supplement_requested_at_once(make_received_dossier, specialist_a, agency_a):
    from tests.factories import OfficerFactory, grant

    colleague = OfficerFactory()
    grant(colleague, "specialist", agency=agency_a)
    dossier = make_received_dossier()

    # Either order is legal on its own; after one, the other is not (each pauses the clock).
    outcomes = _race(
        dossier,
        [
            (specialist_a, "request_fees", {"amount": 8000}),
            (colleague, "request_supplement", {"items": ["Giấy chứng sinh"]}),
        ],
    )

    final = Dossier.objects.get(pk=dossier.pk)
    assert outcomes.count("ok") == 1 and outcomes.count("action_not_allowed") == 1
    winner = "request_fees" if outcomes[0] == "ok" else "request_supplement"
    expected = {
        "request_fees": DossierStatus.PAYMENT_REQUESTED,
        "request_supplement": DossierStatus.SUPPLEMENT_REQUESTED,
    }
    assert final.status == expected[winner]
    assert final.supplement_count == (1 if winner == "request_supplement" else 0)
    assert DossierEvent.objects.filter(dossier=dossier).exclude(action="receive").count() == 1
