"""Full text finds exactly what a plain substring search finds: every term, in any letter
case, somewhere in an entry's code, title or text. Whatever shortcut a backend takes to the
index (SQLite asks for the trigrams that tile a long word, PostgreSQL its GIN indexes), the
hits are those of this model."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracecode.search.services import search

from .factories import customer, entry

pytestmark = pytest.mark.django_db

# Pieces that share trigrams with each other, so that an entry may hold every trigram of a
# word without the word.
PIECES = ["pol", "ish", "ing", "polishing", "POLISH", "bra", "cke", "ket", "bracket", "Racket",
          "法兰", "钢法兰", "m8"]  # fmt: skip
SEPARATORS = [" ", "", "-", ", "]

texts = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), min_size=1, max_size=8
).map(lambda parts: "".join(piece + separator for piece, separator in parts).strip())
terms = st.sampled_from(["polishing", "Polishing", "POLISH", "bracket", "racket", "ishing",
                         "cket", "法兰", "钢法兰", "brac"])  # fmt: skip


def holds(haystack: str, term: str) -> bool:
    return term.lower() in haystack.lower()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=st.lists(st.tuples(texts, texts), min_size=1, max_size=10),
       query=st.lists(terms, min_size=1, max_size=2))  # fmt: skip
def test_full_text_finds_what_a_substring_search_finds(alice, records, query):
    with transaction.atomic():
        nordwerk = customer(alice, name="Kunde", email="")
        codes = {}
        for number, (title, text) in enumerate(records, start=1):
            code = f"RK1038-{number}"
            entry("project", code, title or "-", nordwerk, text=text)
            codes[code] = f"{code} {title or '-'} {text}"
        expected = sorted(code for code, haystack in codes.items()
                          if all(holds(haystack, term) for term in query))  # fmt: skip
        found = search(alice, " ".join(query), limit=100, kind="project")
        assert sorted(hit.code for group in found.groups for hit in group.hits) == expected
        transaction.set_rollback(True)


# Letters of several scripts in both cases, Chinese, spaces, a line break and a hyphen: what
# mail bodies and chat messages hold.
LETTERS = "abcXYZfla" + "üÜßΩω" + "不锈钢法兰盖" + "  \n-"


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(LETTERS, min_size=3, max_size=60), data=st.data())
def test_any_piece_of_a_text_finds_it_in_either_letter_case(alice, bob, text, data):
    """Whatever three or more characters are typed from an entry's text (ASCII letters in
    either case; a phrase in quotes), its owner finds it and a colleague does not: on
    PostgreSQL the index is asked for the piece's trigrams, which the entry must hold."""
    start = data.draw(st.integers(0, len(text) - 3))
    piece = text[start : data.draw(st.integers(start + 3, len(text)))]
    typed = " ".join(piece.split())
    assume(typed == piece and len(typed) >= 3 and "\n" not in piece)
    if data.draw(st.booleans()):
        typed = "".join(c.swapcase() if c.isascii() else c for c in typed)
    query = f'"{typed}"' if " " in typed else typed
    with transaction.atomic():
        nordwerk = customer(alice, name="Kunde", email="")
        entry("project", "RK1038-1", "-", nordwerk, text=text)
        found = search(alice, query, limit=100, kind="project")
        assert [hit.code for group in found.groups for hit in group.hits] == ["RK1038-1"]
        assert not search(bob, query, limit=100, kind="project")
        transaction.set_rollback(True)
