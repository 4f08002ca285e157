"""Readable text from a mail's HTML: paragraphs, lists, tables, links as "text (url)".

The HTML is only tokenised (html.parser), never rendered: scripts, styles and remote content
are not run or fetched, and their text is dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Text inside these is not shown by a mail client.
_HIDDEN = frozenset({"script", "style", "title", "template"})
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset"}
    | {"figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main"}
    | {"nav", "ol", "p", "pre", "section", "table", "ul"}
)
_LINK_SCHEMES = ("http://", "https://", "ftp://", "mailto:", "tel:")
_WHITESPACE = re.compile(r"[ \t\r\n\f\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(html: str) -> str:
    """The text a reader sees in `html`, with links kept as "text (url)"."""
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; this is a last resort for pathological input
        return _WHITESPACE.sub(" ", re.sub(r"<[^>]*>", " ", html)).strip()
    return parser.text()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []
        self.pre = 0
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.hidden.clear()  # an unclosed <title> or <template> must not hide the body
        elif tag in _HIDDEN:
            self.hidden.append(tag)
        elif self.hidden:
            return
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "tr":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag == "a":
            self._close_link()
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))
        elif tag == "img" and self.links:
            self.parts.append(dict(attrs).get("alt") or "")
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            while tag in self.hidden and self.hidden.pop() != tag:
                pass
        elif self.hidden:
            return
        elif tag == "a":
            self._close_link()
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "pre" and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data if self.pre else _WHITESPACE.sub(" ", data))

    def close(self) -> None:
        super().close()
        self._close_link()

    def _close_link(self) -> None:
        if not self.links:
            return
        href, start = self.links.pop()
        label = "".join(self.parts[start:]).strip()
        target = _link_target(href)
        if target and target != label:
            self.parts.append(f" ({target})" if label else target)

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _link_target(href: str) -> str:
    href = href.strip()
    if not href.lower().startswith(_LINK_SCHEMES):
        return ""  # javascript:, data:, cid: and in-page anchors say nothing to a reader
    if href.lower().startswith("mailto:"):
        return href[7:].split("?")[0]
    return href
