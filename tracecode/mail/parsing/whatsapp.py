"""WhatsApp "Export chat" text files, Android and iPhone, in the date formats phones write.

Day/month order is decided once per file, from all its dates: a first number above 12 anywhere
means day-first, a second number above 12 means month-first (both: the file is refused). When
every date fits both orders, the device locale hint decides (en_US: month-first, en_GB: day-first),
and without a hint: month-first for two-digit years with AM/PM (the US phone default), else
day-first. A date whose year comes first (2023/12/31, 2023-12-31) is always year-month-day.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import datetime

# Bidirectional marks and the BOM that exports put around lines, names and placeholders.
MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
MONTH_FIRST_TERRITORIES = frozenset({"US", "PH", "PR", "GU", "AS", "VI", "MP", "UM", "FM", "MH"})

_AMPM = r"(?:[AaPp]\.?\s?[Mm]\.?|上午|下午|凌晨|早上|中午|晚上|午前|午後|오전|오후)"
_STAMP = (
    r"(?P<date>\d{1,4}(?P<sep>[./-])\d{1,2}(?P=sep)\d{1,4})\.?,?\s*"
    rf"(?P<pre>{_AMPM})?\s*(?P<time>\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?)(?:\s*(?P<post>{_AMPM}))?"
)
MESSAGE_STARTS = {
    "android": re.compile(rf"[{MARKS}]*{_STAMP}\s*[-–]\s(?P<rest>.*)"),
    "iphone": re.compile(rf"[{MARKS}]*\[{_STAMP}\]\s?(?P<rest>.*)"),
}
_SENDER = re.compile(r"(?P<sender>[^:：]{1,80}?)(?::(?:\s|$)|：\s?)(?P<text>.*)", re.DOTALL)
_QUOTES = frozenset('"“”„«»「」')
_PM = ("p", "下午", "晚上", "午後", "오후")
# iPhone files system events under the chat's name, their text starting with U+200E.
_SYSTEM_PHRASES = (
    "end-to-end encrypted",
    "端到端加密",
    "created group",
    "created this group",
    "changed the subject",
    "changed this group",
    "changed the group",
    "joined using",
    " added ",
    " removed ",
    " left",
    "security code",
    "disappearing messages",
    "创建了群组",
    "加入了",
    "添加了",
    "移除了",
    "退出了",
    "更改了",
    "安全码",
)
_ATTACHED = (
    re.compile(
        r"<(?:attached|附件|anhang|adjunto|anexo|pièce jointe)\s*[:：]\s*(?P<name>[^<>]+?)>", re.I
    ),
    re.compile(
        r"(?P<name>\S.*?)\s*[(（](?:file attached|文件附件|附件|datei angehängt|archivo adjunto"
        r"|arquivo anexado|fichier joint)[)）]",
        re.I,
    ),
)


class ChatFormatError(ValueError):
    """A chat export that cannot be read: the line (1-based) and its text are given."""

    def __init__(self, line: int, text: str, reason: str = "not a WhatsApp chat line") -> None:
        self.line = line
        self.text = text
        self.reason = reason
        super().__init__(f"line {line}: {reason}: {text[:200]!r}")


@dataclass
class ChatMessage:
    """One chat message; `sender` is None for system messages; `media` names files of the export."""

    timestamp: datetime
    sender: str | None
    text: str
    media: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class ChatExport:
    """A parsed chat: its messages, "android" or "iphone", what was odd, the date order used."""

    messages: list[ChatMessage]
    format: str
    problems: list[str] = field(default_factory=list)
    date_order: str = "DMY"


@dataclass
class _Entry:
    """A line that starts a message, and the lines that continue it."""

    line: int
    stamp: re.Match[str]
    lines: list[str]

    @property
    def numbers(self) -> list[int]:
        """The date's three numbers in the order written."""
        return [int(number) for number in self.stamp["date"].split(self.stamp["sep"])]

    @property
    def year_first(self) -> bool:
        """Whether the date starts with its year (2023/12/31, 2023-12-31)."""
        return len(self.stamp["date"].split(self.stamp["sep"])[0]) >= 3


def parse_whatsapp(
    text: str, media_names: Set[str] = frozenset(), *, locale: str | None = None
) -> ChatExport:
    """Parse an exported chat; `media_names` are the files beside it, `locale` e.g. "en_US"."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    style, entries = _entries(lines)
    export = ChatExport([], style, [], _date_order(entries, locale))
    for entry in entries:
        timestamp = _timestamp(entry, export.date_order)
        if timestamp is None:
            if not export.messages:
                raise ChatFormatError(entry.line, entry.stamp.string, "impossible date")
            export.problems.append(f"line {entry.line}: impossible date; kept as message text")
            export.messages[-1].text += "\n" + "\n".join([entry.stamp.string, *entry.lines])
            continue
        sender, first_line = _sender(entry.stamp["rest"], style)
        text = "\n".join([first_line, *entry.lines])
        export.messages.append(ChatMessage(timestamp, sender, text, [], entry.line))
    for message in export.messages:
        message.text = message.text.strip().strip(MARKS)
        message.media = _media(message, media_names, export.problems)
    return export


def _entries(lines: list[str]) -> tuple[str, list[_Entry]]:
    """The style of the file and its messages as header match plus continuation lines."""
    style = ""
    entries: list[_Entry] = []
    for number, line in enumerate(lines, 1):
        if not style:
            if not line.strip(MARKS + " \t"):
                continue
            style = next(
                (name for name, header in MESSAGE_STARTS.items() if header.fullmatch(line)), ""
            )
            if not style:
                raise ChatFormatError(number, line)
        stamp = MESSAGE_STARTS[style].fullmatch(line)
        if stamp:
            entries.append(_Entry(number, stamp, []))
        else:
            entries[-1].lines.append(line)
    if not entries:
        raise ChatFormatError(1, lines[0] if lines else "", "no chat messages")
    return style, entries


def _date_order(entries: list[_Entry], locale: str | None) -> str:
    """ "DMY", "MDY" or "YMD" for the whole file (see the module docstring)."""
    undecided = [entry for entry in entries if not entry.year_first]
    if not undecided:
        return "YMD"
    day_first = month_first = None
    for entry in undecided:
        first, second, _ = entry.numbers
        day_first = day_first or (entry if first > 12 else None)
        month_first = month_first or (entry if second > 12 else None)
        if day_first and month_first:
            later = max(day_first, month_first, key=lambda found: found.line)
            raise ChatFormatError(later.line, later.stamp.string, "dates in both day/month orders")
    if day_first or month_first:
        return "DMY" if day_first else "MDY"
    hint = _locale_order(locale)
    if hint:
        return hint
    first = undecided[0].stamp
    two_digit_year = len(first["date"].split(first["sep"])[-1]) == 2
    return "MDY" if two_digit_year and (first["pre"] or first["post"]) else "DMY"


def _locale_order(locale: str | None) -> str | None:
    parts = re.split(r"[-_.@]", locale or "")
    if len(parts) < 2 or not parts[1]:
        return None
    return "MDY" if parts[1].upper() in MONTH_FIRST_TERRITORIES else "DMY"


def _timestamp(entry: _Entry, order: str) -> datetime | None:
    """The naive time of a message, or None if its date cannot exist."""
    first, second, third = entry.numbers
    if entry.year_first:
        year, month, day = first, second, third
    elif order == "MDY":
        month, day, year = first, second, third
    else:
        day, month, year = first, second, third
    if year < 100:
        year += 2000
    clock = [int(number) for number in re.split(r"[:.]", entry.stamp["time"])]
    hour = _hour(clock[0], entry.stamp["pre"] or entry.stamp["post"])
    try:
        return datetime(year, month, day, hour, clock[1], clock[2] if len(clock) > 2 else 0)
    except ValueError:
        return None


def _hour(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    marker = ampm.lower()
    if marker == "中午":
        return hour + 12 if hour < 11 else hour
    if marker.startswith(_PM):
        return hour + 12 if hour < 12 else hour
    return 0 if hour == 12 else hour


def _sender(rest: str, style: str) -> tuple[str | None, str]:
    """Who wrote a message and its text; no sender for system messages."""
    if rest.startswith("\u200e") and style == "iphone":
        return None, rest  # "‎Alice added Bob": an event, not a message
    found = _SENDER.fullmatch(rest)
    if not found or _QUOTES.intersection(found["sender"]):
        return None, rest  # "Alice changed the subject to "RK1038: sample""
    text = found["text"]
    if style == "iphone" and text.startswith("\u200e") and _is_event(text):
        return None, text  # iPhone: "[…] Group name: ‎Messages and calls are end-to-end encrypted"
    return found["sender"].strip(MARKS + " \t"), text


def _is_event(text: str) -> bool:
    lowered = text.lower()
    return any(phrase in lowered for phrase in _SYSTEM_PHRASES) and not _attached_name(text)


def _attached_name(line: str) -> str | None:
    line = line.strip().strip(MARKS)
    for pattern in _ATTACHED:
        found = pattern.fullmatch(line)
        if found:
            return found["name"].strip().strip(MARKS)
    return None


def _media(message: ChatMessage, media_names: Set[str], problems: list[str]) -> list[str]:
    """Names of the export's files that the message's placeholders refer to."""
    names = []
    for line in message.text.split("\n"):
        name = _attached_name(line)
        if name and name in media_names:
            names.append(name)
        elif name and media_names:
            problems.append(f"line {message.line}: {name} is not in the export")
    return names
