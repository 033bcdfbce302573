import pytest


def pytest_runtest_setup(item):
    # Row locks under concurrent threads need PostgreSQL; SQLite serialises whole-database writes
    # (and its test database is in memory), so these tests say nothing there.
    if item.get_closest_marker("postgres_only"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: row locks under concurrent threads")


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # The calendar keeps overrides in process memory; a rolled-back test must not leak them.
    from motcua.core.calendar import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    # The cache is a database table (settings.CACHES). Tests inside a transaction roll their rows back;
    # tests that commit (live server, browser, threads) would leave throttle counters for the next test.
    yield
    committing = {"transactional_db", "live_server", "django_db_serialized_rollback"} & set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if committing or (marker and marker.kwargs.get("transaction")):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


class _Clock:
    """The rate-limit counters' clock (`motcua.core.throttle.now_ms`), moved by hand instead of sleeping."""

    def __init__(self, start_ms: int):
        self.ms = start_ms

    def __call__(self) -> int:
        return self.ms

    def advance(self, seconds: float) -> None:
        self.ms += int(seconds * 1000)


@pytest.fixture
def throttle_clock(monkeypatch):
    from motcua.core import throttle

    clock = _Clock(throttle.now_ms())
    monkeypatch.setattr(throttle, "now_ms", clock)
    return clock


@pytest.fixture
def document_types(db):
    """The document types a seeding migration writes. A transactional test's database is flushed
    after it, seeded rows included, so tests that may run after one (live server, threads) ask for
    them again through the migration's own function."""
    import importlib

    from django.apps import apps

    importlib.import_module("motcua.documents.migrations.0002_seed_types_search_index").seed(apps, None)
