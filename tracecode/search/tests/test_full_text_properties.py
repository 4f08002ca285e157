"""Full text finds exactly what a plain substring search finds: every term, in any letter
case, somewhere in an entry's code, title or text. Whatever shortcut a backend takes to the
index (SQLite asks for the trigrams that tile a long word, PostgreSQL its GIN indexes), the
hits are those of this model."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
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
