"""A complaint handled to the end: content → analysis → corrective action → customer told →
preventive action → verification, each with who and when, refused out of order; evidence
filed on it, the 8D report in both languages, recurrences flagged."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from tracecode.care import complaints
from tracecode.care.complaints import StepRefused
from tracecode.care.models import CauseCategory
from tracecode.sales import services as sales
from tracecode.sales.models import Complaint
from tracecode.sales.tests.factories import make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def tooling(db):
    return CauseCategory.objects.create(name="Tooling wear", name_zh="模具磨损")


def a_complaint(customer, received_on=None, content="Burrs on the flange, 120 pcs"):
    order = move(make_order(make_project(customer)), "confirm")
    values = {"content": content, "received_on": received_on or today()}
    return sales.open_complaint(order, user=customer.owner, values=values)


def handle_all(complaint, user, category):
    told = {"told_on": today(), "told_how": "mail"}
    complaints.record_step(complaint, "content", user=user, text="Burrs confirmed on 120 pcs")
    complaints.record_step(complaint, "analysis", user=user, text="Worn trimming die",
                           category=category)  # fmt: skip
    complaints.record_step(complaint, "corrective", user=user, text="Die reground; 100% sorted")
    complaints.record_step(complaint, "told", user=user, text="8D sent to Mr. Braun", **told)
    complaints.record_step(complaint, "preventive", user=user, text="Die checked every 5k")
    return complaints.record_step(complaint, "verified", user=user, text="3 lots without burrs")


def test_the_steps_are_recorded_in_order_with_who_and_when_and_close_the_complaint(alice, tooling):
    complaint = a_complaint(make_customer(alice))
    handle_all(complaint, alice, tooling)

    steps = list(complaints.handling_of(complaint).steps.all())
    assert [s.step for s in steps] == [r.step for r in complaints.STEPS]
    assert all(s.by == alice and s.at for s in steps)
    complaint.refresh_from_db()
    assert complaint.cause_analysis == "Worn trimming die"
    assert complaint.corrective_action == "Die reground; 100% sorted"
    assert complaint.result_told_on == today()
    assert complaint.closed_on == today() and complaint.closed_by == alice


def test_a_step_out_of_order_is_refused(alice, tooling):
    complaint = a_complaint(make_customer(alice))
    with pytest.raises(StepRefused, match="comes after"):
        complaints.record_step(complaint, "corrective", user=alice, text="Reground")
    complaints.record_step(complaint, "content", user=alice, text="Confirmed")
    with pytest.raises(StepRefused, match="already recorded"):
        complaints.record_step(complaint, "content", user=alice, text="Again")


def test_the_analysis_needs_a_cause_category_and_telling_needs_when_and_how(alice, tooling):
    complaint = a_complaint(make_customer(alice))
    complaints.record_step(complaint, "content", user=alice, text="Confirmed")
    with pytest.raises(ValidationError) as refused:
        complaints.record_step(complaint, "analysis", user=alice, text="Die")
    assert "category" in refused.value.message_dict


def test_a_complaint_of_the_same_customer_and_part_within_a_year_is_a_recurrence(alice, tooling):
    customer = make_customer(alice)
    first = a_complaint(customer, received_on=today() - datetime.timedelta(days=200))
    complaints.handling_of(first)
    second = a_complaint(customer)
    assert complaints.recurrences(second) == [first]


def test_an_older_complaint_or_another_customers_is_no_recurrence(alice, bob, tooling):
    customer = make_customer(alice)
    complaints.handling_of(a_complaint(customer, received_on=today() - datetime.timedelta(400)))
    complaints.handling_of(a_complaint(make_customer(bob, name="Other Ltd")))
    assert complaints.recurrences(a_complaint(customer)) == []


def test_the_same_cause_category_makes_a_recurrence_for_another_part(alice, tooling):
    from tracecode.sales.tests.factories import line

    customer = make_customer(alice)
    first = a_complaint(customer, received_on=today() - datetime.timedelta(days=30))
    handle_all(first, alice, tooling)
    order = move(make_order(make_project(customer), lines=[line(part="SP2040")]), "confirm")
    second = sales.open_complaint(order, user=alice, values={"content": "Scratches"})
    complaints.record_step(second, "content", user=alice, text="Confirmed")
    assert complaints.recurrences(second) == []
    complaints.record_step(second, "analysis", user=alice, text="Die", category=tooling)
    assert complaints.recurrences(second) == [first]


def test_the_8d_report_is_a_pdf_in_english_and_chinese(alice, tooling):
    complaint = a_complaint(make_customer(alice))
    handle_all(complaint, alice, tooling)
    reader = PdfReader(io.BytesIO(complaints.report_pdf(complaint)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "8D REPORT" in text and "8D报告" in "".join(text.split())  # letter-spaced
    assert "Corrective action" in text and "纠正措施" in text
    assert "Worn trimming die" in text and "模具磨损" in text


def test_the_page_records_steps_files_evidence_and_gives_the_8d(client_of, alice, tooling):
    complaint = a_complaint(make_customer(alice))
    client = client_of(alice)
    url = f"/care/complaints/{complaint.number}/"
    assert "Content confirmed" in client.get(url).content.decode()
    wrong = client.post(f"{url}corrective/", {"text": "Too early"}, follow=True)
    assert "comes after" in wrong.content.decode()
    client.post(f"{url}content/", {"text": "Confirmed", "part_number": "SP1003"})
    client.post(f"{url}analysis/", {"text": "Worn die", "category": "Tooling wear"})
    assert complaints.handling_of(complaint).category == tooling
    from tracecode.files import services as files

    files.store(complaint, SimpleUploadedFile("burr-photo.txt", b"photo"), user=alice)
    assert "burr-photo" in client.get(url).content.decode()
    report = client.get(f"{url}8d.pdf")
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"


def test_bob_cannot_read_or_handle_alices_complaint(client_of, alice, bob, tooling):
    complaint = a_complaint(make_customer(alice))
    client = client_of(bob)
    url = f"/care/complaints/{complaint.number}/"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}8d.pdf").status_code == 404
    assert client.post(f"{url}content/", {"text": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        complaints.record_step(complaint, "content", user=bob, text="x")
    assert Complaint.objects.get(pk=complaint.pk).cause_analysis == ""


def test_the_complaint_through_the_api(client, token_of, alice, bob, tooling):
    complaint = a_complaint(make_customer(alice))

    def call(user, method, path, body=None):
        if method == "get":
            return client.get(f"/api/care/{path}", headers={"Authorization": token_of(user)})
        return client.post(f"/api/care/{path}", body or {}, content_type="application/json",
                           headers={"Authorization": token_of(user)})  # fmt: skip

    base = f"complaints/{complaint.number}"
    early = call(alice, "post", f"{base}/steps/corrective", {"text": "x"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "step_out_of_order"
    made = call(alice, "post", f"{base}/steps/content", {"text": "Confirmed"})
    assert made.status_code == 201, made.content
    bad = call(alice, "post", f"{base}/steps/analysis", {"text": "Die"})
    assert bad.status_code == 422 and "category" in bad.json()["error"]["fields"]
    call(alice, "post", f"{base}/steps/analysis", {"text": "Die", "category": "Tooling wear"})
    handling = call(alice, "get", base).json()
    assert handling["next_step"] == "corrective" and handling["category"] == "Tooling wear"
    assert [s["step"] for s in handling["steps"]] == ["content", "analysis"]
    assert call(alice, "get", f"{base}/8d.pdf").content.startswith(b"%PDF")
    assert call(bob, "get", base).status_code == 404
    assert call(bob, "get", f"{base}/8d.pdf").status_code == 404
    assert call(bob, "post", f"{base}/steps/corrective", {"text": "x"}).status_code == 404
    categories = call(bob, "get", "cause-categories").json()
    assert categories["items"][0]["name"] == "Tooling wear"
