"""Matches are marked, and what a record holds is never taken for HTML."""

import pytest

from tracecode.search.highlight import highlight
from tracecode.search.services import search

from .factories import customer, entry

pytestmark = pytest.mark.django_db


def test_matches_are_marked_in_any_case():
    assert highlight("Nordwerk Automotive", ["nordwerk"]) == "<mark>Nordwerk</mark> Automotive"


def test_html_in_a_record_is_escaped_around_and_inside_a_match():
    marked = highlight('<script>alert("x")</script> RK1038', ["<script>", "RK1038"])
    assert marked == (
        "<mark>&lt;script&gt;</mark>alert(&quot;x&quot;)&lt;/script&gt; <mark>RK1038</mark>"
    )


def test_titles_and_texts_of_hits_are_escaped(alice, client_of):
    nordwerk = customer(alice, name="<b>Bold</b> & Sons Ltd")
    entry("mail", "RK1038-1", "Re: <img src=x onerror=alert(1)>", nordwerk, text="<i>bracket</i>")
    page = client_of(alice).get("/search/", {"q": "bracket"}).content.decode()
    assert "&lt;i&gt;<mark>bracket</mark>&lt;/i&gt;" in page
    assert "<img src=x" not in page
    suggest = client_of(alice).get("/search/suggest", {"q": "bold"}).content.decode()
    assert "&lt;b&gt;<mark>Bold</mark>&lt;/b&gt; &amp; Sons Ltd" in suggest


def test_hits_carry_escaped_html_for_templates(alice):
    customer(alice, name="A < B")
    hit = search(alice, "A < B").groups[0].hits[0]
    assert hit.title_html == "<mark>A &lt; B</mark>"
