"""An amount in words, as invoices and contracts print their total: in English
("SAY US DOLLARS ONE THOUSAND TWO HUNDRED AND THIRTY-FOUR AND CENTS FIFTY ONLY", the words of
num2words) and in Chinese upper-case figures (大写: 美元壹仟贰佰叁拾肆元伍角整)."""

from decimal import ROUND_HALF_UP, Decimal

# How the trade names the currencies in words; others print their ISO code.
NAMES_EN = {
    "USD": "US DOLLARS",
    "EUR": "EUROS",
    "CNY": "CHINESE YUAN",
    "JPY": "JAPANESE YEN",
    "GBP": "POUNDS STERLING",
    "HKD": "HONG KONG DOLLARS",
    "CHF": "SWISS FRANCS",
    "AUD": "AUSTRALIAN DOLLARS",
    "CAD": "CANADIAN DOLLARS",
    "SGD": "SINGAPORE DOLLARS",
}
NAMES_ZH = {
    "USD": "美元",
    "EUR": "欧元",
    "CNY": "人民币",
    "JPY": "日元",
    "GBP": "英镑",
    "HKD": "港币",
    "CHF": "瑞士法郎",
    "AUD": "澳元",
    "CAD": "加元",
    "SGD": "新加坡元",
    "KRW": "韩元",
}
DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ["", "拾", "佰", "仟"]
GROUPS = ["", "万", "亿", "万亿"]
CENT = Decimal("0.01")


def _split(amount) -> tuple[int, int]:
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("an amount in words is not negative")
    whole = int(value)
    return whole, int((value - whole) * 100)


def in_words(amount, currency: str) -> str:
    """The amount in English words, upper case, as a document's "SAY … ONLY" line."""
    from num2words import num2words  # when first needed: it loads every language (0.07 s)

    whole, cents = _split(amount)
    name = NAMES_EN.get(currency, currency)
    text = f"SAY {name} {num2words(whole, lang='en').upper()}"
    if cents:
        text += f" AND CENTS {num2words(cents, lang='en').upper()}"
    return f"{text} ONLY"


def _chinese_whole(number: int) -> str:
    if number == 0:
        return DIGITS[0]
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    text, zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = bool(text)
            continue
        if text and group < 1000:
            zero = True
        for place in range(3, -1, -1):
            digit = group // 10**place % 10
            if digit == 0:
                zero = zero or (bool(text) and place < 3)
                continue
            if zero and text:
                text += DIGITS[0]
            text += DIGITS[digit] + PLACES[place]
            zero = False
        text += GROUPS[index]
        zero = False
    return text


def in_chinese(amount, currency: str) -> str:
    """The amount in Chinese upper-case figures (大写), with the currency's Chinese name."""
    whole, cents = _split(amount)
    jiao, fen = divmod(cents, 10)
    text = NAMES_ZH.get(currency, currency)
    if whole or not cents:
        text += _chinese_whole(whole) + "元"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and whole:
        text += DIGITS[0]
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return text
