import pytest


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
