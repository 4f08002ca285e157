"""The REST API under /api/: one NinjaAPI, one auth rule, one error shape.

Every error answers with the same JSON body:

    {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}

`fields` maps a field name to its messages (422 validation errors); it is empty otherwise.
What the endpoints share to give it (the error schema, `answers()`, `Input` bodies, pages of
lists) is in tracecode/core/api.py.

The refusals of the services become that shape here, once, whatever endpoint meets them:
a validation error is 422 `validation_error` (by field), a code that cannot be given 422
`coding_error`, a move the workflow does not allow 409 `illegal_transition`, an edit saved
over someone else's 409 `conflict` (with what they changed). Endpoints just call services.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from tracecode.accounts.models import ApiToken
from tracecode.care.credit import CreditBlocked
from tracecode.codes.services import CodingError
from tracecode.core.api import INVALID, NUL_REFUSED, error_body, form_fields
from tracecode.core.concurrency import StaleEdit
from tracecode.core.errors import ApiError
from tracecode.core.workflow import IllegalTransition
from tracecode.customers.services import CustomerError
from tracecode.sales.documents import DocumentError


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tc_…`, a personal token created on the Tokens page."""

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's signed-in session, its writes with the CSRF token. Without a session
    there is nothing to check: an anonymous write is 401 like an anonymous read."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class TextParser(Parser):
    """Query and form fields as ninja reads them, refused when one carries a NUL character."""

    def parse_querydict(self, data, list_fields, request):
        bad = {
            key: [str(NUL_REFUSED)]
            for key in data
            if any(isinstance(v, str) and "\x00" in v for v in data.getlist(key))
        }
        if bad:
            raise ApiError(422, "validation_error", INVALID, bad)
        return super().parse_querydict(data, list_fields, request)


class TracecodeAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """`tracecode_sales_api_create_order`: the app's API and the function, whichever file
        of an API package (tracecode/sales/api/orders.py) holds it."""
        module = operation.view_func.__module__.split(".")
        if "api" in module:
            module = module[: module.index("api") + 1]
        return "_".join([*module, operation.view_func.__name__])


api = TracecodeAPI(
    title="Tracecode API",
    version="1",
    description="One number finds everything. Authenticate with a personal token "
    "(`Authorization: Bearer tc_…`) or a signed-in browser session.",
    auth=[TokenAuth(), SessionAuth()],
    parser=TextParser(),
    urls_namespace="api",
)


def error(request, status: int, code: str, message: str, fields: dict | None = None):
    """The one JSON error response."""
    return api.create_response(request, error_body(code, message, fields), status=status)


def field_name(location: tuple | list) -> str:
    """`("body", "payload", "email")` → `email`: what a client calls the field."""
    parts = [str(p) for p in location if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        fields.setdefault(field_name(item.get("loc", ())), []).append(item.get("msg", "invalid"))
    return error(request, 422, "validation_error", INVALID, fields)


@api.exception_handler(DjangoValidationError)
def on_model_validation_error(request, exc):
    if hasattr(exc, "form"):  # a form's errors, named as the API names its fields
        fields = form_fields(exc.form)
    elif hasattr(exc, "error_dict"):
        fields = exc.message_dict
    else:
        fields = {"__all__": exc.messages}
    return error(request, 422, "validation_error", INVALID, fields)


@api.exception_handler(CodingError)
def on_coding_error(request, exc):
    fields = {exc.field: [str(exc)]} if exc.field else {}
    return error(request, 422, "coding_error", str(exc), fields)


@api.exception_handler(IllegalTransition)
def on_illegal_transition(request, exc):
    return error(request, 409, "illegal_transition", exc.message)


@api.exception_handler(StaleEdit)
def on_stale_edit(request, exc):
    message = (
        f"Someone else saved this record after you read it (now version "
        f"{exc.current.version}): read it again and apply your change to the new version."
    )
    fields = {c.field: [f"saved meanwhile as: {c.theirs_text}"] for c in exc.changes}
    return error(request, 409, "conflict", message, fields)


@api.exception_handler(CustomerError)
def on_refused(request, exc):
    return error(request, 409, exc.code, str(exc))


@api.exception_handler(DocumentError)
def on_document_failed(request, exc):
    return error(request, 500, "document_failed", str(exc))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    message = "Authentication required: a valid API token or a signed-in session."
    return error(request, 401, "unauthorized", message)


@api.exception_handler(ApiError)
def on_api_error(request, exc):
    return error(request, exc.status_code, exc.code, exc.message, exc.fields)


@api.exception_handler(CreditBlocked)
def on_credit_blocked(request, exc):
    """Confirming an order credit control refuses: 409 with the figures in `fields`."""
    return error(request, 409, exc.code, exc.message, exc.fields)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found"}
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), exc.message)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error(request, 403, "forbidden", str(exc) or "You may not change this.")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return error(request, 413, "too_large", "The request body is too large.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", "Not found.")


api.add_router("/", "tracecode.accounts.api.router")
api.add_router("/customers/", "tracecode.customers.api.router")
api.add_router("/codes/", "tracecode.codes.api.router")
api.add_router("/sales/", "tracecode.sales.api.router")
api.add_router("/registers/", "tracecode.registers.api.router")
api.add_router("/mail/", "tracecode.mail.api.router")
api.add_router("/enquiries/", "tracecode.enquiries.api.router")
api.add_router("/search", "tracecode.search.api.router")
api.add_router("/files/", "tracecode.files.api.router")
api.add_router("/everything", "tracecode.records.api.router")
api.add_router("/labels/", "tracecode.labels.api.router")
api.add_router("/inbox/", "tracecode.inbox.api.router")
api.add_router("/reports/", "tracecode.reports.api.router")
api.add_router("/leads/", "tracecode.leads.api.router")
api.add_router("/care/", "tracecode.care.api.router")
api.add_router("/sales/everything", "tracecode.records.api.earlier")
api.add_router("/backups/", "tracecode.backups.api.router")
api.add_router("/imports/", "tracecode.imports.api.router")
api.add_router("/company/", "tracecode.company.api.router")
api.add_router("/sales/orders/", "tracecode.sales.api_shipping.router")
api.add_router("/contracts/", "tracecode.contracts.api.router")
api.add_router("/payments/", "tracecode.payments.api.router")
