"""Payment terms as export sales write them, read into instalments: "30% T/T in advance, 70%
before shipment" → 30 % when the order is confirmed, 70 % by the ship date. Plain Python.

Each instalment names the event its due date counts from (`order`, `shipment`, `arrival`) and
the days after it; an instalment whose words name no event known here has none (its due date
is the order's agreed payment date, if any).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*[%％]")
DAYS = re.compile(r"(\d{1,3})\s*(?:days?|天)")
# The words of each event, English and Chinese, tried in this order.
EVENTS = [
    ("arrival", ("arrival", "receipt of goods", "after delivery", "到货", "收货")),
    ("shipment", ("shipment", "shipping", "b/l", "bill of lading", "loading", "dispatch",
                  "before delivery", "at sight", "invoice", "发货", "出货", "装运", "提单")),
    ("order", ("advance", "deposit", "prepay", "pre-pay", "with order", "upon order", "on order",
               "order confirmation", "upon signing", "预付", "定金", "订金", "签约")),
]  # fmt: skip
NET = re.compile(r"\b(?:net|o/a|open account)\s*(\d{1,3})", re.IGNORECASE)


@dataclass(frozen=True)
class Instalment:
    percent: Decimal
    words: str  # the terms' own words for it: "T/T in advance"
    event: str | None  # order, shipment, arrival; None when the words name none known
    days: int = 0  # after the event


def _event(words: str) -> tuple[str | None, int]:
    lower = words.lower()
    net = NET.search(lower)
    if net:
        return "shipment", int(net.group(1))
    days = DAYS.search(lower)
    offset = int(days.group(1)) if days and ("after" in lower or "后" in lower) else 0
    for event, keys in EVENTS:
        if any(key in lower for key in keys):
            return event, offset
    return None, offset


def instalments(text: str) -> list[Instalment]:
    """The instalments `text` names, their percentages as written (100 % in one when it gives
    none); [] for empty terms."""
    text = " ".join((text or "").split())
    if not text:
        return []
    found = list(PERCENT.finditer(text))
    if not found:
        return [Instalment(Decimal(100), text, *_event(text))]
    result = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        words = text[match.end() : end].strip(" ,;，；、+&/").removesuffix(" and").strip()
        result.append(Instalment(Decimal(match.group(1)), words, *_event(words)))
    return result
