"""Concurrent ratings: the same link twice at once, and many dossiers of one agency at once."""

import threading

import pytest
from django.db import connections

from motcua.core.errors import DomainError
from motcua.ratings import services
from motcua.ratings.models import Rating, RatingRollup

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, kwargs):
        try:
            barrier.wait(timeout=10)
            services.rating_submit(**kwargs)
            outcomes[i] = "ok"
        except DomainError as exc:
            outcomes[i] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, kw)) for i, kw in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_same_token_twice_at_once(return_dossier, agency_a):
    dossier = return_dossier()
    _invitation, token = services.invitation_create(dossier=dossier)
    outcomes = _race([{"token": token, "level": 4, "channel": "sms"}, {"token": token, "level": 1, "channel": "zalo"}])
    assert sorted(outcomes) == ["ok", "rating_already_done"]
    assert Rating.objects.filter(dossier=dossier).count() == 1
    row = RatingRollup.objects.get(dimension="agency", key=agency_a.pk)
    assert row.very_satisfied + row.not_satisfied == 1


def test_many_dossiers_of_one_agency_at_once(return_dossier, agency_a):
    tokens = [services.invitation_create(dossier=return_dossier())[1] for _ in range(4)]
    outcomes = _race([{"token": t, "level": 4, "channel": "sms"} for t in tokens])
    assert outcomes == ["ok"] * 4
    assert RatingRollup.objects.get(dimension="agency", key=agency_a.pk).very_satisfied == 4
