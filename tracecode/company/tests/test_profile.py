"""The company's profile and bank accounts: an administrator edits them on a page and through
the API; what is left empty is the configured default; each currency prints its account."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tracecode.company import services
from tracecode.company.models import BankAccount, CompanyProfile

pytestmark = pytest.mark.django_db

EUR_ACCOUNT = {
    "currency": "EUR",
    "bank_name": "Bank of China Frankfurt Branch",
    "swift": "bkchdeff",
    "account_name": "REKO Precision Parts Co., Ltd.",
    "account_number": "DE12 5001 0517 0648 4898 90",
}


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def test_without_a_profile_the_letterhead_is_the_configured_one(settings):
    head = services.letterhead("EUR")
    assert head["name"] == settings.COMPANY_NAME and head["name_zh"] == settings.COMPANY_NAME_ZH
    assert head["bank"] == settings.BANK_DETAILS


def test_an_administrator_saves_the_profile_on_the_page(client_of, administrator, settings):
    client = client_of(administrator)
    assert client.get("/company/").status_code == 200
    logo = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    answer = client.post(
        "/company/",
        {"name": "REKO Parts GmbH", "name_zh": "瑞科零件", "address": "Hafenstr. 1, Hamburg",
         "default_currency": "EUR", "entity": "szq", "document_terms": "Goods remain ours.",
         "logo": logo},
    )  # fmt: skip
    assert answer.status_code == 302
    head = services.letterhead()
    assert head["name"] == "REKO Parts GmbH" and head["name_zh"] == "瑞科零件"
    assert head["phone"] == settings.COMPANY_PHONE  # left empty: the default
    assert head["logo"].startswith("data:image/svg+xml;base64,")
    assert head["entity"] == "SZQ" and head["terms"] == "Goods remain ours."


def test_a_logo_that_is_not_an_image_is_refused_and_nothing_is_lost(client_of, administrator):
    answer = client_of(administrator).post(
        "/company/",
        {"name": "Typed name", "logo": SimpleUploadedFile("logo.exe", b"MZ")},
    )
    assert answer.status_code == 200
    assert "PNG, JPEG or SVG" in answer.text and "Typed name" in answer.text
    assert not CompanyProfile.objects.exists()


def test_each_currency_prints_its_own_account(client_of, administrator, settings):
    client = client_of(administrator)
    assert client.post("/company/accounts/new/", EUR_ACCOUNT).status_code == 302
    account = BankAccount.objects.get()
    assert account.swift == "BKCHDEFF"
    assert "DE12 5001" in services.letterhead("EUR")["bank"]
    assert services.letterhead("USD")["bank"] == settings.BANK_DETAILS
    again = client.post("/company/accounts/new/", EUR_ACCOUNT)
    assert again.status_code == 200 and BankAccount.objects.count() == 1  # one per currency
    client.post(f"/company/accounts/{account.pk}/delete/")
    assert not BankAccount.objects.exists()


def test_a_bad_swift_code_is_refused(client_of, administrator):
    answer = client_of(administrator).post(
        "/company/accounts/new/", {**EUR_ACCOUNT, "swift": "BKCH"}
    )
    assert answer.status_code == 200 and not BankAccount.objects.exists()


@pytest.mark.parametrize("who", ["alice", "manager", "viewer"])
def test_only_administrators_reach_the_page(client_of, request, who):
    client = client_of(request.getfixturevalue(who))
    assert client.get("/company/").status_code == 404
    assert client.post("/company/accounts/new/", EUR_ACCOUNT).status_code == 404
    assert not BankAccount.objects.exists()


def test_the_page_speaks_chinese(client_of, administrator):
    client = client_of(administrator)
    answer = client.get("/company/", headers={"accept-language": "zh-hans"})
    assert "公司资料" in answer.text and "银行账户" in answer.text


# API --------------------------------------------------------------------------------------


def test_an_administrator_changes_profile_and_accounts_by_api(client, administrator, token_of):
    auth = {"Authorization": token_of(administrator)}
    answer = client.put(
        "/api/company/profile", {"name_zh": "瑞科精密", "entity": "szq"},
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert answer.status_code == 200, answer.json()
    assert answer.json()["printed"]["name_zh"] == "瑞科精密" and answer.json()["entity"] == "SZQ"
    created = client.post(
        "/api/company/bank-accounts", EUR_ACCOUNT, content_type="application/json", headers=auth
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    changed = client.put(
        f"/api/company/bank-accounts/{pk}", {"note": "IBAN only"},
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert changed.json()["note"] == "IBAN only" and changed.json()["currency"] == "EUR"
    listed = client.get("/api/company/bank-accounts", headers=auth).json()
    assert [a["currency"] for a in listed["items"]] == ["EUR"]
    duplicate = client.post(
        "/api/company/bank-accounts", EUR_ACCOUNT, content_type="application/json", headers=auth
    )
    assert duplicate.status_code == 422 and "currency" in duplicate.json()["error"]["fields"]
    assert client.delete(f"/api/company/bank-accounts/{pk}", headers=auth).status_code == 204


def test_others_read_but_may_not_change(client, alice, token_of):
    auth = {"Authorization": token_of(alice)}
    assert client.get("/api/company/profile", headers=auth).status_code == 200
    answer = client.post(
        "/api/company/bank-accounts", EUR_ACCOUNT, content_type="application/json", headers=auth
    )
    assert answer.status_code == 403 and not BankAccount.objects.exists()
    assert (
        client.put(
            "/api/company/profile", {"name": "x"}, content_type="application/json", headers=auth
        ).status_code
        == 403
    )
    assert client.get("/api/company/profile").status_code == 401


def test_a_new_enquiry_starts_in_the_profiles_currency(client_of, alice, administrator):
    services.save_profile({"default_currency": "EUR"}, user=administrator)
    page = client_of(alice).get("/sales/projects/new/")
    assert '<option value="EUR" selected>' in page.text
