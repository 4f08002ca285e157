"""Chinese, Japanese and Korean text for the index: its characters and pairs of characters.

The trigram indexes (FTS5's trigram tokenizer, pg_trgm) find 3 characters or more. A Chinese
word is often 2 (法兰, 询价) or 1 (王), so each entry also holds its "grams": every CJK
character and every pair of adjacent CJK characters of its title and text, once each. A 1–2
character query then finds the entries whose grams hold it, as a substring search would.

The grams are written padded to three characters ("法兰 " for a pair, "王  " for a single
character), one after the other: the trigram tokenizer then indexes each gram as one token,
and a window across two grams always has a space in its middle or at its start, so it never
equals a query's "XY " or "X  ".
"""

import re

# Han (with extension A and compatibility ideographs), kana and Hangul syllables.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
RUN = re.compile(f"[{CJK}]+")
ONLY = re.compile(f"^[{CJK}]{{1,2}}$")
# An entry holds at most this many grams: a long Chinese file keeps its first ones (the
# text itself is already cut at index.TEXT_LIMIT characters).
LIMIT = 20_000


def is_short(term: str) -> bool:
    """Whether `term` is 1 or 2 CJK characters: a gram, searched in the grams."""
    return bool(ONLY.match(term))


def grams(*texts: str) -> str:
    """The CJK characters and character pairs of `texts`, each once, padded for the index."""
    seen: dict[str, None] = {}
    for text in texts:
        for run in RUN.findall(text or ""):
            for i, char in enumerate(run):
                seen.setdefault(char)
                if i + 1 < len(run):
                    seen.setdefault(run[i : i + 2])
            if len(seen) >= LIMIT:
                break
    return "".join(padded(gram) for gram in list(seen)[:LIMIT])


def padded(gram: str) -> str:
    """A gram as the index holds it: three characters."""
    return gram.ljust(3)
