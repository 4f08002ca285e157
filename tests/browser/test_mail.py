"""Mail and WhatsApp in the browser: an mbox upload files a thread under its order, an unknown
mail is filed by hand, the header search finds a word of an attachment, a chat lands in the
project's timeline."""

import pytest
from playwright.sync_api import expect

from tracecode.mail.tests.factories import customer_with_project, mail_bytes, mbox_bytes
from tracecode.sales.tests.factories import make_customer, make_order, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    # No task worker beside the live server: imports run at once, the page still polls.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_an_uploaded_thread_is_filed_and_an_unknown_mail_filed_by_hand(
    page, sign_in, alice, tmp_path
):
    customer, project, order = customer_with_project(alice)
    box = tmp_path / "export.mbox"
    box.write_bytes(
        mbox_bytes(
            mail_bytes(
                subject=f"[{order}] Samples: inspection report",
                message_id="<first@lyon.example>",
                attachments=[("report.txt", b"bore diameter quenchingtest ok", "text", "plain")],
            ),
            mail_bytes(
                subject="Re: Samples: inspection report",
                message_id="<second@reko.example>",
                in_reply_to="<first@lyon.example>",
            ),
            mail_bytes(
                subject="Re: Re: Samples: inspection report",
                message_id="<third@lyon.example>",
                references=["<first@lyon.example>", "<second@reko.example>"],
            ),
            mail_bytes(
                subject="Enquiry for turned parts",
                sender="rahul@deccan-pumps.example",
                message_id="<unknown@deccan.example>",
            ),
        )
    )
    eml = tmp_path / "single.eml"
    eml.write_bytes(
        mail_bytes(subject="Re: Re: Samples: inspection report", message_id="<third@lyon.example>")
    )
    sign_in(alice)
    page.goto("/mail/import/")
    page.get_by_label(".eml or mbox files").set_input_files([str(box), str(eml)])
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-counts")).to_have_text(
        "Imported 4, skipped 1 (already there), failed 0."
    )

    page.goto(f"/mail/timeline/{order}/")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator(".timeline-mail")).to_have_count(3)
    expect(timeline).not_to_contain_text("Enquiry for turned parts")

    page.goto("/mail/unfiled/")
    row = page.get_by_role("listitem").filter(has_text="Enquiry for turned parts")
    row.get_by_label("Code").fill(project)
    row.get_by_role("button", name="File").click()
    expect(page.get_by_role("alert")).to_contain_text(f"1 mail filed under {project}.")
    expect(page.get_by_text("Enquiry for turned parts")).to_have_count(0)
    page.goto(f"/mail/timeline/{project}/")
    expect(page.get_by_test_id("timeline").locator(".timeline-mail")).to_have_count(4)

    search = page.locator("#header-search")
    search.fill("quenchingtest")
    search.press("Enter")
    expect(page.get_by_role("link", name=f"[{order}] Samples: inspection report")).to_be_visible()


def test_a_whatsapp_export_appears_in_the_projects_timeline(page, sign_in, alice, tmp_path):
    _customer, project, _order = customer_with_project(alice)
    chat = tmp_path / "WhatsApp Chat with Claire.txt"
    chat.write_text(
        "3/14/26, 9:02 AM - Claire Dubois: Any news on the delivery date?\n"
        "3/14/26, 9:10 AM - Wang Lei: Production starts Monday, shipping on 20 March.\n"
    )
    sign_in(alice)
    page.goto(f"/mail/timeline/{project}/")
    page.get_by_role("link", name="Import WhatsApp chat").click()
    expect(page.get_by_label("Code")).to_have_value(project)
    page.get_by_label("WhatsApp export").set_input_files(str(chat))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("2 new, 0 skipped (already there)")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator(".timeline-chat")).to_have_count(2)
    expect(timeline).to_contain_text("Production starts Monday, shipping on 20 March.")


def test_a_chat_imported_twice_is_found_from_the_header_and_on_its_orders_page(
    page, sign_in, alice, tmp_path
):
    order = make_order(make_project(make_customer(alice), alice), user=alice).code
    chat = tmp_path / "WhatsApp Chat with Zhang Wei.txt"
    chat.write_text(
        f"15/03/2026, 09:02 - Alice Becker: Any news on {order}?\n"
        "15/03/2026, 09:10 - Zhang Wei: Final inspection passed, crates sealed today\n"
        "15/03/2026, 09:11 - Alice Becker: Great, thank you\n"
    )
    sign_in(alice)
    for expected in ("3 new, 0 skipped", "0 new, 3 skipped"):
        page.goto("/mail/whatsapp/")
        page.get_by_label("WhatsApp export").set_input_files(str(chat))
        page.get_by_label("Code").fill(order)
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_role("alert").first).to_contain_text(expected)

    search = page.locator("#header-search")
    search.fill("crates sealed")
    search.press("Enter")
    found = page.get_by_role("link", name="Zhang Wei: Final inspection passed, crates sealed today")
    expect(found).to_be_visible()

    page.goto(f"/everything/{order}/")
    expect(page.get_by_text("Final inspection passed, crates sealed today")).to_be_visible()
