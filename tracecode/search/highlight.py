"""Marking what matched: escaped text with <mark> around each match, never raw HTML."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def pattern(terms: list[str]) -> re.Pattern | None:
    """One case-insensitive pattern for all terms, longest first."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text: str, terms: list[str] | re.Pattern | None) -> SafeString:
    """`text` escaped for HTML, each match of `terms` in <mark>."""
    found = terms if isinstance(terms, re.Pattern) or terms is None else pattern(terms)
    if found is None:
        return escape(text)
    parts, position = [], 0
    for match in found.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped


def excerpt(text: str, full_length: int) -> str:
    """An excerpt cut out of a longer text (marked "…" in front when it does not start the
    text), trimmed to whole words, with … where it was cut."""
    cut_front = text.startswith("…")
    text = " ".join(text.removeprefix("…").split())
    if cut_front:
        space = text.find(" ", 0, 20)
        text = "… " + (text[space + 1 :] if space > 0 else text)
    if len(text) >= full_length - 1:
        space = text.rfind(" ", len(text) * 2 // 3)
        text = (text[:space] if space > 0 else text) + " …"
    return text
