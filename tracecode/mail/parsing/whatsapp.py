"""WhatsApp "Export chat" text files, Android and iPhone, in the date formats phones write.

The date order (day-month-year, month-day-year or year-month-day, the year in two or four
digits) is decided once per file, from all its dates, never line by line:

1. a reading is out when a date cannot be written in it (a month above 12, a day above 31);
   no reading left: the file is refused, naming the line where the last one failed;
2. fewest impossible dates (31/02) first; then readings that put every message between
   August 2009 (when WhatsApp began to send messages) and tomorrow;
3. a two-digit year-first reading (26/03/09, as Basque, Korean and Nepali phones write)
   against a year-last one: the year is the field that changes least over the file;
4. a chat is written in time order: a reading with fewer jumps back by more than a day wins;
5. still more than one (every day ≤ 12 and nothing else tells): the device locale hint,
   if given, decides (en_US: month-first, en_GB: day-first); else the export is
   `ambiguous`, `readings` gives the first and last message's time in each reading left,
   and the caller asks which (`date_order=`). `date_order` then holds a guess: month-first
   for two-digit years with AM/PM (the US phone default), else day-first.

A date whose year comes first in four digits (2023/12/31, 2023-12-31) is always
year-month-day. Buddhist (2565 BE) and Japanese era years (R4, H31) are read as Gregorian.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# Bidirectional marks and the BOM that exports put around lines, names, dates and placeholders.
MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
MONTH_FIRST_TERRITORIES = frozenset({"US", "PH", "PR", "GU", "AS", "VI", "MP", "UM", "FM", "MH"})
ORDERS = ("DMY", "MDY", "YMD")
# WhatsApp sends messages since version 2.0, August 2009: no export has an older one.
FIRST_DAY = date(2009, 8, 1)

_M = f"[{MARKS}]*"
_AMPM = (
    r"(?:[AaPp]\.?\s?[Mm]\.?|上午|下午|凌晨|早上|中午|晚上|午前|午後|오전|오후|ص|م"
    r"|in the morning|in the afternoon|in the evening|at night)"
)
_DATE = (
    rf"(?P<date>\d{{1,4}}{_M}(?P<sep>[./-]){_M}\s?{_M}\d{{1,2}}{_M}(?P=sep){_M}\s?{_M}"
    rf"(?:[RH]|令和|平成)?\d{{1,4}}(?:\s?BE)?)\.?"
)
_TIME = (
    rf"(?P<pre>{_AMPM})?\s*(?P<time>\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?){_M}"
    rf"(?:\s*(?P<post>{_AMPM}))?"
)
_STAMP = rf"{_M}{_DATE}{_M}[,،]?\s*(?:(?!{_AMPM})[^\W\d]{{1,4}}\s)?{_TIME}"
MESSAGE_STARTS = {
    "android": re.compile(rf"{_M}{_STAMP}\s*[-–]\s(?P<rest>.*)"),
    "iphone": re.compile(rf"{_M}\[{_STAMP}{_M}\]\s?(?P<rest>.*)"),
    # Vietnamese iPhones write the time first: "[14:56:01, 3/18/22] Musk Elon: …"
    "iphone-time-first": re.compile(rf"{_M}\[{_M}{_TIME}[,،]\s*{_DATE}{_M}\]\s?(?P<rest>.*)"),
    # iPhones before 2017: "7/1/16, 4:56:55 PM: Sophia: hi" (no brackets, no dash)
    "iphone-old": re.compile(rf"{_STAMP}:\s(?P<rest>.*)"),
}
_SENDER = re.compile(r"(?P<sender>[^:：]{1,80}?)(?::(?:\s|$)|：\s?)(?P<text>.*)", re.DOTALL)
_QUOTES = frozenset('"“”„«»「」')
_PM = ("p", "下午", "晚上", "午後", "오후", "م", "in the afternoon", "in the evening")
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
    # Whether the text starts with what stands for a media file ("<Media omitted>",
    # "IMG-….jpg (file attached)", an iPhone's "‎image omitted" in any language).
    placeholder: bool = False


@dataclass
class ChatExport:
    """A parsed chat: its messages, its style ("android", "iphone" …), what was odd, the date
    order used, and whether that order was a guess (`ambiguous`: see the module docstring)."""

    messages: list[ChatMessage]
    format: str
    problems: list[str] = field(default_factory=list)
    date_order: str = "DMY"
    ambiguous: bool = False
    # The first and last message's time in each reading the file allows, when ambiguous.
    readings: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)


@dataclass
class _Entry:
    """A line that starts a message, and the lines that continue it."""

    line: int
    stamp: re.Match[str]
    lines: list[str]

    @property
    def fields(self) -> list[str]:
        """The date's three numbers as written (an era letter kept)."""
        return re.findall(r"(?:[RH]|令和|平成)?\d+", self.stamp["date"])[:3]

    @property
    def numbers(self) -> list[int]:
        """The date's three numbers in the order written."""
        return [int(re.sub(r"\D", "", number)) for number in self.fields]

    @property
    def year_first(self) -> bool:
        """Whether the date starts with a four-digit year (2023/12/31, 2023-12-31)."""
        return len(self.fields[0]) >= 3

    def year(self, number: int, written: str) -> int:
        """A year as the calendar it is written in counts it, made Gregorian."""
        if written.startswith(("R", "令和")):
            return 2018 + number
        if written.startswith(("H", "平成")):
            return 1988 + number
        if self.stamp["date"].endswith("BE"):
            return number - 543
        return number + 2000 if number < 100 else number

    def day(self, order: str) -> date | None:
        """The date in `order` ("DMY", "MDY", "YMD"), or None if it cannot exist."""
        a, b, c = self.numbers
        if self.year_first:
            order = "YMD"
        day, month, year = {"DMY": (a, b, c), "MDY": (b, a, c), "YMD": (c, b, a)}[order]
        written = self.fields[0 if order == "YMD" else 2]
        try:
            return date(self.year(year, written), month, day)
        except ValueError:
            return None

    def fits(self, order: str) -> bool:
        """Whether the date can be written in `order` at all (months ≤ 12, days ≤ 31)."""
        a, b, c = self.numbers
        if self.year_first:
            return True
        if order == "YMD":
            return len(self.fields[2]) <= 2 and b <= 12 and c <= 31
        day, month = (a, b) if order == "DMY" else (b, a)
        return month <= 12 and day <= 31


def parse_whatsapp(
    text: str,
    media_names: Set[str] = frozenset(),
    *,
    locale: str | None = None,
    date_order: str | None = None,
    today: date | None = None,
) -> ChatExport:
    """Parse an exported chat; `media_names` are the files beside it, `locale` e.g. "en_US",
    `date_order` ("DMY", "MDY", "YMD") the order a person chose, `today` the export's day at
    the latest (default: today)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    style, entries = _entries(lines)
    order, readings = _date_order(entries, locale, date_order, today or date.today())
    export = ChatExport(
        [], style, [], order, len(readings) > 1, readings if len(readings) > 1 else {}
    )
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
        first = message.text.lstrip(" \t").split("\n", 1)[0]
        message.placeholder = bool(
            (style.startswith("iphone") and message.sender and first.startswith("\u200e"))
            or _attached_name(first)
            or _PLACEHOLDER.fullmatch(first.strip().strip(MARKS))
        )
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


def _date_order(
    entries: list[_Entry], locale: str | None, chosen: str | None, today: date
) -> tuple[str, dict[str, tuple[datetime, datetime]]]:
    """The order for the whole file and, when more than one is possible, each one's first and
    last message time (see the module docstring)."""
    undecided = [entry for entry in entries if not entry.year_first]
    if not undecided:
        return "YMD", {}
    if chosen:
        if chosen not in ORDERS:
            raise ValueError(f"date order {chosen!r}: one of {', '.join(ORDERS)}")
        wrong = next((entry for entry in undecided if not entry.fits(chosen)), None)
        if wrong is not None:
            raise ChatFormatError(wrong.line, wrong.stamp.string, f"not a {chosen} date")
        return chosen, {}
    misfit = {o: next((e for e in undecided if not e.fits(o)), None) for o in ORDERS}
    candidates = [o for o in ORDERS if misfit[o] is None]
    if not candidates:
        later = max(misfit.values(), key=lambda entry: entry.line)
        raise ChatFormatError(later.line, later.stamp.string, "dates in both day/month orders")
    candidates = _fewest(candidates, lambda o: sum(e.day(o) is None for e in undecided))
    last = today + timedelta(days=1)
    plausible = [
        o
        for o in candidates
        if all(d is None or FIRST_DAY <= d <= last for d in (e.day(o) for e in undecided))
    ]
    candidates = plausible or candidates
    if "YMD" in candidates and len(candidates) > 1:
        firsts = len({e.numbers[0] for e in undecided})
        thirds = len({e.numbers[2] for e in undecided})
        if firsts != thirds:  # the year is the field that changes least
            year_first = firsts < thirds
            candidates = [o for o in candidates if (o == "YMD") == year_first]
    candidates = _fewest(candidates, lambda o: _jumps_back(e.day(o) for e in undecided))
    if len(candidates) > 1:
        hint = _locale_order(locale)
        if hint in candidates:
            return hint, {}
    if len(candidates) == 1:
        return candidates[0], {}
    if len({tuple(e.day(o) for e in undecided) for o in candidates}) == 1:
        return candidates[0], {}  # 3/3/26: every reading says the same
    first = undecided[0].stamp
    two_digit_year = len(first["date"].split(first["sep"])[-1].strip()) == 2
    guess = "MDY" if two_digit_year and (first["pre"] or first["post"]) else "DMY"
    if guess not in candidates:
        guess = candidates[0]
    readings = {}
    for order in candidates:
        times = [t for t in (_timestamp(e, order) for e in entries) if t is not None]
        readings[order] = (times[0], times[-1])
    return guess, readings


def _fewest(orders: list[str], count) -> list[str]:
    """The orders with the lowest count."""
    counts = {order: count(order) for order in orders}
    least = min(counts.values())
    return [order for order in orders if counts[order] == least]


def _jumps_back(days: Iterable[date | None]) -> int:
    """How often a date is more than a day before the one above it."""
    jumps, previous = 0, None
    for day in days:
        if day is None:
            continue
        if previous is not None and day < previous - timedelta(days=1):
            jumps += 1
        previous = day
    return jumps


def _locale_order(locale: str | None) -> str | None:
    parts = re.split(r"[-_.@]", locale or "")
    if len(parts) < 2 or not parts[1]:
        return None
    return "MDY" if parts[1].upper() in MONTH_FIRST_TERRITORIES else "DMY"


def _timestamp(entry: _Entry, order: str) -> datetime | None:
    """The naive time of a message, or None if its date cannot exist."""
    day = entry.day(order)
    if day is None:
        return None
    clock = [int(number) for number in re.split(r"[:.]", entry.stamp["time"])]
    hour = _hour(clock[0], entry.stamp["pre"] or entry.stamp["post"])
    try:
        return datetime(
            day.year, day.month, day.day, hour, clock[1], clock[2] if len(clock) > 2 else 0
        )
    except ValueError:
        return None


def _hour(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    marker = ampm.lower()
    if marker == "中午":
        return hour + 12 if hour < 11 else hour
    if marker == "at night":  # 21:00 to 06:00: "9:15 at night", "1:30 at night"
        return 0 if hour == 12 else hour + 12 if hour >= 6 else hour
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


# Whole-line placeholders of a media file: "<Media omitted>", "<‎image omitted>", "<附件：x.jpg>".
_PLACEHOLDER = re.compile(r"<[^<>\n]{1,60}>")


def message_keys(messages: Iterable[ChatMessage]) -> list[str]:
    """One key per message that stays the same in every export of the chat, from any phone.

    Made of the minute (Android exports give no seconds); the text, its marks and spacing
    made alike, a media message reduced to "<media>" (an export with media names the file,
    one without says "<Media omitted>" and may drop the caption); and how many messages
    before it in the file had the same minute and text (two "ok" in one minute are two
    messages). Not the sender: each phone names people as its owner saved them ("Zhang
    Wei", "+86 138 …", the owner's own name). Not the line: a longer export of the same
    chat moves every line.
    """
    seen: Counter[str] = Counter()
    keys = []
    for message in messages:
        text = "<media>" if message.placeholder else _comparable(message.text)
        base = f"{message.timestamp:%Y-%m-%d %H:%M}\n{text}"
        keys.append(hashlib.sha256(f"{base}\n{seen[base]}".encode()).hexdigest()[:40])
        seen[base] += 1
    return keys


def _comparable(text: str) -> str:
    return " ".join(text.translate({ord(mark): None for mark in MARKS}).split())
