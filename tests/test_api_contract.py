"""What the published API promises, checked over every operation of /api/openapi.json, so an
endpoint added tomorrow is held to it without being listed here."""

import json
import typing

import pytest
from django.test import Client
from pydantic import BaseModel

from tracecode.api import api

from .openapi import operations, published

pytestmark = pytest.mark.django_db

ERROR_SHAPE = {"$ref": "#/components/schemas/ErrorOut"}
# Operations that ask nobody to sign in (no `security` in the schema), and why.
PUBLIC = {"POST /api/enquiries/submit": "the website's enquiry form, posted by its visitors"}
DUMMY = {"code": "RK1", "contact_code": "RK1-C01", "number": "RK1-1-S1", "action": "confirm",
         "name": "contract_review", "fmt": "pdf"}  # fmt: skip


def dummy_url(operation) -> str:
    ints = {p["name"] for p in operation.spec.get("parameters", [])
            if p["in"] == "path" and p["schema"].get("type") == "integer"}  # fmt: skip
    return operation.url({name: 1 if name in ints else DUMMY.get(name, "x") for name in
                          operation.path_params})  # fmt: skip


@pytest.fixture
def document(client):
    return published(client)


def models_in(annotation, seen: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            models_in(field.annotation, seen)
        return
    for argument in typing.get_args(annotation):
        models_in(argument, seen)


def test_no_two_schemas_share_a_name():
    """Two classes of one name are one component: the second's shape documents both."""
    seen: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    models_in(model, seen)
    by_name: dict[str, set] = {}
    for model in seen:
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    twins = {name: classes for name, classes in by_name.items() if len(classes) > 1}
    twins.pop("Input", None)  # ninja's own parameter models, never a component
    assert not {n: c for n, c in twins.items() if not n.endswith("Params")}, twins


def test_a_customer_is_documented_with_its_own_figures(document):
    schemas = document["components"]["schemas"]
    figures = schemas["CustomerDetailOut"]["properties"]["figures"]["$ref"].rsplit("/", 1)[-1]
    assert "communication_per_month" in schemas[figures]["properties"]
    sales = document["paths"]["/api/sales/figures/{code}"]["get"]["responses"]["200"]
    sales_figures = sales["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "order_value_12m" in schemas[sales_figures]["properties"]
    assert figures != sales_figures


def test_every_operation_documents_its_errors_in_the_one_shape(document):
    """401 wherever one must sign in, 422 wherever there is input, 400 for a body that does not
    parse; the 404, 403 and 409 each operation gives are checked by the fuzzer
    (tests/test_fuzz.py)."""
    missing = []
    for operation in operations(document):
        responses = operation.spec["responses"]
        wanted = {"401"} if operation.spec.get("security") else set()
        if "401" in responses and not operation.spec.get("security"):
            missing.append(f"{operation} 401 documented, but nobody need sign in")
        if operation.spec.get("parameters") or operation.body:
            wanted.add("422")
        if operation.body:
            wanted.add("400")
        for status in sorted(wanted):
            media = responses.get(status, {}).get("content", {}).get("application/json", {})
            shapes = media.get("schema", {})
            if shapes != ERROR_SHAPE and ERROR_SHAPE not in shapes.get("anyOf", []):
                missing.append(f"{operation} {status}")
    assert not missing, missing


@pytest.mark.parametrize(
    "params", [{"offset": -1}, {"offset": 2**64}, {"limit": 2**64}, {"limit": 0}]
)
def test_every_list_refuses_a_page_out_of_bounds(document, client, alice, token_of, params):
    lists = [
        o
        for o in operations(document)
        if o.method == "get" and {"limit", "offset"} <= {p["name"] for p in o.query_params}
    ]
    assert len(lists) >= 6  # customers, mail, projects, quotations, orders, complaints
    headers = {"Authorization": token_of(alice)}
    for operation in lists:
        response = client.get(dummy_url(operation), params, headers=headers)
        assert response.status_code == 422, (str(operation), response.content)
        assert set(response.json()["error"]["fields"]) == set(params), str(operation)


@pytest.mark.parametrize("body", [42, [None, None], None, "text", [{}]])
def test_every_json_body_must_be_an_object(document, client, alice, token_of, body):
    headers = {"Authorization": token_of(alice)}
    taking_json = [o for o in operations(document) if o.takes_json]
    assert len(taking_json) >= 30
    for operation in taking_json:
        response = getattr(client, operation.method)(
            dummy_url(operation), json.dumps(body), content_type="application/json",
            headers=headers,
        )  # fmt: skip
        assert response.status_code == 422, (str(operation), response.content)
        assert response.json()["error"]["code"] == "validation_error"


def test_only_the_public_operations_ask_nobody_to_sign_in(document):
    public = {str(o) for o in operations(document) if not o.spec.get("security")}
    assert public == set(PUBLIC)


def test_anonymous_writes_are_401_like_anonymous_reads(document, db):
    browser = Client(enforce_csrf_checks=True)
    for operation in operations(document):
        if str(operation) in PUBLIC:
            continue
        if operation.is_write:
            response = getattr(browser, operation.method)(
                dummy_url(operation), "{}", content_type="application/json"
            )
        else:
            response = browser.get(dummy_url(operation))
        assert response.status_code == 401, (str(operation), response.content)
        assert response.json()["error"]["code"] == "unauthorized"


def test_a_signed_in_browser_still_needs_the_csrf_token_to_write(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get("/api/me").status_code == 200
    refused = browser.post("/api/customers/", "{}", content_type="application/json")
    assert refused.status_code == 403


def test_every_date_parameter_refuses_a_number(document, client, alice, token_of):
    """`?until=0` is no date, though pydantic alone reads it as 1 January 1970."""
    headers = {"Authorization": token_of(alice)}
    dated = [
        (o, p["name"])
        for o in operations(document)
        if o.method == "get"
        for p in o.query_params
        if "date" in {s.get("format") for s in [p["schema"], *p["schema"].get("anyOf", [])]}
    ]
    assert len(dated) >= 3  # the enquiries' figures, the reports' from and to
    for operation, name in dated:
        response = client.get(dummy_url(operation), {name: "0"}, headers=headers)
        assert response.status_code == 422, (str(operation), name, response.content)
        assert name in response.json()["error"]["fields"], str(operation)
