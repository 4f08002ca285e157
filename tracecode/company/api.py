"""/api/company/: the company's profile and bank accounts. Everyone signed in reads them (they
are printed on every document); only administrators change them."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from tracecode.core.api import Input, Pagination, answers
from tracecode.core.errors import ApiError

from . import services
from .forms import BankAccountForm, ProfileForm
from .models import BankAccount

router = Router(tags=["company"])


def require_admin(request) -> None:
    if not request.user.is_administrator:
        raise ApiError(403, "forbidden", "Only administrators may change the company's details.")


class CompanyProfileOut(Schema):
    name: str
    name_zh: str
    address: str
    address_zh: str
    phone: str
    email: str
    default_currency: str
    entity: str
    document_terms: str
    has_logo: bool
    printed: dict = Field(description="what documents print: these values over the defaults")

    @staticmethod
    def resolve_has_logo(obj) -> bool:
        return bool(obj.logo)

    @staticmethod
    def resolve_printed(obj) -> dict:
        head = services.letterhead()
        return {k: head[k] for k in ("name", "name_zh", "address", "phone", "email", "terms")}


class CompanyProfileIn(Input):
    name: str | None = None
    name_zh: str | None = None
    address: str | None = None
    address_zh: str | None = None
    phone: str | None = None
    email: str | None = None
    default_currency: str | None = None
    entity: str | None = None
    document_terms: str | None = None


class BankAccountOut(Schema):
    id: int
    currency: str
    bank_name: str
    bank_address: str
    swift: str
    account_name: str
    account_number: str
    note: str
    details: str

    @staticmethod
    def resolve_details(obj) -> str:
        return obj.details()


class BankAccountIn(Input):
    currency: str | None = None
    bank_name: str | None = None
    bank_address: str | None = None
    swift: str | None = None
    account_name: str | None = None
    account_number: str | None = None
    note: str | None = None


def _valid(form):
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def _overlaid(form_class, instance, payload: dict) -> dict:
    """The instance's current values with what the client sent on top."""
    probe = form_class(instance=instance)
    data = {}
    for name in probe.fields:
        if name in ("logo", "clear_logo"):
            continue
        value = payload[name] if payload.get(name) is not None else probe[name].value()
        data[name] = "" if value is None else value
    return data


@router.get("/profile", response=answers(CompanyProfileOut), summary="The company's profile")
def get_profile(request):
    return services.profile()


@router.put(
    "/profile",
    response=answers(CompanyProfileOut, 400, 403, 422),
    summary="Change the company's profile (administrators); empty fields take the defaults",
)
def put_profile(request, payload: CompanyProfileIn):
    require_admin(request)
    current = services.profile()
    form = ProfileForm(_overlaid(ProfileForm, current, payload.dict()), instance=current)
    data = _valid(form)
    values = {name: data[name] for name in services.PROFILE_FIELDS}
    return services.save_profile(values, user=request.user)


@router.get(
    "/bank-accounts",
    response=answers(list[BankAccountOut], 422),
    summary="The bank accounts, one per currency",
)
@paginate(Pagination)
def list_accounts(request):
    return BankAccount.objects.all()


@router.post(
    "/bank-accounts",
    response=answers({201: BankAccountOut}, 400, 403, 422),
    summary="Add the bank account of a currency (administrators)",
)
def create_account(request, payload: BankAccountIn):
    require_admin(request)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    return Status(201, _save(BankAccountForm(data)))


def _save(form) -> BankAccount:
    _valid(form)
    return form.save()


@router.put(
    "/bank-accounts/{account_id}",
    response=answers(BankAccountOut, 400, 403, 404, 422),
    summary="Change a bank account (administrators)",
)
def update_account(request, account_id: int, payload: BankAccountIn):
    require_admin(request)
    found = get_object_or_404(BankAccount, pk=account_id)
    data = _overlaid(BankAccountForm, found, payload.dict())
    return _save(BankAccountForm(data, instance=found))


@router.delete(
    "/bank-accounts/{account_id}",
    response=answers({204: None}, 403, 404, 422),
    summary="Remove a bank account (administrators)",
)
def delete_account(request, account_id: int):
    require_admin(request)
    get_object_or_404(BankAccount, pk=account_id).delete()
    return Status(204, None)
