"""The OpenAPI description is honest: every 4xx an operation can answer is declared with the shared
error schema, and every component name stands for one model only (a name shared by two models made
the description show one model's fields for the other's: procedure documents, dossier events)."""

import enum
import typing

import pytest
from pydantic import BaseModel

from motcua.api import api

ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture(scope="module")
def openapi():
    return api.get_openapi_schema()


def _operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def _error_ref(response: dict) -> str | None:
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


def test_every_operation_declares_the_common_errors(openapi):
    missing = []
    for path, method, operation in _operations(openapi):
        expected = {400, 404, 422, 429}
        if method not in ("GET", "HEAD", "OPTIONS"):
            expected |= {409, 413}
        if operation.get("security"):
            expected |= {401, 403}
        for status in sorted(expected):
            response = operation["responses"].get(status) or operation["responses"].get(str(status))
            if response is None or _error_ref(response) != ERROR_REF:
                missing.append(f"{method} {path} {status}")
    assert missing == []


def test_declared_errors_use_the_shared_schema(openapi):
    wrong = [
        f"{method} {path} {status}"
        for path, method, operation in _operations(openapi)
        for status, response in operation["responses"].items()
        if 400 <= int(status) < 500 and "content" in response and _error_ref(response) != ERROR_REF
    ]
    assert wrong == []


def test_error_schema_is_code_and_message(openapi):
    error = openapi["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message"}


def _models(tp, found: dict[str, set]) -> None:
    """Every pydantic model and enum reachable from an annotation, by the name OpenAPI gives it."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in found.get(tp.__name__, set()):
            return
        found.setdefault(tp.__name__, set()).add(tp)
        for field in tp.model_fields.values():
            _models(field.annotation, found)
        return
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        found.setdefault(tp.__name__, set()).add(tp)
        return
    for arg in typing.get_args(tp):
        _models(arg, found)


def test_component_names_are_unique():
    found: dict[str, set] = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    if model is not None and isinstance(model, type):
                        for field in model.model_fields.values():
                            _models(field.annotation, found)
    shared = {name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
              for name, models in found.items() if len(models) > 1}
    assert shared == {}


def test_procedure_documents_use_their_own_component(openapi):
    detail = openapi["components"]["schemas"]["ProcedureDetailOut"]["properties"]["documents"]
    assert detail["items"]["$ref"] == "#/components/schemas/ProcedureDocumentOut"
    document = openapi["components"]["schemas"]["ProcedureDocumentOut"]["properties"]
    assert {"originals", "copies", "form_name", "is_required"} <= set(document)


def test_dossier_event_note_may_be_null(openapi):
    events = openapi["components"]["schemas"]["DossierDetailOut"]["properties"]["events"]
    assert events["items"]["$ref"] == "#/components/schemas/DossierEventOut"
    note = openapi["components"]["schemas"]["DossierEventOut"]["properties"]["note"]
    assert {"type": "null"} in note["anyOf"]


def test_no_operation_relies_on_a_single_non_200_response():
    # Ninja answers with the only declared status when there is one; once the common errors are
    # declared there are several, so a view must say `Status(201, ...)` itself.
    single = [
        f"{sorted(operation.methods)} {path}"
        for bound in api._get_bound_routers()
        for path, path_view in bound.template.path_operations.items()
        for operation in path_view.operations
        if len(operation.response_models) == 1 and next(iter(operation.response_models)) != 200
    ]
    assert single == []
