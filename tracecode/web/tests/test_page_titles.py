"""A tab's title names the page, then the app: "Home · Tracecode", "首页 · Tracecode"."""

import re

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


@pytest.mark.parametrize("language, home", [("en", "Home"), ("zh-hans", "首页")])
def test_the_home_page_title_has_a_separator(client_of, alice, language, home):
    client = client_of(alice)
    client.cookies["django_language"] = language
    assert title(client.get("/").content.decode()) == f"{home} · Tracecode"


def test_the_customer_list_title(client_of, alice):
    assert title(client_of(alice).get("/customers/").content.decode()).endswith(" · Tracecode")


def test_the_sign_in_page_title(client):
    assert title(client.get("/accounts/sign-in/").content.decode()) == "Sign in · Tracecode"


def test_a_page_without_a_title_reads_tracecode(rf):
    page = Template('{% extends "base.html" %}').render(Context({"request": rf.get("/")}))
    assert title(page) == "Tracecode"
