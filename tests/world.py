"""Alice's world for the sweep: one record of every kind under her customer, each marked with
a secret string that nobody else may ever be shown, and the identifiers that reach them.

Built with the factories and services the app's own tests use, as a sales person makes them.
"""

import datetime
import io
import secrets
import tarfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone

from tracecode.accounts.models import ApiToken
from tracecode.backups.models import Backup
from tracecode.care import complaints as complaint_steps
from tracecode.care import services as care
from tracecode.care import surveys
from tracecode.care.models import (
    CreditAssessment,
    CreditRelease,
    KeyAccount,
    Survey,
    SurveyTemplate,
)
from tracecode.company.models import BankAccount
from tracecode.contracts import services as contracts
from tracecode.customers import services as customer_services
from tracecode.customers.models import Communication
from tracecode.customers.tests.factories import new_contact, new_customer
from tracecode.enquiries import services as enquiry_services
from tracecode.enquiries.demo import drawing_pdf
from tracecode.enquiries.models import AssignmentRule
from tracecode.enquiries.tests.factories import WEB
from tracecode.files import services as files
from tracecode.imports import services as imports
from tracecode.inbox.models import InboxFile
from tracecode.leads.tests.helpers import report as report_lead
from tracecode.mail import services as mail
from tracecode.mail.models import MailAccount, MailMessage, Signature
from tracecode.mail.services import compose
from tracecode.mail.tests.factories import mail_bytes
from tracecode.payments import services as payments
from tracecode.registers.models import Material, Supplier
from tracecode.registers.tests.factories import make_material, make_part, make_supplier
from tracecode.sales import services as sales
from tracecode.sales.shipping import save_shipping
from tracecode.sales.tests.factories import line, make_order, make_project, move, today

# Every secret starts so: a search for it finds all of alice's records, and nothing for others.
PREFIX = "alicesecret"


@dataclass
class World:
    """What the sweep needs to know of alice's records."""

    secrets: dict[str, str] = field(default_factory=dict)  # kind → the whole secret
    values: dict[str, list] = field(default_factory=dict)  # parameter name → identifiers
    codes: dict[str, str] = field(default_factory=dict)  # kind → code
    staff_wide: set = field(default_factory=set)  # codes every member of staff may read

    def secret(self, kind: str) -> str:
        """A new secret for a record of this kind: the prefix, the kind, ten random letters."""
        value = f"{PREFIX}{kind}{secrets.token_hex(5)}"
        self.secrets[kind] = value
        return value

    def tails(self) -> list[bytes]:
        """What may never appear in another user's answer: each secret's random end, which no
        request carries (a search for the prefix echoes only the prefix)."""
        return [value[-10:].encode() for value in self.secrets.values()]


def build(alice) -> World:
    """Alice's customer with everything below it: contact, conversation, project, quotation
    with an issued revision, a confirmed order with its PI, a payment and a complaint, a
    processing order with its BOM and a lot, a stored file, a filed mail with an attachment,
    an unfiled mail of her own mailbox, a WhatsApp chat with a photo, a mail import, a token,
    an import of contacts (its file and what it made), an export of her customers."""
    world = World()
    s = world.secret
    today_ = today()

    customer = new_customer(
        alice,
        f"Nordwerk {s('customer')}",
        email="einkauf@nordwerk-sweep.example",
        phone="+49711123456",
        remark=s("remark"),
        next_step=s("nextstep"),
        next_step_due=today_,
    )
    contact = new_contact(
        customer, alice, name=f"Jonas {s('contact')}", email="jonas@nordwerk-sweep.example"
    )
    customer_services.log_communication(
        Communication(channel="call", direction="out", summary=s("conversation")),
        customer=customer,
        user=alice,
    )

    project = make_project(customer, alice, name=s("project"), request=s("request"))
    quotation = sales.create_quotation(
        project,
        user=alice,
        values={"valid_until": today_ + datetime.timedelta(days=30), "notes": s("quotation")},
        lines=[{"item": s("item"), "specification": "", "quantity": 100, "unit": "pcs",
                "unit_price": Decimal("2.35")}],
    )  # fmt: skip
    revision = sales.issue_quotation(quotation, user=alice)

    order = make_order(
        project, user=alice, customer_po=s("po"), notes=s("order"), lines=[line(part=s("part"))]
    )
    order = move(order, "confirm", user=alice)
    document = sales.generate_document(order, "PI", user=alice)
    payment = sales.record_payment(
        order, user=alice, values={"amount": Decimal("10.00"), "reference": s("payment")}
    )
    complaint = sales.open_complaint(order, user=alice, values={"content": s("complaint")})
    save_shipping(order, {"consignee": s("consignee"), "shipping_marks": s("marks")}, user=alice)
    contract = contracts.issue_contract(order, user=alice, clauses=s("contract"))
    amendment = contracts.amend_contract(contract, user=alice, changes=s("amendment"))
    payments.write_off(
        order, user=alice, amount=Decimal("5.00"), reason="bank_charges", note=s("writeoff")
    )
    payments.receive(
        order, user=alice, values={"amount": order.balance + 65, "reference": s("credit")}
    )
    bank_account = BankAccount.objects.create(
        currency="EUR", bank_name="Bank of China Frankfurt", account_number="DE1250010517"
    )

    processing = make_order(project, "processing", user=alice, process_requirements=s("process"))
    sales.save_bom(
        processing,
        [{"part_number": "PCB-7731", "description": s("bom"), "quantity_per_unit": Decimal(1),
          "unit": "pcs", "supplied_by": "customer"}],
    )  # fmt: skip
    lot = sales.receive_material(
        processing,
        user=alice,
        values={"bom_line": processing.bom_lines.get(), "lot_number": s("lot"),
                "quantity": Decimal(100), "received_on": today_},
    )  # fmt: skip

    stored = files.store(
        project,
        SimpleUploadedFile(f"{s('filename')}.txt", f"Tolerances {s('filetext')}".encode()),
        user=alice,
        document_type="Specification",
        description=s("filedescription"),
    )

    filed = mail.store_mail(
        mail_bytes(
            subject=f"[{order.code}] {s('mailsubject')}",
            body=f"Please see {s('mailbody')}",
            attachments=[(f"{s('attachmentname')}.txt", s("attachment").encode(), "text", "plain")],
        ),  # fmt: skip
        source=MailMessage.Source.UPLOAD,
        owner=alice,
    )
    mailbox = MailAccount.objects.create(
        name="Alice", host="127.0.0.1", username="alice", password="pw", owner=alice
    )
    unfiled = mail.store_mail(
        mail_bytes(subject=s("unfiled"), sender="someone@elsewhere.example"),
        source=MailMessage.Source.IMAP,
        owner=alice,
        account=mailbox,
    )

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "_chat.txt",
            f"[13/01/2026, 09:05:00] Alice Becker: {order.code} {s('chat')}\n"
            "[13/01/2026, 09:06:12] Alice Becker: \u200e<attached: 00000012-PHOTO.jpg>\n",
        )
        zipped.writestr("00000012-PHOTO.jpg", b"\xff\xd8\xff " + s("photo").encode())
    upload = mail.import_chat("WhatsApp Chat.zip", archive.getvalue(), alice, code=project.code)
    chat = upload.chat
    media = chat.messages.get(media__isnull=False).media.get()

    batch = mail.start_batch([SimpleUploadedFile(f"{s('import')}.eml", b"Subject: x\n\nx")], alice)
    token, _value = ApiToken.issue(alice, s("token"))
    contacts = f"Customer,Name,Notes\n{customer.code},Lena {s('importrow')},{s('importnote')}\n"
    imported, _outcome = imports.run_now(
        alice, "contacts", contacts.encode(), f"{s('importfile')}.csv", commit=True
    )
    # An import with a row that fails (a customer nobody has): its failing rows to fix.
    failing = f"Customer,Name,Notes\nZZ9999,Mia {s('failingrow')},{s('failingnote')}\n"
    failed, _outcome = imports.run_now(
        alice, "contacts", failing.encode(), f"{s('failingfile')}.csv", commit=True,
        keep_good=True,
    )  # fmt: skip
    # An export of her customers written in the background: its file holds her secrets.
    export = imports.start_export(alice, "customers", "", "csv", enqueue=False)
    imports.execute_export(export.pk)

    # Credit control: a review of her customer, and a release of her processing order (made
    # directly: releasing is a manager's act, and the world is alice's).
    CreditAssessment.objects.create(
        customer=customer, level="B", limit=Decimal(1), financial_state=s("credit"),
        reviewed_by=alice,
    )  # fmt: skip
    CreditRelease.objects.create(
        order=processing, reason=s("release"), order_total=processing.total, exposure=0,
        released_by=alice,
    )  # fmt: skip
    # A key account with its plan and a visit, and a review of the sheet.
    account = KeyAccount.objects.create(customer=customer, owner=alice)
    care.save_plan(account, user=alice, year=today_.year,
                   values={"goals": s("plangoals"), "actions": s("planactions")})  # fmt: skip
    care.record_visit(customer, user=alice, kind="visit", date=today_, purpose=s("visit"))
    care.review_sheet(customer, user=alice, note=s("sheetreview"))
    survey_template = SurveyTemplate.objects.create(name=s("surveytemplate")[:100])
    question = survey_template.questions.create(text_en="Better?", text_zh="改进？", kind="text")
    # Answered: its link, as mailed to the customer, opens nothing any more.
    survey_token = secrets.token_urlsafe(32)
    survey = Survey.objects.create(
        order=order, template=survey_template, email="jonas@nordwerk-sweep.example",
        token_hash=surveys._hash(survey_token), expires_at=timezone.now(),
        answered_at=timezone.now(),
    )  # fmt: skip
    survey.answers.create(question=question, text=s("surveyanswer"))
    complaint_steps.record_step(complaint, "content", user=alice, text=s("complaintstep"),
                                part_number=s("complaintpart")[:60])  # fmt: skip
    part = make_part(customer, number="SP1003", name=s("registerpart"), user=alice)
    material = make_material(name="CPIDE131218DA1")  # staff-wide: no secret of hers
    supplier = make_supplier(materials=[material])
    lead = report_lead(alice, customer, product=s("lead"), details=s("leaddetails"))
    draft = compose.keep_draft(alice, compose.new_mail(order.code, alice), error=s("draft"))
    Signature.objects.create(user=alice, text=s("signature"))
    # A German buyer's enquiry from the website, given to alice by the assignment rule.
    rule = AssignmentRule.objects.create(kind="country", country="DE", assignee=alice)
    enquiry, _refused = enquiry_services.submit(
        {**WEB, "company_name": s("enquiry"), "country": "DE", "quantity": Decimal(300),
         "message": s("enquirymessage")},
        [SimpleUploadedFile(f"{s('drawing')}.pdf", drawing_pdf("HM-40"), "application/pdf")],
        address="203.0.113.7",
    )  # fmt: skip
    answered, _refused = enquiry_services.submit(
        {**WEB, "company_name": s("answered"), "country": "DE", "quantity": None},
        [], address="203.0.113.7",
    )  # fmt: skip
    enquiry_services.accept(
        answered,
        enquiry_services.Intake(customer=customer, project={"name": s("enquiryproject")}),
        user=alice,
    )
    inbox_file = InboxFile.objects.create(
        name=f"{order.code} {s('inbox')}.pdf", outcome=InboxFile.Outcome.FILED, code=order.code
    )
    backup = _backup(s("backup"))

    world.codes = {
        "customer": customer.code,
        "project": project.code,
        "quotation": quotation.code,
        "order": order.code,
        "processing": processing.code,
        "part": part.code,
        "lead": lead.code,
    }
    codes = [*world.codes.values(), amendment.code]
    mails = [filed.pk, unfiled.pk]
    ids = {
        "mail": mails,
        "attachment": [filed.attachments.get().pk],
        "chat": [chat.pk],
        "media": [media.pk],
        "lot": [lot.pk],
        "document": [document.pk],
        "file": [stored.pk],
        "batch": [batch.pk],
        "token": [token.pk],
        "chat_message": [chat.messages.first().pk],
        "enquiry": [enquiry.pk, answered.pk],
        "enquiry_file": [enquiry.files.get().pk],
        "draft": [draft.pk],
        "rule": [rule.pk],
        "inbox": [inbox_file.pk],
        "backup": [backup.pk],
        "import": [imported.pk, failed.pk],
        "export": [export.pk],
        "account": [bank_account.pk],
        "payment": [payment.pk],
    }
    every_id = sorted({pk for pks in ids.values() for pk in pks})
    world.values = {
        # the web app's URL patterns
        "code": [*codes, material.code, supplier.code],
        "contact_code": [contact.code],
        "number": [complaint.number, revision.number],
        "pk": every_id,
        # the API's path parameters
        "mail_id": mails,
        "batch_id": ids["batch"],
        "document_id": ids["document"],
        "lot_id": ids["lot"],
        "file_id": ids["file"],
        "chat_id": ids["chat"],
        "message_id": ids["chat_message"],
        "enquiry_id": ids["enquiry"],
        "rule_id": ids["rule"],
        "backup_id": ids["backup"],
        "file_pk": ids["enquiry_file"],
        # labels: a record's code or id, and a mail template's key
        "key": [order.code, stored.pk, lot.pk, material.code, "follow-up"],
        "source": ["order", "cartons", "lot", "file", "material"],
        "import_id": ids["import"],
        "export_id": ids["export"],
        # choices, not identifiers: any real one reaches the record
        "kind": ["sample", "order", "mail", "contract", "amendment"],
        "action": ["confirm", "accept"],
        "name": ["contract_review", "customer", "orders", "funnel", "pareto"],
        "month": [today_.strftime("%Y-%m")],
        "year": [today_.year],  # of her key account's plan
        "step": [rule.step for rule in complaint_steps.STEPS],  # of her complaint's 8D
        "token": [survey_token],  # the link mailed for her order's survey, answered
        "username": [alice.username],
        "account_id": ids["account"],
        "fmt": ["pdf", "xlsx", "csv"],
        "sheet": ["customers", "orders"],
        # the admin site's
        "object_id": [customer.pk],
        "app_label": ["customers"],
        "content_type_id": [_content_type("customers", "customer")],
        "id": [alice.pk],
        "url": ["customers/customer/"],
    }
    world.staff_wide = {material.code, supplier.code}
    return world


def _backup(secret: str) -> Backup:
    """A finished backup of the company: its archive holds every customer's data (here: one
    of alice's secrets), so only administrators may reach it."""
    folder = Path(settings.DATA_DIR) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    name = "tracecode-sweep.tar"
    with tarfile.open(folder / name, "w") as archive:
        data = secret.encode()
        member = tarfile.TarInfo("secret.txt")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return Backup.objects.create(name=name, location=str(folder), status=Backup.Status.DONE)


def _content_type(app_label: str, model: str) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get(app_label=app_label, model=model).pk


def staff_wide_rows(world: World) -> dict:
    """The staff-wide records of the world (materials, suppliers) as they are now."""
    return {
        model.__name__: [model_to_dict(r, exclude=["materials"]) for r in
                         model.objects.filter(code__in=world.staff_wide).order_by("pk")]
        for model in (Material, Supplier)
    }  # fmt: skip


def snapshot(user) -> dict:
    """Every row `user` may see, of every model under the visibility mechanism."""
    state = {}
    for model in apps.get_models():
        if not hasattr(model, "customer_path"):
            continue
        rows = model.objects.visible_to(user).distinct().order_by("pk")
        state[model.__name__] = [model_to_dict(row) for row in rows]
    return state
