"""Anything else is full text: names, emails, part numbers, file names, words, Chinese."""

import pytest

from tracecode.search.services import search

from .factories import codes_of, customer, entry, family, kinds_of

pytestmark = pytest.mark.django_db


def titles(found, kind=None):
    return [hit.title for group in found.groups if kind in (None, group.kind) for hit in group.hits]


def test_a_company_name_finds_the_customer(alice):
    family(alice)
    found = search(alice, "nordwerk")
    assert found.mode == "text"
    assert codes_of(found, "customer") == ["RK1038"]


def test_an_email_finds_the_customer(alice):
    family(alice)
    assert codes_of(search(alice, "purchasing@nordwerk"), "customer") == ["RK1038"]


def test_a_project_name_finds_the_project(alice):
    family(alice)
    found = search(alice, "SP1003")
    assert codes_of(found, "project") == ["RK1038-1"]


def test_a_word_inside_a_text_is_found(alice):
    family(alice)
    assert titles(search(alice, "Ningbo")) == ["Re: RK1038-1-S1 sample shipment"]


def test_every_word_must_appear_in_any_order(alice):
    family(alice)
    assert titles(search(alice, "bracket stainless")) == ["SP1003 stainless steel bracket"]
    assert titles(search(alice, "bracket aluminium")) == []


def test_quoted_words_are_a_phrase(alice):
    family(alice)
    assert titles(search(alice, '"steel bracket"')) == ["SP1003 stainless steel bracket"]
    assert titles(search(alice, '"bracket steel"')) == []


def test_chinese_substrings_match(alice):
    family(alice)
    assert titles(search(alice, "已发货")) == ["Re: RK1038-1-S1 sample shipment"]
    customer(alice, name="宁波华远汽车零部件有限公司", code="RK1039")
    assert codes_of(search(alice, "华远汽车"), "customer") == ["RK1039"]


def test_case_does_not_matter(alice):
    family(alice)
    assert codes_of(search(alice, "NORDWERK AUTOMOTIVE"), "customer") == ["RK1038"]


def test_a_file_name_and_its_extracted_text_are_found(alice):
    nordwerk = family(alice)
    entry(
        "file",
        "RK1038-1-S1",
        "RK1038-1-S1 drawing rev B.pdf",
        nordwerk,
        text="Material: 1.4301. Surface Ra 0.8. All edges deburred.",
    )
    assert titles(search(alice, "drawing rev B")) == ["RK1038-1-S1 drawing rev B.pdf"]
    assert titles(search(alice, "deburred")) == ["RK1038-1-S1 drawing rev B.pdf"]


def test_a_short_word_beside_a_long_one_narrows_the_search(alice):
    nordwerk = family(alice)
    entry("project", "RK1038-3", "M8 bolt, zinc plated", nordwerk)
    entry("project", "RK1038-4", "M6 bolt, zinc plated", nordwerk)
    assert titles(search(alice, "M8 bolt")) == ["M8 bolt, zinc plated"]


def test_a_long_word_is_found_whole_not_by_its_pieces(alice):
    """A word of six or more letters is looked up by the trigrams that tile it (SQLite): an
    entry holding the pieces apart is not a hit; one holding the word in another case is."""
    nordwerk = family(alice)
    entry("project", "RK1038-3", "POL ISH ING brush", nordwerk, text="polish thing")
    entry("project", "RK1038-4", "Mirror Polishing, flange", nordwerk)
    entry("project", "RK1038-5", "flange", nordwerk, text="…after POLISHING the seat")
    assert sorted(titles(search(alice, "polishing"))) == ["Mirror Polishing, flange", "flange"]
    assert titles(search(alice, "polishing mirror")) == ["Mirror Polishing, flange"]
    assert titles(search(alice, "polishing brush")) == []


def test_the_excerpt_shows_the_text_around_the_match(alice):
    nordwerk = family(alice)
    text = "Filler sentence about nothing in particular. " * 6 + "The tolerance is ±0.01 mm."
    entry("mail", "RK1038-1", "Re: tolerances", nordwerk, text=text)
    hit = search(alice, "tolerance is").groups[0].hits[0]
    assert hit.text.startswith("… ")
    assert "The tolerance is ±0.01 mm." in hit.text


def test_nothing_found_is_an_empty_result(alice):
    family(alice)
    found = search(alice, "flux capacitor")
    assert not found
    assert kinds_of(found) == []


def test_only_the_kinds_that_have_entries_are_asked(alice, monkeypatch):
    """A kind without entries is left out of the full-text statement: its branch would still
    look each term up in the index (SQLite's FTS5 query, PostgreSQL's kind index)."""
    from django.db import connection

    from tracecode.search.backends import postgresql

    nordwerk = customer(alice)
    entry("project", "RK1038-1", "stainless bracket", nordwerk)
    statements = []
    if connection.vendor == "postgresql":
        prepared = postgresql._prepared

        def recorded(sql, params):
            statements.append(sql)
            return prepared(sql, params)

        monkeypatch.setattr(postgresql, "_prepared", recorded)
        branch = "e.position = "
    else:
        branch = "search_entry_fts MATCH"

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        found = search(alice, "stainless bracket")
    assert codes_of(found) == ["RK1038-1"]
    assert max(sql.count(branch) for sql in statements) == 2  # the customer and the project


def test_each_hit_of_a_page_shows_its_own_title_text_and_link(alice):
    """More hits than a page: the page shows the newest of each kind, each with its own code,
    title, excerpt and link (the hits are found as ids, then read by them)."""
    nordwerk = customer(alice)
    projects = {
        entry(
            "project", f"RK1038-{n}", f"bracket {n}", nordwerk, text=f"polished bracket no. {n}"
        ): n
        for n in range(1, 26)
    }
    mails = {
        entry("mail", f"RK1038-{n}", f"Re: bracket {n}", nordwerk, text=f"drawing {n}, bracket"): n
        for n in range(1, 4)
    }
    found = search(alice, "bracket", limit=20)
    by_kind = {group.kind: group for group in found.groups}
    assert (by_kind["project"].count, len(by_kind["project"].hits)) == (25, 20)
    assert len(by_kind["mail"].hits) == 3
    for kind, numbers in (("project", projects), ("mail", mails)):
        newest = sorted(numbers, reverse=True)[:20]
        assert [hit.url for hit in by_kind[kind].hits] == [f"/{kind}/{id_}/" for id_ in newest]
        for hit, id_ in zip(by_kind[kind].hits, newest, strict=True):
            n = numbers[id_]
            assert hit.code == f"RK1038-{n}" and hit.title.endswith(f"bracket {n}")
            assert (f"no. {n}" if kind == "project" else f"drawing {n},") in hit.text
