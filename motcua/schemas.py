"""Schemas shared by every API router (kept apart from motcua.api to avoid import cycles)."""

from typing import Annotated

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    """Every API error: a machine-readable code and a Vietnamese message."""

    code: str
    message: str
    details: list[dict] | dict | None = None


def column_text(model, field_name: str, **field_kwargs):
    """`str` no longer than the model column it is stored in, read from the column so the two cannot drift.

    Use for every string input that ends up in a `CharField`: a value the column cannot hold is then
    a 422 `validation_error` naming the field, not a database error after half the work is done."""
    max_length = model._meta.get_field(field_name).max_length
    return Annotated[str, Field(max_length=max_length, **field_kwargs)]


# Statuses every operation can answer, whatever it does: refused input (control characters, a
# malformed body: 400), something not there (404), input that fails validation or an integer out of
# the database's range (422), too many requests (429).
COMMON_ERRORS = (400, 404, 422, 429)
# Operations with a body can also meet a conflicting state (409) or a body too large (413).
BODY_ERRORS = (409, 413)
# Operations behind sign-in answer 401 to a visitor and 403 to someone without the right.
AUTH_ERRORS = (401, 403)


def declare_error_responses(api) -> None:
    """Declare the shared error schema for the 4xx each operation can answer, once for the whole API.

    Routers keep declaring what they document specially; this fills in the standard set so that the
    OpenAPI description never omits a status the server really sends (schemathesis checks it)."""
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                codes = set(COMMON_ERRORS)
                if set(operation.methods) - {"GET", "HEAD", "OPTIONS"}:
                    codes |= set(BODY_ERRORS)
                if operation.auth_callbacks:
                    codes |= set(AUTH_ERRORS)
                for code in sorted(codes - set(operation.response_models)):
                    operation.response_models[code] = operation._create_response_model(ErrorOut)
