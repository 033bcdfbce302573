"""Property-based fuzzing of the whole /api/v1/ surface from its own OpenAPI description.

Schemathesis generates valid and invalid requests for every operation and sends them through the
WSGI application, as an anonymous visitor, as a citizen and as an officer. A run fails on any 5xx,
on an undeclared status code, and on any response that does not match the declared schema."""

import json
import os
import time
from collections import Counter

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

MAX_EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "20"))
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
    role = request.param
    if role == "anonymous":
        return role, {}, {"csrftoken": CSRF}
    user = fuzz_world.citizen if role == "citizen" else fuzz_world.officer
    # Session cookie plus the CSRF pair Django's session auth checks on writes, as a browser sends it.
    return role, {"X-CSRFToken": CSRF}, _cookies(client, user)


# Figures for docs/benchmarks.md: written to $MOTCUA_FUZZ_REPORT (JSON) when set.
STATS = {"operations": set(), "examples": Counter(), "statuses": Counter(), "started": time.monotonic()}


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    target = os.environ.get("MOTCUA_FUZZ_REPORT")
    if target:
        figures = {
            "operations": len(STATS["operations"]),
            "examples": dict(STATS["examples"]),
            "statuses": {str(k): v for k, v in sorted(STATS["statuses"].items())},
            "seconds": round(time.monotonic() - STATS["started"], 1),
            "max_examples": MAX_EXAMPLES,
        }
        with open(target, "w") as out:
            json.dump(figures, out, indent=1)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_fuzz(case, as_who):
    role, headers, cookies = as_who
    response = case.call(headers=headers, cookies=cookies)
    STATS["operations"].add(case.operation.label)
    STATS["examples"][role] += 1
    STATS["statuses"][response.status_code] += 1
    case.validate_response(response, checks=CHECKS, headers=headers)
