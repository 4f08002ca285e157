"""A cell as a column wants it, forgiving where Excel and people are sloppy: numbers stored as
text and text stored as numbers, Excel date serials, full-width characters, stray spaces,
thousands separators. A cell that cannot be read raises CellError saying why.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.utils.translation import gettext as _

from .reading import SPACES

# A text cell starting with one of these is run as a formula by spreadsheet programs:
# exports put a "'" before it (as Excel itself shows such text), and reading takes it off.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# … except a plain number or a phone number (+49 711 …, +1 415-555-0100, +1 (415) 555-0100:
# digits, spaces and the punctuation of phone numbers, no letter), which runs nothing.
HARMLESS = re.compile(r"[+-]?[0-9][0-9 .,()/-]*")
INVISIBLE = {"Cc", "Cf"}
YES = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "是", "有", "对", "ja", "oui", "si", "sí"}
NO = {"no", "n", "false", "f", "0", "否", "无", "沒有", "没有", "nein", "non"}
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01, counting Lotus's 29 Feb


class CellError(ValueError):
    """A cell that does not hold what its column needs; the message says why."""


def _escaped(value: str) -> bool:
    """Whether a text read from a sheet carries the "'" an export put before it."""
    return value.startswith("'") and value[1:].startswith((*FORMULA_START, "'"))


def safe(value):
    """A value as an export writes it: text that a spreadsheet would run gets a "'" first
    (and so does text that starts with such a "'" itself, so reading gives back the same)."""
    if not isinstance(value, str):
        return value
    if (value.startswith(FORMULA_START) and not HARMLESS.fullmatch(value)) or (
        value.startswith("'") and value[1:].startswith((*FORMULA_START, "'"))
    ):
        return "'" + value
    return value


def text(value) -> str:
    """Any cell as text: numbers without a useless ".0", dates in ISO form, edges trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    result = "".join(c for c in str(value) if c in "\n\t" or unicodedata.category(c) != "Cc")
    result = result.strip(SPACES)
    return result[1:] if _escaped(result) else result


def folded(value) -> str:
    """Text with full-width letters, digits and punctuation made plain (ＲＫ８８８ → RK888),
    invisible characters removed and every run of spaces made one: for codes, numbers,
    addresses, names of list entries. Free text (names, notes) keeps its own punctuation."""
    result = unicodedata.normalize("NFKC", text(value)).replace("。", ".")
    result = "".join(c for c in result if unicodedata.category(c) not in INVISIBLE or c == " ")
    return " ".join(result.split())


def key(value) -> str:
    """What two spellings of a header or a list value have in common: case, width, spaces,
    punctuation and a trailing explanation in brackets do not count."""
    result = folded(value).casefold()
    result = re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", result) or result
    return re.sub(r"[\s_\-.*:'’‘`\"/\\]+", "", result)


def date(value) -> datetime.date | None:
    """A date from a date cell, an Excel serial number or text (2026-05-01, 2026/5/1,
    2026年5月1日, 01.05.2026; a day and month that could be either way are refused)."""
    if value is None or (isinstance(value, str) and not value.strip(SPACES)):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serials run from 1900-01-01 to 9999-12-31
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellError(_("%(value)s is not a date.") % {"value": text(value)})
    raw = folded(value)
    if re.fullmatch(r"\d{5}(\.0+)?", raw):  # a serial that became text
        return date(int(float(raw)))
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", raw)
    if match:
        return _make(*map(int, match.groups()), raw)
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw)
    if match:
        return _make(*map(int, match.groups()), raw)
    match = re.fullmatch(r"(\d{1,2})\s*([./-])\s*(\d{1,2})\s*[./-]\s*(\d{4})", raw)
    if match:
        first, separator, second, year = match.groups()
        first, second, year = int(first), int(second), int(year)
        if separator == "." or first > 12:  # 01.05.2026 is European: day first
            return _make(year, second, first, raw)
        if second > 12:
            return _make(year, first, second, raw)
        if first == second:
            return _make(year, first, first, raw)
        raise CellError(
            _("%(value)s could be read day-first or month-first: write it as %(iso)s.")
            % {"value": raw, "iso": f"{year}-{second:02d}-{first:02d}"}
        )
    raise CellError(_("%(value)s is not a date: write it as 2026-05-01.") % {"value": raw})


def _make(year: int, month: int, day: int, raw: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("%(value)s is not a date that exists.") % {"value": raw}) from None


def decimal(value) -> Decimal | None:
    """A number from a number cell or text: 1,234.50 · 1.234,50 · 1 234,5 · １２３."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise CellError(_("%(value)s is not a number.") % {"value": text(value)})
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = folded(value).replace(" ", "").replace("'", "")
    if not raw:
        return None
    if "," in raw and "." in raw:
        thousands, point = (",", ".") if raw.rfind(".") > raw.rfind(",") else (".", ",")
        raw = raw.replace(thousands, "").replace(point, ".")
    elif "," in raw:
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+", raw):
            raw = raw.replace(",", "")
        else:
            raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("%(value)s is not a number.") % {"value": text(value)}) from None
    if not number.is_finite():
        raise CellError(_("%(value)s is not a number.") % {"value": text(value)})
    return number


def number_text(value) -> str:
    """A number as a form reads it ("" when empty)."""
    number = decimal(value)
    return "" if number is None else format(number, "f")


def boolean(value) -> bool | None:
    """Yes or no, as people write it in English or Chinese (yes, no, 1, 0, x, ✓, 是, 否 …)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    raw = folded(value).casefold()
    if not raw:
        return None
    if raw in YES or raw == _("yes").casefold():
        return True
    if raw in NO or raw == _("no").casefold():
        return False
    raise CellError(_("%(value)s is neither yes nor no.") % {"value": text(value)})


def phone(value) -> str:
    """A phone number, also when Excel stored it as a number and dropped its "+"
    (8613812345678.0 is +86 138 1234 5678 when that is a number anywhere)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            return text(value)
        digits = str(int(value))
        try:
            number = phonenumbers.parse("+" + digits, None)
        except phonenumbers.NumberParseException:
            return digits
        return "+" + digits if phonenumbers.is_valid_number(number) else digits
    return folded(value)


def several(value) -> list[str]:
    """Several values in one cell: joined by | (as exports write them), ; or a new line."""
    parts = re.split(r"[|;\n]", text(value))
    return [folded(p) for p in parts if folded(p)]
