"""A page that does not exist (404) or that the user may not open (403) is a page of the app,
in the user's language, and a refusal is logged in one line, without a traceback."""

import logging

import pytest

from tracecode.customers.tests.factories import new_customer

pytestmark = pytest.mark.django_db

TEXTS = {
    "en": {404: ["Page not found", "Home"], 403: ["Not allowed", "Home"]},
    "zh-hans": {404: ["页面不存在", "首页"], 403: ["无权操作", "首页"]},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_missing_page_is_a_page_of_the_app(client_of, alice, language):
    client = client_of(alice)
    client.cookies["django_language"] = language
    response = client.get("/customers/RK999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<nav" in page and 'class="navbar' in page  # the app's layout, not bare text
    assert all(text in page for text in TEXTS[language][404])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_refused_page_is_a_page_of_the_app(client_of, alice, viewer, language):
    customer = new_customer(alice, shared_with=[viewer])
    client = client_of(viewer)
    client.cookies["django_language"] = language
    response = client.get(f"/customers/{customer.code}/edit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<nav" in page and 'class="navbar' in page
    assert all(text in page for text in TEXTS[language][403])


def test_a_refusal_is_logged_without_a_traceback(client_of, alice, viewer, caplog):
    customer = new_customer(alice, shared_with=[viewer])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client_of(viewer).get(f"/customers/{customer.code}/edit/").status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden")
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_the_api_still_answers_its_error_shape(client, alice, token_of):
    response = client.get("/api/customers/RK999999", headers={"Authorization": token_of(alice)})
    assert response.status_code == 404
    assert response.json()["error"]["code"]
