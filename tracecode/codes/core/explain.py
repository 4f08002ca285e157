"""What a code means: its parts, labelled in English and Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field

from .matching import Match
from .pattern import DATE_PARTS, DatePart, FieldRef, Literal, ParentRef


@dataclass
class Part:
    """One segment of a code and what it means; label/meaning are None for literal text."""

    kind: str
    text: str
    name: str | None = None
    label: str | None = None
    label_zh: str | None = None
    meaning: str | None = None
    meaning_zh: str | None = None


@dataclass
class Parsed:
    """A code read back into the values it was made from."""

    code: str
    scheme: str
    parent: str | None
    fields: dict[str, str]
    date_parts: dict[str, str]
    serial: int
    scope_key: str
    parts: list[Part] = field(default_factory=list)


@dataclass
class Explanation:
    """A code, its parts, and the explanation of its parent's code."""

    code: str
    scheme: str
    scheme_label: str
    parts: list[Part]
    parent: Explanation | None = None
    scheme_label_zh: str = ""

    def summary(self, lang: str = "en") -> str:
        """Return one line such as `Order RK1038-1-S1: customer RK1038; project 1; …; 1st`."""
        zh = _is_zh(lang)
        items = self.parent._lineage(zh) if self.parent else []
        items += [_meaning(p, zh) for p in self.parts if p.kind in ("field", "date", "serial")]
        if zh:
            return f"{self.scheme_label_zh or self.scheme_label} {self.code}：" + "；".join(items)
        return f"{self.scheme_label} {self.code}: " + "; ".join(items)

    def _lineage(self, zh: bool) -> list[str]:
        """Describe this code as an ancestor: `customer RK1038`, then `project 1` and so on."""
        label = (self.scheme_label_zh or self.scheme_label) if zh else _lower(self.scheme_label)
        if self.parent is None:
            return [f"{label} {self.code}"]
        items = self.parent._lineage(zh)
        for part in self.parts:
            if part.kind == "serial":
                items.append(f"{label} {part.text}")
            elif part.kind in ("field", "date"):
                items.append(_meaning(part, zh))
        return items


@dataclass
class Found:
    """A code found in free text at text[start:end]."""

    code: str
    scheme: str
    start: int
    end: int


def explain_match(found: Match) -> Explanation:
    """Build the explanation of a matched code, parents first."""
    scheme = found.scheme
    parent = explain_match(found.parent) if found.parent else None
    parts = []
    for segment, text in found.pieces:
        if isinstance(segment, Literal):
            parts.append(Part("literal", text))
        elif isinstance(segment, ParentRef):
            assert parent is not None and scheme.parent_scheme is not None
            owner = scheme.parent_scheme
            meaning = ", ".join(parent._lineage(zh=False))
            meaning_zh = "，".join(parent._lineage(zh=True))
            parts.append(
                Part("parent", text, "parent", owner.label, owner.label_zh, meaning, meaning_zh)
            )
        elif isinstance(segment, FieldRef):
            parts.append(_field_part(found, segment, text))
        elif isinstance(segment, DatePart):
            _, label, label_zh = DATE_PARTS[segment.name]
            meaning = f"{label.lower()} {text}"
            parts.append(
                Part("date", text, segment.name, label, label_zh, meaning, text + label_zh)
            )
        else:
            parts.append(Part("serial", text, "serial", "Serial", "流水号", *_serial_words(found)))
    return Explanation(
        code=found.code,
        scheme=scheme.name,
        scheme_label=scheme.label,
        parts=parts,
        parent=parent,
        scheme_label_zh=scheme.label_zh,
    )


def ordinal(number: int) -> str:
    """Return 1st, 2nd, 3rd, 4th, 11th, 21st …"""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _field_part(found: Match, ref: FieldRef, text: str) -> Part:
    table = None if ref.initials else found.scheme.tables.get(ref.name)
    if table:
        entry = table[text]
        return Part(
            "field",
            text,
            ref.name,
            entry.label,
            entry.label_zh,
            f"{text} = {entry.label}",
            f"{text} = {entry.label_zh}",
        )
    words = ref.name.replace("_", " ")
    if ref.initials:
        label = f"{words.capitalize()} (pinyin initials)"
        return Part(
            "field",
            text,
            ref.name,
            label,
            f"{words}（拼音首字母）",
            f"{words} {text}",
            f"{words} {text}",
        )
    return Part(
        "field", text, ref.name, words.capitalize(), words, f"{words} {text}", f"{words} {text}"
    )


def _serial_words(found: Match) -> tuple[str, str]:
    scheme = found.scheme
    # Only when counting starts at 1 in steps of 1 is the serial also the count ("1st").
    if scheme.start <= 1 and scheme.step == 1 and found.serial >= 1:
        return ordinal(found.serial), f"第{found.serial}个"
    return f"no. {found.serial}", f"{found.serial}号"


def _meaning(part: Part, zh: bool) -> str:
    text = part.meaning_zh if zh else part.meaning
    return text or part.text


def _lower(label: str) -> str:
    # "Customer" reads "customer" inside a sentence; "CRM customer" keeps its acronym.
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _is_zh(lang: str) -> bool:
    return lang.lower().replace("_", "-").startswith("zh")
