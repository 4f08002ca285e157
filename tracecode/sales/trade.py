"""The trade's vocabulary, at its old address: it lives in tracecode/core/trade.py, below the
registers of parts and materials, which use it too."""

from tracecode.core.trade import (
    CENT,
    CURRENCIES,
    CURRENCY_CODES,
    INCOTERMS,
    UNITS,
    a_year_before,
    exchange_rate,
    format_money,
    format_price,
    format_quantity,
    money,
)

__all__ = [
    "CENT",
    "CURRENCIES",
    "CURRENCY_CODES",
    "INCOTERMS",
    "UNITS",
    "a_year_before",
    "exchange_rate",
    "format_money",
    "format_price",
    "format_quantity",
    "money",
]
