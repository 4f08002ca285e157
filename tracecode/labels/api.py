"""Labels over HTTP: a label sheet as PDF, e.g. for a packing station's own printing script."""

from ninja import Router, Schema

from tracecode.core.api import answers

from . import services, sources, views

router = Router(tags=["labels"])


class SourceOut(Schema):
    name: str
    kind: str
    title: str
    count_label: str


@router.get("/", response=answers(list[SourceOut]), summary="What labels can be printed for")
def label_sources(request):
    """Each label source: its name (in the address), the kind of record it prints for."""
    return [
        {
            "name": s.name,
            "kind": s.kind or s.model._meta.model_name,
            "title": str(s.title),
            "count_label": str(s.count_label),
        }
        for s in sources.every_source()
    ]


@router.get(
    "/{source}/{key}",
    summary="Labels as PDF",
    response=answers({200: None}, 404, 422),
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def label_sheet(
    request, source: str, key: str, size: str = "roll", count: str = "", start: str = ""
):
    """The labels of a record (`key`: its code, or the id of a file or lot) as PDF: `size`
    `roll` (60 × 40 mm) or `a4` (3 × 8), `count` labels (default: its cartons or 1), starting
    at place `start` of an A4 sheet. 404 for a record you may not see; 422 for bad values."""
    found, record = services.printing(source, key, request.user)
    count = count or services.form(found, record).initial["count"]
    data = {"size": size, "count": count, "start": start}
    pdf = services.labels_pdf(found, record, data, go_url=views.go_url(request))
    return views.pdf_response(pdf, services.filename(found, record))
