"""1–2 Chinese characters find every text that holds them, not only titles: mail bodies, chat
messages, the text of files; beside other words too."""

import pytest

from tracecode.search import index
from tracecode.search.models import Entry
from tracecode.search.services import search

from .factories import codes_of, customer, entry, family

pytestmark = pytest.mark.django_db


def titles(found, kind=None):
    return [hit.title for group in found.groups if kind in (None, group.kind) for hit in group.hits]


def company(owner):
    nordwerk = family(owner)
    entry("mail", "RK1038-1-S1", "Re: RK1038-1-S1 drawing", nordwerk,
          text="Dear Alice, 请确认法兰的尺寸，我们下周询价。")  # fmt: skip
    entry(
        "chat", "RK1038-1", "Zhang Wei: 样品", nordwerk, text="Zhang Wei\n王工说不锈钢法兰明天发货"
    )
    entry("file", "RK1038-2-M1", "RK1038-2-M1 drawing.pdf", nordwerk,
          text="Material 1.4301 不锈钢 flange DN50 平面度 0.05")  # fmt: skip
    return nordwerk


def test_two_characters_find_a_mail_body(alice):
    company(alice)
    found = search(alice, "询价")
    assert found.mode == "text"
    assert titles(found) == ["Re: RK1038-1-S1 drawing"]


def test_two_characters_find_every_kind_of_text(alice):
    company(alice)
    found = search(alice, "法兰")
    assert titles(found, "mail") == ["Re: RK1038-1-S1 drawing"]
    assert titles(found, "chat") == ["Zhang Wei: 样品"]
    assert titles(found, "file") == []  # its text says 不锈钢 flange, not 法兰


def test_one_character_finds_a_chat_message(alice):
    company(alice)
    assert titles(search(alice, "王"), "chat") == ["Zhang Wei: 样品"]


def test_a_chinese_word_beside_a_code(alice):
    company(alice)
    assert titles(search(alice, "法兰 RK1038-1-S1")) == ["Re: RK1038-1-S1 drawing"]
    assert titles(search(alice, "RK1038 法兰"), "chat") == ["Zhang Wei: 样品"]


def test_two_chinese_words(alice):
    company(alice)
    assert titles(search(alice, "不锈钢 法兰")) == ["Zhang Wei: 样品"]
    assert titles(search(alice, "不锈钢 平面")) == ["RK1038-2-M1 drawing.pdf"]


def test_a_chinese_word_beside_a_latin_one(alice):
    company(alice)
    assert titles(search(alice, "flange 平面")) == ["RK1038-2-M1 drawing.pdf"]
    assert titles(search(alice, "Alice 法兰")) == ["Re: RK1038-1-S1 drawing"]


def test_characters_that_are_not_next_to_each_other_are_not_a_match(alice):
    company(alice)
    assert titles(search(alice, "确法")) == []
    assert titles(search(alice, "兰的")) == ["Re: RK1038-1-S1 drawing"]


def test_a_customer_name_is_found_by_two_of_its_characters(alice):
    customer(alice, name="宁波华远汽车零部件有限公司", code="RK1039")
    assert codes_of(search(alice, "华远"), "customer") == ["RK1039"]
    assert codes_of(search(alice, "远汽"), "customer") == ["RK1039"]


def test_a_changed_text_is_found_by_its_new_characters_only(alice):
    nordwerk = family(alice)
    number = entry("mail", "RK1038-1", "Re: price", nordwerk, text="请询价")
    assert titles(search(alice, "询价")) == ["Re: price"]
    changed = {"kind": "mail", "code": "RK1038-1", "title": "Re: price", "url": "/mail/1/"}
    index.put("tests.mail", number, [{**changed, "customer": nordwerk, "text": "已报价"}])
    assert titles(search(alice, "询价")) == []
    assert titles(search(alice, "报价")) == ["Re: price"]
    assert Entry.objects.get(object_type="tests.mail", object_id=number).grams.split() == [
        "已", "已报", "报", "报价", "价"
    ]  # fmt: skip


def test_bob_does_not_find_alices_texts(alice, bob):
    company(alice)
    for query in ("法兰", "询价", "王", "不锈钢 法兰", "法兰 RK1038", "平面"):
        assert search(bob, query).groups == [], query


def test_a_longer_word_is_never_found_among_the_grams_only(alice):
    """Three characters or more are looked up in the code, title and text: the grams hold
    法兰 and 询价, but not the word the two make across a space."""
    nordwerk = family(alice)
    entry("mail", "RK1038-1", "Re: drawing", nordwerk, text="法兰 询价")
    assert titles(search(alice, "法兰 询价"), "mail") == ["Re: drawing"]
    assert not search(alice, "法兰询价")
    assert not search(alice, "兰询")
    assert titles(search(alice, '"法兰 询"'), "mail") == ["Re: drawing"]
