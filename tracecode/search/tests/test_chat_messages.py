"""Chat messages are found from the header box by their text and their author, by those who
may see them."""

import pytest

from tracecode.mail import services
from tracecode.mail.tests.factories import customer_with_project
from tracecode.search.services import search

pytestmark = pytest.mark.django_db


def chat(order: str) -> bytes:
    return (
        f"3/12/26, 9:14 AM - Zhang Wei: Final inspection for {order} is on Friday\n"
        "3/12/26, 9:15 AM - Zhang Wei: 检验报告明天发给您，法兰的平面度已经复测\n"
        "3/12/26, 9:21 AM - Alice Becker: Thanks, please add the flatness measurement\n"
    ).encode()


def titles(user, query, kind="chat"):
    return [hit.title for group in search(user, query).groups if group.kind == kind
            for hit in group.hits]  # fmt: skip


def test_a_message_is_found_by_words_of_its_text(alice):
    _c, project, order = customer_with_project(alice)
    services.import_chat("WhatsApp Chat with Zhang Wei.txt", chat(order), alice, code=project)
    assert titles(alice, "final inspection") == [
        f"Zhang Wei: Final inspection for {order} is on Friday"
    ]
    assert titles(alice, "检验报告") == ["Zhang Wei: 检验报告明天发给您，法兰的平面度已经复测"]


def test_a_message_is_found_by_its_author(alice):
    _c, project, order = customer_with_project(alice)
    services.import_chat("chat.txt", chat(order), alice, code=project)
    assert len(titles(alice, "Zhang Wei")) == 2
    assert titles(alice, "Alice Becker") == [
        "Alice Becker: Thanks, please add the flatness measurement"
    ]


def test_a_message_is_found_under_the_code_it_is_filed_under(alice):
    _c, project, order = customer_with_project(alice)
    services.import_chat("chat.txt", chat(order), alice, code=project)
    found = search(alice, project)
    assert found.mode == "code"
    assert len([g for g in found.groups if g.kind == "chat"][0].hits) == 3


def test_the_header_box_lists_it(alice, client_of):
    _c, project, order = customer_with_project(alice)
    services.import_chat("chat.txt", chat(order), alice, code=project)
    page = client_of(alice).get("/search/suggest", {"q": "flatness"}).content.decode()
    assert "Chat messages" in page
    assert "please add the <mark>flatness</mark> measurement" in page


def test_bob_does_not_find_alices_chat(alice, bob):
    _c, project, order = customer_with_project(alice)
    services.import_chat("chat.txt", chat(order), alice, code=project)
    for query in ("final inspection", "检验报告", "Zhang Wei", "平面度", project):
        assert search(bob, query).groups == []
