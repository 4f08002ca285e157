"""The generated PI/CI/PL and quotation PDFs in a customer's folder, for its .zip and sync."""

from .models import Document, QuotationRevision


def stored_names(customer):
    documents = Document.objects.filter(order__project__customer=customer)
    for pdf, xlsx in documents.values_list("pdf", "xlsx"):
        yield pdf
        yield xlsx
    revisions = QuotationRevision.objects.filter(quotation__project__customer=customer)
    yield from revisions.values_list("pdf", flat=True)
