"""The enquiry form starts from what the first mail or chat message says (plain Python:
these tests need no database)."""

from decimal import Decimal

from tracecode.enquiries import prefill

GERMAN = """Sehr geehrte Damen und Herren,

please quote the attached flange FL-220 (material 1.4305), about 2,000 pcs per year.
The drawing is attached.

Mit freundlichen Grüßen

Markus Hoffmann
Einkauf
Hoffmann Antriebstechnik GmbH
Industriestraße 12
70565 Stuttgart
Germany
Tel. +49 711 7820 455
Fax +49 711 7820 499
www.hoffmann-antriebstechnik.de
"""


def test_a_german_buyers_mail():
    guess = prefill.from_mail(
        sender="M.Hoffmann@hoffmann-antriebstechnik.de",
        sender_name="Markus Hoffmann",
        subject="Anfrage: Drehteile Flansch FL-220, 2.000 Stück",
        text=GERMAN,
        attachment_names=["FL-220 rev B.pdf"],
    )
    assert guess.company_name == "Hoffmann Antriebstechnik GmbH"
    assert guess.contact_name == "Markus Hoffmann"
    assert guess.email == "m.hoffmann@hoffmann-antriebstechnik.de"
    assert guess.address == "Industriestraße 12\n70565 Stuttgart\nGermany"
    assert guess.country == "DE"
    assert guess.phone == "+497117820455"  # not the fax
    assert guess.website == "https://www.hoffmann-antriebstechnik.de"
    assert (guess.quantity, guess.quantity_unit) == (Decimal(2000), "pcs")
    assert guess.part_name == "Drehteile Flansch FL-220"
    assert guess.language == "en"


def test_without_a_signature_the_domain_names_the_company_and_the_country():
    guess = prefill.from_mail(
        sender="einkauf@bergmann-hydraulik.at",
        subject="RFQ: valve body VB-12 - 500 pcs",
        text="Dear sirs, please send your offer.",
    )
    assert guess.company_name == "Bergmann Hydraulik"
    assert guess.country == "AT"
    assert guess.contact_name == ""  # a role account names nobody
    assert guess.website == "https://bergmann-hydraulik.at"
    assert (guess.part_name, guess.quantity) == ("valve body VB-12", Decimal(500))


def test_a_free_mail_provider_is_no_company_and_the_phone_gives_the_country():
    guess = prefill.from_mail(
        sender="rahul.mehta@gmail.com",
        subject="Enquiry: CNC turned parts, 5,000 pcs/year",
        text="Dear Sir,\n\nwe need stainless turned parts.\n\nRahul Mehta\nMobile: +91 98200 12345",
        public_domains={"gmail.com"},
    )
    assert guess.company_name == "" and guess.website == ""
    assert guess.contact_name == "Rahul Mehta"
    assert (guess.phone, guess.country) == ("+919820012345", "IN")
    assert (guess.part_name, guess.quantity) == ("CNC turned parts", Decimal(5000))


def test_a_chinese_mail():
    guess = prefill.from_mail(
        sender="wanglei@szhl-med.com.cn",
        sender_name="王磊",
        subject="询价：医疗外壳 MH-30，5000件",
        text="您好，\n\n请报价，图纸见附件。\n\n王磊\n深圳华联医疗器械有限公司\n"
        "广东省深圳市南山区科技园88号\n电话：+86 755 2345 6789",
    )
    assert guess.company_name == "深圳华联医疗器械有限公司"
    assert guess.contact_name == "王磊"
    assert guess.country == "CN"
    assert guess.phone == "+8675523456789"
    assert (guess.part_name, guess.quantity) == ("医疗外壳 MH-30", Decimal(5000))
    assert guess.language == "zh-hans"


def test_the_quoted_mail_below_a_reply_says_nothing_about_the_sender():
    guess = prefill.from_mail(
        sender="claire@lyon-med.fr",
        sender_name="Dubois, Claire",
        subject="Re: bracket",
        text="Yes, 300 pcs.\n\nOn 2026-03-01, REKO wrote:\n> REKO Precision Parts Co., Ltd.\n"
        "> Tel +86 25 5288 0000",
    )
    assert guess.contact_name == "Claire Dubois"
    assert guess.company_name == "Lyon Med"
    assert guess.phone == ""
    assert guess.country == "FR"
    assert guess.quantity == Decimal(300)


def test_a_part_number_is_found_in_the_text():
    guess = prefill.from_mail(
        sender="buyer@acme.example",
        subject="New project",
        text="Please quote part no. AC-4711-B, quantity: 1.200 per month.",
    )
    assert guess.part_name == "AC-4711-B"
    assert guess.quantity == Decimal(1200)


def test_a_chat_message_from_a_phone_number():
    guess = prefill.from_chat(
        sender="+49 151 23456789",
        text="Hello, this is Markus. We need 500 pcs of flange FL-220, mail: m.h@hoffmann.example",
        media_names=["IMG-20260305-WA0001.jpg"],
    )
    assert (guess.phone, guess.country) == ("+4915123456789", "DE")
    assert guess.contact_name == ""
    assert guess.email == "m.h@hoffmann.example"
    assert guess.quantity == Decimal(500)


def test_a_chat_message_from_a_saved_name():
    guess = prefill.from_chat(sender="Zhang Wei", text="你好，我们需要报价 3000个 支架")
    assert guess.contact_name == "Zhang Wei"
    assert guess.quantity == Decimal(3000)
    assert guess.language == "zh-hans"
