"""The website's enquiry form: off until an administrator turns it on; a submission waits
with no code; robots meet a honeypot and a rate limit kept in the database; drawings are
checked like every upload; only this page may be framed, by the sites named."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tracecode.codes.models import CodeEntry
from tracecode.customers.models import Customer
from tracecode.enquiries import services
from tracecode.enquiries.demo import drawing_pdf
from tracecode.enquiries.forms import SubmissionForm
from tracecode.enquiries.models import AssignmentRule, Enquiry, Submission

pytestmark = pytest.mark.django_db

URL = "/enquiries/form/"


@pytest.fixture
def form_on(administrator):
    services.set_form_enabled(True, user=administrator)


def token() -> str:
    return SubmissionForm().initial["token"]


def post(client=None, address="198.51.100.20", **changes):
    data = {
        "company_name": "Ontario Fluid Power Ltd.", "contact_name": "Emily Carter",
        "email": "emily.carter@ontario-fluidpower.example", "phone": "+1 416 967 1111",
        "country": "CA", "part_name": "Manifold block HM-40", "quantity": "300",
        "message": "Please quote.", "token": token(),
        "drawings": [SimpleUploadedFile("HM-40.pdf", drawing_pdf("HM-40"), "application/pdf")],
        **changes,
    }  # fmt: skip
    return (client or Client()).post(URL, data, REMOTE_ADDR=address)


def test_the_form_is_off_until_an_administrator_turns_it_on(administrator, alice, client_of):
    assert Client().get(URL).status_code == 404
    assert (
        client_of(alice).post(reverse("enquiries:settings"), {"enabled": "on"}).status_code == 403
    )
    assert not services.form_enabled()
    client_of(administrator).post(reverse("enquiries:settings"), {"enabled": "on"})
    assert services.form_enabled()
    page = Client().get(URL)
    assert page.status_code == 200
    assert "Send us your enquiry" in page.content.decode()


def test_a_submission_waits_without_a_code(form_on, alice):
    AssignmentRule.objects.create(kind="country", country="CA", assignee=alice)
    codes_before = CodeEntry.objects.count()
    response = post()
    assert response.status_code == 200
    assert "Thank you for your enquiry." in response.content.decode()
    enquiry = Enquiry.objects.get()
    assert (enquiry.source, enquiry.status, enquiry.project, enquiry.customer) == (
        "web", "pending", None, None,
    )  # fmt: skip
    assert (enquiry.phone, enquiry.country, enquiry.quantity) == ("+14169671111", "CA", 300)
    assert (enquiry.assigned_to, enquiry.address) == (alice, "198.51.100.20")
    held = enquiry.files.get()
    assert (held.filename, held.file.read()) == ("HM-40.pdf", drawing_pdf("HM-40"))
    assert CodeEntry.objects.count() == codes_before  # no code for anything yet
    assert not Customer.objects.exists()


def test_the_page_shows_nothing_of_the_company(form_on, alice):
    from tracecode.sales.tests.factories import make_customer

    make_customer(alice, "Nordwerk Automotive GmbH")
    html = Client().get(URL).content.decode()
    # The signed token is random base64: "RK" may turn up inside it, a code never
    # does, so codes are looked for as codes (RK and a digit, on a word boundary).
    assert "Nordwerk" not in html and "alice" not in html.lower()
    assert not re.search(r"\bRK\d", html)
    assert "csrfmiddlewaretoken" not in html  # no cookie needed inside another site's frame


def test_the_honeypot_thanks_a_robot_and_keeps_nothing(form_on):
    response = post(website="http://cheap-pills.example")
    assert "Thank you for your enquiry." in response.content.decode()
    assert not Enquiry.objects.exists()
    assert Submission.objects.get().spam


def test_a_post_without_a_form_loaded_here_is_a_robots(form_on):
    response = post(token="")
    assert "Thank you for your enquiry." in response.content.decode()
    assert not Enquiry.objects.exists()


def test_the_rate_limit_counts_in_the_database(form_on, settings):
    settings.ENQUIRY_FORM_PER_ADDRESS = 2
    settings.ENQUIRY_FORM_PER_HOUR = 3
    assert [post(address="198.51.100.1").status_code for _ in range(3)] == [200, 200, 429]
    assert "Too many enquiries from here" in post(address="198.51.100.1").content.decode()
    assert post(address="198.51.100.2").status_code == 200  # another address, within the hour
    assert post(address="198.51.100.3").status_code == 429  # everywhere: 3 an hour
    assert Enquiry.objects.count() == 3
    assert Submission.objects.count() == 3


def test_a_program_posing_as_a_drawing_is_refused_and_the_rest_kept(form_on):
    fake = SimpleUploadedFile("drawing.pdf", b"MZ\x90\x00 a program", "application/pdf")
    response = post(drawings=[fake, SimpleUploadedFile("ok.pdf", drawing_pdf("ok"))])
    html = response.content.decode()
    assert "These files were not accepted:" in html
    assert "drawing.pdf" in html
    assert list(Enquiry.objects.get().files.values_list("filename", flat=True)) == ["ok.pdf"]


def test_bad_fields_keep_what_was_typed(form_on):
    response = post(email="not-an-address", phone="12")
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="Ontario Fluid Power Ltd."' in html
    assert not Enquiry.objects.exists()


def test_only_this_page_may_be_framed_and_only_by_the_sites_named(
    form_on, settings, alice, client_of
):
    closed = Client().get(URL)
    assert closed["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in closed["Content-Security-Policy"]
    settings.ENQUIRY_FORM_FRAME_ANCESTORS = ["https://www.reko-parts.example"]
    framed = Client().get(URL)
    assert "X-Frame-Options" not in framed
    assert "frame-ancestors https://www.reko-parts.example" in framed["Content-Security-Policy"]
    home = client_of(alice).get("/")
    assert home["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in home["Content-Security-Policy"]


def test_the_form_in_chinese(form_on):
    html = Client().get(URL + "?lang=zh-hans").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "发送询价" in html
    response = post(lang="zh-hans")
    assert "感谢您的询价" in response.content.decode()
    assert Enquiry.objects.get().language == "zh-hans"


def test_the_api_takes_submissions_without_sign_in(form_on, settings):
    settings.ENQUIRY_FORM_PER_ADDRESS = 1
    data = {"company_name": "Acme", "contact_name": "Ann", "email": "ann@acme.example",
            "country": "US", "part_name": "Bracket"}  # fmt: skip
    client = Client()
    assert client.post("/api/enquiries/submit", data).status_code == 202
    assert Enquiry.objects.get().status == "pending"
    limited = client.post("/api/enquiries/submit", data)
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"


def test_the_api_refuses_bad_fields_and_robots_and_a_closed_form(administrator, settings):
    client = Client()
    assert client.post("/api/enquiries/submit", {}).status_code == 404  # off
    services.set_form_enabled(True, user=administrator)
    bad = client.post("/api/enquiries/submit", {"company_name": "Acme"})
    assert bad.status_code == 422
    assert {"email", "contact_name", "country", "part_name"} <= set(bad.json()["error"]["fields"])
    robot = client.post("/api/enquiries/submit", {"website": "x", "company_name": "Spam"})
    assert robot.status_code == 202
    assert not Enquiry.objects.exists()


def test_a_form_left_open_a_day_is_sent_again_with_what_was_typed(form_on, monkeypatch):
    import time

    from django.core import signing

    from tracecode.enquiries.forms import TOKEN_SALT

    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 2 * 24 * 3600)
    old = signing.dumps("form", salt=TOKEN_SALT)
    monkeypatch.setattr(signing.time, "time", lambda: now)
    response = post(token=old)
    html = response.content.decode()
    assert "This form was open for a long time: please send it again." in html
    assert 'value="Manifold block HM-40"' in html
    assert not Enquiry.objects.exists()
    assert Submission.objects.count() == 1  # it counts, it is no robot's


def test_too_many_megabytes_of_drawings_are_refused(form_on, monkeypatch):
    from tracecode.enquiries import forms

    monkeypatch.setattr(forms, "FORM_MAX_BYTES", 1000)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 2000, "application/pdf")
    html = post(drawings=[big]).content.decode()
    assert "The drawings come to 2.0\xa0KB; at most 1000\xa0bytes can be sent." in html
    assert not Enquiry.objects.exists()
