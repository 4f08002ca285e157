"""/api/contracts/: sales contracts and their amendments, through the same services as the
pages; every lookup through the one visibility mechanism."""

import datetime

from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import Input, Pagination, answers
from tracecode.sales.models import Order

from . import services
from .models import Amendment, Contract

router = Router(tags=["contracts"])

CONTRACTS = Contract.objects.select_related("order__project__customer").prefetch_related(
    "amendments"
)


class AmendmentOut(Schema):
    code: str
    number: int
    issued_on: datetime.date
    changes: str
    signed_on: datetime.date | None
    total: str
    pdf: str
    xlsx: str

    @staticmethod
    def resolve_total(obj) -> str:
        return obj.snapshot.get("total_text", "")

    @staticmethod
    def resolve_pdf(obj) -> str:
        return reverse("contracts:file", args=["amendment", obj.code, "pdf"])

    @staticmethod
    def resolve_xlsx(obj) -> str:
        return reverse("contracts:file", args=["amendment", obj.code, "xlsx"])


class ContractOut(Schema):
    code: str
    order: str
    issued_on: datetime.date
    clauses: str
    signed_on: datetime.date | None
    total: str
    pdf: str
    xlsx: str
    amendments: list[AmendmentOut]

    @staticmethod
    def resolve_order(obj) -> str:
        return obj.order.code

    @staticmethod
    def resolve_total(obj) -> str:
        return obj.snapshot.get("total_text", "")

    @staticmethod
    def resolve_pdf(obj) -> str:
        return reverse("contracts:file", args=["contract", obj.code, "pdf"])

    @staticmethod
    def resolve_xlsx(obj) -> str:
        return reverse("contracts:file", args=["contract", obj.code, "xlsx"])

    @staticmethod
    def resolve_amendments(obj) -> list:
        return list(obj.amendments.all())


class ContractIn(Input):
    order: str
    clauses: str = ""


class AmendmentIn(Input):
    changes: str


class ContractSignatureIn(Input):
    signed_on: datetime.date


@router.get("/", response=answers(list[ContractOut], 422), summary="Sales contracts you may see")
@paginate(Pagination)
def list_contracts(request, order: str = ""):
    contracts = CONTRACTS.visible_to(request.user).order_by("-issued_on", "-pk")
    return contracts.filter(order__code=order) if order else contracts


@router.post(
    "/",
    response=answers({201: ContractOut}, 400, 403, 404, 422),
    summary="Issue the sales contract of an order",
)
def issue(request, payload: ContractIn):
    order = editable_or_404(
        Order.objects.select_related("project__customer"), request.user, code=payload.order
    )
    contract = services.issue_contract(order, user=request.user, clauses=payload.clauses)
    return Status(201, CONTRACTS.get(pk=contract.pk))


@router.get(
    "/{code}", response=answers(ContractOut, 404, 422), summary="One contract by its number"
)
def detail(request, code: str):
    return visible_or_404(CONTRACTS, request.user, code=code)


@router.post(
    "/{code}/amendments",
    response=answers({201: AmendmentOut}, 400, 403, 404, 422),
    summary="Amend a contract: what changes; the order as it now stands",
)
def amend(request, code: str, payload: AmendmentIn):
    contract = editable_or_404(CONTRACTS, request.user, code=code)
    return Status(
        201, services.amend_contract(contract, user=request.user, changes=payload.changes)
    )


@router.put(
    "/{code}/signature",
    response=answers(AmendmentOut | ContractOut, 400, 403, 404, 422),
    summary="The day the buyer signed a contract or an amendment (by its number)",
)
def sign(request, code: str, payload: ContractSignatureIn):
    amendment = Amendment.objects.visible_to(request.user).filter(code=code).exists()
    if amendment:
        record = editable_or_404(Amendment.objects.all(), request.user, code=code)
    else:
        record = editable_or_404(CONTRACTS, request.user, code=code)
    return services.mark_signed(record, payload.signed_on, user=request.user)
