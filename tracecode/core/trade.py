"""The trade's vocabulary: currencies, Incoterms, units, and money arithmetic.

Shared by the sales app and the registers of parts and materials (tracecode/sales/trade.py
keeps the old import path).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pycountry
from django.utils.translation import gettext_lazy as _

# The currencies export trade meets most; each is checked against ISO 4217 (pycountry).
CURRENCY_CODES = [
    "USD",
    "EUR",
    "CNY",
    "JPY",
    "GBP",
    "HKD",
    "CHF",
    "AUD",
    "CAD",
    "SGD",
    "KRW",
    "TWD",
    "INR",
    "THB",
    "VND",
    "MYR",
    "MXN",
    "BRL",
    "SEK",
    "AED",
]


def _currency_name(code: str) -> str:
    currency = pycountry.currencies.get(alpha_3=code)
    if currency is None:  # a typo above must fail loudly at import, not on a document
        raise ValueError(f"{code} is not an ISO 4217 currency")
    return currency.name


CURRENCIES = [(code, f"{code} · {_currency_name(code)}") for code in CURRENCY_CODES]

# Incoterms 2020; the named place is kept beside the term.
INCOTERMS = [
    ("EXW", "EXW · Ex Works"),
    ("FCA", "FCA · Free Carrier"),
    ("FAS", "FAS · Free Alongside Ship"),
    ("FOB", "FOB · Free On Board"),
    ("CFR", "CFR · Cost and Freight"),
    ("CIF", "CIF · Cost, Insurance and Freight"),
    ("CPT", "CPT · Carriage Paid To"),
    ("CIP", "CIP · Carriage and Insurance Paid To"),
    ("DAP", "DAP · Delivered At Place"),
    ("DPU", "DPU · Delivered at Place Unloaded"),
    ("DDP", "DDP · Delivered Duty Paid"),
]

UNITS = [
    ("pcs", _("pcs")),
    ("sets", _("sets")),
    ("kg", _("kg")),
    ("g", _("g")),
    ("m", _("m")),
    ("m2", _("m²")),
    ("l", _("litres")),
    ("rolls", _("rolls")),
    ("boxes", _("boxes")),
    ("lots", _("lots")),
]

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """An amount rounded to cents the way invoices round (half up)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount, currency: str = "") -> str:
    """`USD 12,345.60`: thousands separated, always two decimals."""
    text = f"{money(amount):,.2f}"
    return f"{currency} {text}".strip()


def format_price(value) -> str:
    """A unit price with 2 to 4 decimals: 2.35, 0.0235, 1,250.00."""
    text = f"{Decimal(value):,.4f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return text


def format_quantity(value) -> str:
    """A quantity without trailing zeros: 1000, 2.5, 0.125."""
    if value is None:
        return ""
    text = f"{Decimal(value):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def exchange_rate(currency: str, base: str, rates: dict) -> Decimal | None:
    """What one unit of `currency` is worth in `base`, or None when no rate is configured."""
    if currency == base:
        return Decimal(1)
    rate = rates.get(currency)
    return Decimal(str(rate)) if rate not in (None, "") else None


def a_year_before(day: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
