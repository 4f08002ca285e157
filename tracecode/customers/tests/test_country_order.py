"""Countries are sorted as the reader's language sorts them: English by letters without their
accents (Åland Islands among the A's), Chinese by pinyin; the customer list sorted by country
follows the country names, not their ISO codes."""

import pytest
from django.utils import translation

from tracecode.customers.countries import country_choices

from .factories import new_customer

pytestmark = pytest.mark.django_db


def names(language: str) -> list[str]:
    with translation.override(language):
        return [name for _code, name in country_choices()]


def test_english_sorts_accented_names_among_their_letters():
    english = names("en")
    assert english.index("Åland Islands") < english.index("Albania")
    assert english.index("Côte d'Ivoire") < english.index("Croatia")
    assert english.index("Réunion") < english.index("Romania")
    assert english[-1] == "Zimbabwe"


def test_chinese_sorts_by_pinyin():
    chinese = names("zh-hans")
    assert chinese.index("阿尔巴尼亚") < chinese.index("阿富汗") < chinese.index("德国")
    assert chinese.index("德国") < chinese.index("法国") < chinese.index("日本")
    assert chinese.index("日本") < chinese.index("中国")


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["RK003", "RK002", "RK001"]),  # China, France, Germany
        ("zh-hans", ["RK001", "RK002", "RK003"]),
    ],  # 德国 de, 法国 fa, 中国 zhong  # fmt: skip
)
def test_the_customer_list_sorts_by_country_name(client_of, alice, language, expected):
    new_customer(alice, "Nordwerk Automotive GmbH", country="DE")
    new_customer(alice, "Lyon Précision Médicale SARL", country="FR")
    new_customer(alice, "深圳华联医疗器械有限公司", country="CN")
    client = client_of(alice)
    client.cookies["django_language"] = language
    page = client.get("/customers/?sort=country").context["page"]
    assert [c.code for c in page] == expected
