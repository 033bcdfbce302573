"""Property-based fuzzing of the whole /api/v1/ surface from its own OpenAPI description.

Schemathesis generates valid and invalid requests for every operation and sends them through the
WSGI application, as an anonymous visitor, as a citizen and as an officer. A run fails on any 5xx,
on an undeclared status code, and on any response that does not match the declared schema."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.api import api
from tests.api.seed import seed_world

MAX_EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "10"))
CSRF = "fuzzcsrftoken0123456789abcdefghi"  # 32 characters: a valid CSRF secret

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def _one_connection():
    # Requests go through the plain WSGI handler, which closes the database connection after each one
    # (it would end the test's transaction); Django's test client disconnects the same signal.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, _one_connection):
    with django_db_blocker.unblock(), transaction.atomic():
        world = seed_world()
        yield world
        transaction.set_rollback(True)


def _cookies(client, user) -> dict:
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


@pytest.fixture(params=["anonymous", "citizen", "officer"])
def as_who(request, fuzz_world, client, db):
    if request.param == "anonymous":
        return {}, {"csrftoken": CSRF}
    user = fuzz_world.citizen if request.param == "citizen" else fuzz_world.officer
    return {"X-CSRFToken": CSRF}, _cookies(client, user)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_fuzz(case, as_who):
    headers, cookies = as_who
    response = case.call(headers=headers, cookies=cookies)
    case.validate_response(response, checks=CHECKS, headers=headers)
