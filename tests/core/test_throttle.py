"""Rate-limit counters: a lookup's count and its give-back, and on PostgreSQL the commit that does not
wait for the disk applies to the counter's own statement only."""

import pytest
from django.db import connection, transaction

from motcua.core.throttle import counter_hit, counter_peek, counter_release


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_throttle_hit_and_release_give_the_count_back():
    assert counter_hit("throttle:t1", limit=2, window_seconds=60).allowed
    assert counter_peek("throttle:t1") == 1
    counter_release("throttle:t1")
    counter_release("throttle:t1")  # never below zero
    assert counter_peek("throttle:t1") == 0
    assert [counter_hit("throttle:t1", limit=2, window_seconds=60).allowed for _ in range(3)] == [True, True, False]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_throttle_outside_a_transaction_leaves_the_session_setting_alone():
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    assert counter_hit("throttle:t2", limit=5, window_seconds=60).count == 1
    assert counter_hit("throttle:t2", limit=5, window_seconds=60).count == 2
    counter_release("throttle:t2")
    assert counter_peek("throttle:t2") == 1
    assert _synchronous_commit() == "on"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_throttle_inside_a_transaction_leaves_the_callers_commit_alone():
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    with transaction.atomic():
        counter_hit("throttle:t3", limit=5, window_seconds=60)
        counter_release("throttle:t3")
        assert _synchronous_commit() == "on"
    assert counter_peek("throttle:t3") == 0
