"""What a first mail or chat message says about the enquirer and what they ask for.

Plain Python (no Django): the company from the signature (a line with a legal form) or the
sender's domain, the contact from the sender's name, the address below the company in the
signature, the phone (E.164) and the country from the address, the domain's country code or
the phone number, the part name and quantity from the subject or the text. Everything is a
guess a person checks on the form before anything is saved.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import phonenumbers
import pycountry


@dataclass
class Guess:
    company_name: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""  # E.164 when it could be read
    website: str = ""
    country: str = ""  # ISO 3166 alpha-2
    address: str = ""
    part_name: str = ""
    quantity: Decimal | None = None
    quantity_unit: str = "pcs"
    language: str = "en"


LEGAL_FORM = re.compile(
    r"(?<![\w])(gmbh|ag|kg|ohg|ug|ltd\.?|limited|inc\.?|llc|corp\.?|corporation|co\.,?\s*ltd|"
    r"s\.?\s?p\.?\s?a\.?|s\.?r\.?l\.?|sarl|s\.a\.s\.?|sas|s\.a\.|b\.v\.|bv|n\.v\.|oy|oyj|ab|"
    r"a/s|aps|as|pty|pte|plc|s\.r\.o\.|sp\.\s*z\s*o\.o\.|kft\.?|zrt\.?|spa|gmbh\s*&\s*co\.?\s*kg)"
    r"(?![\w])"
    r"|有限公司|股份|集团|株式会社|有限会社",
    re.I,
)
CHINESE = re.compile(r"[\u3400-\u9fff]")
PHONE_LABEL = re.compile(
    r"(?:tel(?:efon|ephone)?|phone|fon|mobile|mob|handy|cell|mobil|t|m|p|电话|手机|座机)"
    r"\.?\s*[:：.]?\s*(\+?\(?\d[\d\s()./-]{6,}\d)",
    re.I,
)
PHONE_BARE = re.compile(r"(\+\d[\d\s()./-]{7,}\d)")
FAX = re.compile(r"^\s*(fax|telefax|传真)\b", re.I)
WEB = re.compile(r"\b((?:https?://)?www\.[\w.-]+\.[a-z]{2,}(?:/\S*)?)", re.I)
CONTACT_LINE = re.compile(
    r"@|www\.|https?://|^\s*(tel|phone|fon|fax|mobile|mob|handy|e-?mail)\b", re.I
)
QUOTE_START = re.compile(
    r"^\s*(>|-{2,}\s*original|-{2,}\s*forwarded|on .+ wrote:$|am .+ schrieb .+:$|"
    r"von:|from:\s.+@|发件人[:：])",
    re.I,
)
# Country codes of the internet used by everybody: they say nothing about the sender.
GENERIC_TLDS = {"io", "co", "me", "tv", "ai", "ly", "fm", "am", "cc", "ws", "to", "gg", "eu"}
SECOND_LEVEL = {"co", "com", "ac", "or", "ne", "org", "net", "gov", "edu", "gen", "ltd"}
ROLE_ACCOUNTS = {
    "info", "sales", "purchasing", "purchase", "einkauf", "office", "contact", "mail",
    "enquiry", "enquiries", "inquiry", "rfq", "buyer", "procurement", "admin", "service",
}  # fmt: skip

UNITS = {
    "pcs": "pcs", "pc": "pcs", "pieces": "pcs", "piece": "pcs", "units": "pcs", "unit": "pcs",
    "stück": "pcs", "stk": "pcs", "st": "pcs", "pz": "pcs", "pezzi": "pcs", "pièces": "pcs",
    "件": "pcs", "个": "pcs", "只": "pcs", "pcs.": "pcs", "ea": "pcs",
    "sets": "sets", "set": "sets", "套": "sets", "kg": "kg",
}  # fmt: skip
NUMBER = r"(\d{1,3}(?:[.,'\s]\d{3})+|\d+(?:[.,]\d+)?)\s*(k)?"
UNIT = (
    r"(pcs\.?|pc|pieces|piece|units|unit|stück|stk|st\.|pz|pezzi|pièces|ea|sets|set|kg|件|个|只|套)"
)
QUANTITY_WITH_UNIT = re.compile(rf"(?<![\w.]){NUMBER}\s*{UNIT}(?![a-z])", re.I)
QUANTITY_LABELLED = re.compile(
    rf"(?:qty|quantity|menge|anzahl|stückzahl|quantità|quantité|数量)\s*[:：.]?\s*{NUMBER}", re.I
)
SUBJECT_NOISE = re.compile(
    r"^\s*((re|aw|fwd?|wg|tr|回复|转发)\s*[:：]\s*)*"
    r"((request\s+for\s+(quotation|quote|offer)|rfq|enquiry|inquiry|anfrage|angebotsanfrage|"
    r"preisanfrage|richiesta(\s+di\s+offerta)?|demande\s+de\s+prix|quotation\s+request|"
    r"询价|询盘|报价请求)\b\s*(for|für|für\s+|per|:|-|–)?\s*)*",
    re.I,
)
PART_NUMBER = re.compile(
    r"(?<![\w])(?:part|drawing|item|article|artikel|teil|zeichnung|sachnummer|p/?n|零件|图号)"
    r"\s*(?:no\.?|number|nr\.?|#|name|号)?\s*[:：.]?\s*([A-Z0-9][A-Z0-9\-./_]{2,30})",
    re.I,
)


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def company_line_of(lines: list[str]) -> int | None:
    """The signature line naming a company: short, with a legal form (GmbH, Ltd, 有限公司 …)."""
    for number, line in enumerate(lines):
        short = len(line) <= 70 and len(line.split()) <= 8
        if short and LEGAL_FORM.search(line) and not CONTACT_LINE.search(line):
            return number
    return None


def language_of(*texts: str) -> str:
    return "zh-hans" if any(CHINESE.search(t or "") for t in texts) else "en"


def own_text(text: str) -> list[str]:
    """The sender's own lines: what stands above the quoted mail they answer."""
    lines = []
    for line in (text or "").splitlines():
        if QUOTE_START.match(line):
            break
        lines.append(line.rstrip())
    return lines


def signature(lines: list[str], size: int = 15) -> list[str]:
    """The last lines of a mail's own text, where a signature stands (after `-- ` if any)."""
    for number in range(len(lines) - 1, -1, -1):
        if lines[number].strip() in ("--", "-- "):
            lines = lines[number + 1 :]
            break
    return [line.strip() for line in lines if line.strip()][-size:]


def country_of_domain(domain: str) -> str:
    top = domain.rsplit(".", 1)[-1].lower()
    if top == "uk":
        return "GB"
    if len(top) != 2 or top in GENERIC_TLDS:
        return ""
    found = pycountry.countries.get(alpha_2=top.upper())
    return found.alpha_2 if found else ""


def company_of_domain(domain: str) -> str:
    """`hoffmann-antriebstechnik.de` → `Hoffmann Antriebstechnik`."""
    labels = [label for label in domain.lower().split(".") if label and label != "www"]
    if len(labels) < 2:
        return ""
    name = labels[-3] if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else labels[-2]
    words = [w for w in re.split(r"[-_]+", name) if w]
    return " ".join(w.capitalize() for w in words)


def country_of_line(line: str) -> str:
    text = line.strip(" ,.;")
    if not 3 <= len(text) <= 40 or any(ch.isdigit() for ch in text):
        return ""
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return ""


def phone_of(lines: list[str], country: str) -> tuple[str, str]:
    """The first phone number of the lines (not a fax) as E.164, and the country it is in."""
    candidates = []
    for line in lines:
        if FAX.match(line):
            continue
        candidates += PHONE_LABEL.findall(line) + PHONE_BARE.findall(line)
    for raw in candidates:
        try:
            number = phonenumbers.parse(raw, country or None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return (
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                phonenumbers.region_code_for_number(number) or "",
            )
    return "", ""


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        1 < len(words) <= 4
        and not any(ch.isdigit() for ch in text)
        and not LEGAL_FORM.search(text)
        and not CONTACT_LINE.search(text)
        and all(w[0].isupper() for w in words if w[0].isalpha())
    )


def contact_of(sender_name: str, sender: str, lines: list[str], company_line: int | None) -> str:
    name = _clean(sender_name).strip("'\"")
    if name and "@" not in name:
        if "," in name and len(name.split(",")) == 2:  # "Weber, Jonas"
            last, first = (part.strip() for part in name.split(","))
            name = f"{first} {last}"
        return name
    if company_line:
        above = lines[company_line - 1]
        if _looks_like_name(above):
            return above
    local = sender.partition("@")[0].lower()
    if not local or local in ROLE_ACCOUNTS:
        return ""
    parts = [p for p in re.split(r"[._-]+", local) if p.isalpha()]
    if len(parts) < 2:
        return ""
    return " ".join(p.capitalize() + ("." if len(p) == 1 else "") for p in parts)


def address_of(lines: list[str], company_line: int | None) -> str:
    """The lines below the company's, up to the phone, mail or web lines."""
    if company_line is None:
        return ""
    found = []
    for line in lines[company_line + 1 :]:
        if CONTACT_LINE.search(line) or PHONE_LABEL.match(line) or FAX.match(line):
            break
        if any(ch.isdigit() for ch in line) or country_of_line(line):
            found.append(line)
        if len(found) == 4:
            break
    return "\n".join(found)


def _number(text: str, thousands: str | None) -> Decimal | None:
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:[.,'\s]\d{3})+", text):
        text = re.sub(r"[.,'\s]", "", text)
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if thousands:
        value *= 1000
    return value if value > 0 else None


def quantity_of(*texts: str) -> tuple[Decimal | None, str, str]:
    """The quantity asked for, its unit, and the words that said it."""
    for text in texts:
        found = QUANTITY_WITH_UNIT.search(text or "")
        if found:
            value = _number(found[1], found[2])
            if value is not None:
                return value, UNITS.get(found[3].lower().rstrip("."), "pcs"), found[0]
        found = QUANTITY_LABELLED.search(text or "")
        if found:
            value = _number(found[1], found[2])
            if value is not None:
                return value, "pcs", found[0]
    return None, "pcs", ""


def part_of(subject: str, text: str, said: str, attachment_names=()) -> str:
    """The part or product named: a part number in the subject or text, else the subject
    without "Enquiry:"/"RFQ" and the quantity, else the first attachment's name."""
    for where in (subject, text):
        found = PART_NUMBER.search(where or "")
        if found and any(ch.isdigit() for ch in found[1]):
            return found[1].rstrip(".,;")
    rest = SUBJECT_NOISE.sub("", subject or "")
    if said:
        rest = rest.replace(said, "")
    rest = re.sub(r"\[[^\]]*\]", "", rest)  # codes and tags of other systems
    rest = re.sub(r"(/\s*(year|yr|jahr|a|annum|年)\b)", "", rest, flags=re.I)
    rest = _clean(rest).strip(" ,;:-–/")
    if rest:
        return rest[:100]
    for name in attachment_names:
        stem = name.rsplit(".", 1)[0]
        if stem:
            return _clean(stem)[:100]
    return ""


def from_mail(
    *,
    sender: str,
    sender_name: str = "",
    subject: str = "",
    text: str = "",
    attachment_names=(),
    public_domains=frozenset(),
) -> Guess:
    """What a first mail says about its sender and their enquiry."""
    sender = (sender or "").strip().lower()
    domain = sender.rpartition("@")[2]
    company_domain = "" if domain in public_domains else domain
    lines = signature(own_text(text))
    company_line = company_line_of(lines)
    guess = Guess(email=sender, language=language_of(subject, text))
    if company_line is not None:
        guess.company_name = re.sub(
            r"^(company|firma|公司)\s*[:：]\s*", "", lines[company_line], flags=re.I
        )
    elif company_domain:
        guess.company_name = company_of_domain(company_domain)
    guess.contact_name = contact_of(sender_name, sender, lines, company_line)
    guess.address = address_of(lines, company_line)
    by_address = next((c for c in map(country_of_line, guess.address.splitlines()) if c), "")
    guess.country = by_address or (country_of_domain(company_domain) if company_domain else "")
    guess.phone, phone_country = phone_of(lines, guess.country)
    guess.country = guess.country or phone_country
    web = next((m[1] for line in lines if (m := WEB.search(line))), "")
    if web:
        guess.website = web if web.lower().startswith("http") else f"https://{web}"
    elif company_domain:
        guess.website = f"https://{company_domain}"
    own = "\n".join(own_text(text))
    guess.quantity, guess.quantity_unit, said = quantity_of(subject, own)
    said_in_subject = said if said and said in (subject or "") else ""
    guess.part_name = part_of(subject, own, said_in_subject, attachment_names)
    return guess


def from_chat(*, sender: str, text: str = "", media_names=()) -> Guess:
    """What a chat message says: the sender is a saved name or a phone number."""
    guess = Guess(language=language_of(text))
    sender = _clean(sender)
    phone, country = phone_of([sender], "")
    if phone:
        guess.phone, guess.country = phone, country
    elif sender:
        guess.contact_name = sender
    lines = signature((text or "").splitlines(), size=8)
    company_line = company_line_of(lines)
    if company_line is not None:
        guess.company_name = lines[company_line]
        guess.address = address_of(lines, company_line)
        guess.country = guess.country or next(
            (c for c in map(country_of_line, guess.address.splitlines()) if c), ""
        )
    if not guess.phone:
        guess.phone, phone_country = phone_of(lines, guess.country)
        guess.country = guess.country or phone_country
    emails = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text or "")
    guess.email = emails[0].lower() if emails else ""
    guess.quantity, guess.quantity_unit, said = quantity_of(text)
    first_line = next((line for line in (text or "").splitlines() if line.strip()), "")
    guess.part_name = part_of(first_line, text, said, media_names)
    return guess
