"""Countries (ISO 3166-1 alpha-2, from pycountry) in the reader's language, and phone numbers
in E.164 (phonenumbers), read with the customer's country as the region."""

import functools
import gettext
import unicodedata

import phonenumbers
import pycountry
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import get_language

# Django's language → pycountry's catalogue
PYCOUNTRY_LANGUAGES = {"zh-hans": "zh_CN", "zh": "zh_CN"}


def _language() -> str:
    return (get_language() or "en").lower()


@functools.cache
def _names(language: str) -> dict[str, str]:
    catalogue = PYCOUNTRY_LANGUAGES.get(language)
    translate = (
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[catalogue]).gettext
        if catalogue
        else None
    )
    names = {}
    for country in pycountry.countries:
        if translate:
            names[country.alpha_2] = translate(country.name)
        else:
            names[country.alpha_2] = getattr(country, "common_name", None) or country.name
    return names


@functools.cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _names(language)
    if language in PYCOUNTRY_LANGUAGES:
        # Chinese readers look a country up by its pinyin, as in a dictionary.
        def key(item):
            from pypinyin import lazy_pinyin  # when first needed: its dictionaries load in 0.1 s

            return "".join(lazy_pinyin(item[1])).lower()
    else:
        # Letters sort without their accents: Åland Islands among the A's, Réunion before
        # Romania (Python compares code points, which puts Å after Z).
        def key(item):
            letters = unicodedata.normalize("NFKD", item[1])
            return "".join(c for c in letters if not unicodedata.combining(c)).casefold()

    return tuple(sorted(names.items(), key=key))


def country_name(code: str) -> str:
    """The country's name in the active language; the code itself when it is unknown."""
    if not code:
        return ""
    return _names(_language()).get(code.upper(), code)


def country_choices() -> list[tuple[str, str]]:
    """Every country as (alpha-2, name), sorted as the active language sorts."""
    return list(_choices(_language()))


def country_order(field: str = "country") -> Case:
    """An ordering by the countries' names in the active language (the database knows only
    their codes): each code's place in `country_choices()`; unknown codes last."""
    choices = _choices(_language())
    places = [When(**{field: code}, then=Value(i)) for i, (code, _name) in enumerate(choices)]
    return Case(*places, default=Value(len(choices)), output_field=IntegerField())


def is_country(code: str) -> bool:
    return bool(code) and code.upper() in _names("en")


class BadPhone(ValueError):
    pass


def to_e164(raw: str, country: str = "") -> str:
    """A phone number typed any usual way, as +4971112345678; BadPhone when it is not one."""
    text = (raw or "").strip()
    if not text:
        return ""
    region = country.upper() if country and not text.startswith("+") else None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise BadPhone(str(error)) from None
    if not phonenumbers.is_valid_number(number):
        raise BadPhone(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """+4971112345678 as +49 711 12345678, for reading."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def whatsapp_link(e164: str) -> str:
    return f"https://wa.me/{e164.lstrip('+')}" if e164 else ""
