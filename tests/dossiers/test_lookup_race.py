"""The lookup's failure counter is atomic: 200 parallel wrong guesses from one address get at most
LOOKUP_MAX_FAILURES (20) answers; the rest are refused with 429 (before: 62-132 got through)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from motcua.core.throttle import counter_hit
from motcua.dossiers.selectors import lookup as selectors_lookup

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

REQUESTS = 200
THREADS = 20


def _in_parallel(task, n: int) -> list:
    """Run task(i) for i in range(n) on THREADS threads (own database connection each), started together."""
    start = threading.Barrier(THREADS)
    share = [list(range(t, n, THREADS)) for t in range(THREADS)]

    def worker(indices):
        try:
            start.wait()
            return [task(i) for i in indices]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return [result for chunk in pool.map(worker, share) for result in chunk]


def test_200_parallel_wrong_guesses_get_at_most_20_answers():
    assert selectors_lookup.LOOKUP_MAX_FAILURES == 20

    def guess(i):
        client = Client(REMOTE_ADDR="203.0.113.50")
        response = client.get("/api/v1/lookup", {"code": "000.00.20.H12-260315-0007", "phone4": f"{i:04d}"})
        return response.status_code, response.json()["code"]

    results = _in_parallel(guess, REQUESTS)
    answered = [r for r in results if r == (404, "dossier_not_found")]
    refused = [r for r in results if r == (429, "too_many_attempts")]
    assert len(answered) == 20
    assert len(refused) == REQUESTS - 20


def test_counter_hands_out_each_count_once():
    hits = _in_parallel(lambda i: counter_hit("race:test", limit=20, window_seconds=600), REQUESTS)
    assert sorted(h.count for h in hits) == list(range(1, REQUESTS + 1))
    assert sum(h.allowed for h in hits) == 20
