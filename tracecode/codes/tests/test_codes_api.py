import pytest

from tracecode.codes import services
from tracecode.customers.models import Customer

from .helpers import give

pytestmark = pytest.mark.django_db

GOOD_FILE = '[scheme.bj]\nlabel = "Quotation"\npattern = "BJ{YYYY}{MM}{serial:4}"\n'
BAD_FILE = '[scheme.bj]\npattern = "BJ{YYYY}{MM}{serail:4}"\n'


def api(client, method, path, user, token_of, **data):
    headers = {"Authorization": token_of(user)}
    if method == "get":
        return client.get(f"/api/codes{path}", headers=headers)
    return client.post(f"/api/codes{path}", data, content_type="application/json", headers=headers)


def test_an_administrator_gives_a_code(client, administrator, token_of):
    response = api(client, "post", "/next", administrator, token_of, scheme="customer")
    assert response.status_code == 200
    assert response.json() == {"code": "RK001"}


def test_a_sales_user_may_not_give_bare_codes(client, alice, token_of):
    response = api(client, "post", "/next", alice, token_of, scheme="customer")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_coding_error_is_422_with_the_field(client, administrator, token_of):
    response = api(
        client, "post", "/next", administrator, token_of, scheme="project", parent="RK404"
    )
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "coding_error" and "parent" in body["fields"]


def test_no_token_is_401(client, db):
    assert (
        client.post(
            "/api/codes/find", {"text": "RK001"}, content_type="application/json"
        ).status_code
        == 401
    )


def test_explain_shows_the_parts(client, alice, token_of):
    body = api(client, "get", "/explain/RK1038-1-S1", alice, token_of).json()
    assert body["scheme"] == "order"
    assert body["summary"] == "Order RK1038-1-S1: customer RK1038; project 1; S = Sample order; 1st"
    assert body["registered"] is False


def test_explain_tells_the_registry_only_to_those_who_may_see_the_record(
    client, alice, bob, token_of
):
    services.create_with_code(Customer(company_name="Nordwerk", owner=alice), "customer")
    assert api(client, "get", "/explain/RK001", alice, token_of).json()["registered"] is True
    hidden = api(client, "get", "/explain/RK001", bob, token_of).json()
    unknown = api(client, "get", "/explain/RK002", bob, token_of).json()
    assert hidden["registered"] is False and set(hidden) == set(unknown)


def test_find_lists_codes_in_a_mail_subject(client, alice, token_of):
    text = "Re: RK1038-1-S1 drawing rev B / PI RK1038-1-M2"
    found = api(client, "post", "/find", alice, token_of, text=text).json()
    assert [f["code"] for f in found] == ["RK1038-1-S1", "RK1038-1-M2"]


def test_preview_of_a_parent_bob_may_not_see_is_404(client, alice, bob, token_of):
    customer = services.create_with_code(Customer(company_name="Nordwerk", owner=alice), "customer")
    give("project", parent=customer.code)
    response = api(
        client, "post", "/preview", bob, token_of, scheme="project", parent=customer.code
    )
    assert response.status_code == 404
    mine = api(client, "post", "/preview", alice, token_of, scheme="project", parent=customer.code)
    assert mine.json() == {"code": "RK001-2"}


def test_check_reports_problems_without_loading(client, alice, token_of):
    body = api(client, "post", "/check", alice, token_of, text=BAD_FILE).json()
    assert body["ok"] is False
    assert body["problems"][0]["line"] == 2 and body["problems"][0]["scheme"] == "bj"
    assert "bj" not in services.schemes()


def test_an_administrator_loads_a_scheme_file(client, administrator, token_of):
    response = api(client, "post", "/schemes", administrator, token_of, text=GOOD_FILE)
    assert response.json() == {"loaded": ["bj"]}
    names = [s["name"] for s in api(client, "get", "/schemes", administrator, token_of).json()]
    assert "bj" in names and "customer" in names


def test_a_bad_scheme_file_is_422_and_changes_nothing(client, administrator, token_of):
    response = api(client, "post", "/schemes", administrator, token_of, text=BAD_FILE)
    assert response.status_code == 422
    assert "has no serial" in response.json()["error"]["fields"]["text"][0]
    assert "bj" not in services.schemes()


def test_only_administrators_load_cancel_import_and_move_counters(client, manager, token_of):
    for path, data in [
        ("/schemes", {"text": GOOD_FILE}),
        ("/cancel", {"code": "RK001"}),
        ("/import", {"scheme": "customer", "csv": "RK888\n"}),
        ("/counters/next", {"scheme": "customer", "next_serial": 100}),
    ]:
        assert api(client, "post", path, manager, token_of, **data).status_code == 403, path


def test_administrators_import_cancel_and_move_counters(client, administrator, token_of):
    assert api(
        client, "post", "/import", administrator, token_of, scheme="customer", csv="RK888\n"
    ).json() == {"imported": 1}
    assert api(client, "post", "/cancel", administrator, token_of, code="RK888").json() == {
        "code": "RK888"
    }
    moved = api(
        client,
        "post",
        "/counters/next",
        administrator,
        token_of,
        scheme="customer",
        next_serial=1000,
        reason="x",
    )
    assert moved.json() == {"code": "RK1000"}
    bad = api(client, "post", "/import", administrator, token_of, scheme="customer", csv="RK1\n")
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("line 1:")


def test_a_deeply_nested_file_is_a_problem_not_a_server_error(client, administrator, token_of):
    deep = "a = " + "[" * 5000 + "]" * 5000
    checked = api(client, "post", "/check", administrator, token_of, text=deep)
    assert checked.status_code == 200
    assert "nested too deeply" in checked.json()["problems"][0]["message"]
    loaded = api(client, "post", "/schemes", administrator, token_of, text=deep)
    assert (
        loaded.status_code == 422
        and "nested too deeply" in loaded.json()["error"]["fields"]["text"][0]
    )


def test_a_carriage_return_in_legacy_codes_is_a_row_end(client, administrator, token_of):
    response = api(client, "post", "/import", administrator, token_of, scheme="customer",
                   csv="code\rRK888\rRK1036\r")  # fmt: skip
    assert response.json() == {"imported": 2}
