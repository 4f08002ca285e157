"""The REST API under /api/: one NinjaAPI, one auth rule, one error shape.

Every error answers with the same JSON body:

    {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}

`fields` maps a field name to its messages (422 validation errors); it is empty otherwise.
The rules every endpoint shares live here too: request bodies are `Input` objects, lists
page with `PageIn`/`Pagination`, and `answers()` documents the errors an operation gives.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.schema import DjangoGetter
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from pydantic import BaseModel, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tracecode.accounts.models import ApiToken

INVALID = "Some fields are not valid."
MAX_LIMIT = 500
# Far beyond any list; keeps offset + limit inside the databases' 64-bit integers.
MAX_OFFSET = 2**31 - 1


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


class ApiError(HttpError):
    """An error with a machine-readable code, raised by any endpoint."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(status, message)
        self.code = code
        self.fields = fields or {}


# The one error shape ----------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(description="not_found, validation_error, conflict, forbidden …")
    message: str
    fields: dict[str, list[str]] = Field(description="each bad field's messages (422)")


class ErrorOut(Schema):
    error: ErrorDetail


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    """The one JSON error response, also for answers given before the API is reached."""
    return JsonResponse(error_body(code, message, fields), status=status)


def answers(ok, *errors: int) -> dict:
    """An operation's `response=`: its success shape (a schema, or {status: schema}) and the
    error statuses it gives, each in the one error shape. 401 is always one of them."""
    responses = dict(ok) if isinstance(ok, dict) else {200: ok}
    return {**responses, **{status: ErrorOut for status in sorted({401, *errors})}}


# Input ------------------------------------------------------------------------------------

NUL_REFUSED = ProhibitNullCharactersValidator.message


def carries_nul(value) -> bool:
    """Whether a text, or any text inside a list or mapping, holds a NUL character, which no
    database column stores (PostgreSQL refuses it outright)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(carries_nul(k) or carries_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(carries_nul(v) for v in value)
    return False


class Input(Schema):
    """A request body: a JSON object (a list, a number or null is refused, never read as an
    object with every field left out), its texts free of NUL characters. Every body schema of
    the API derives from it."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, Mapping | BaseModel):
            raise PydanticCustomError("object_expected", str(_("Send a JSON object.")))
        return data

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value):
        if carries_nul(value):
            raise PydanticCustomError("null_characters", str(NUL_REFUSED))
        return value


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


class PageIn(Schema):
    """`limit` and `offset` of every list."""

    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="how many at most")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="how many to skip")


class Pagination(LimitOffsetPagination):
    """`@paginate(Pagination)`: the page of a list, within the bounds of `PageIn`."""

    Input = PageIn

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


api = NinjaAPI(
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
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return error(request, 422, "validation_error", INVALID, fields)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    message = "Authentication required: a valid API token or a signed-in session."
    return error(request, 401, "unauthorized", message)


@api.exception_handler(ApiError)
def on_api_error(request, exc):
    return error(request, exc.status_code, exc.code, exc.message, exc.fields)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found"}
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), exc.message)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error(request, 403, "forbidden", "You may not change this.")


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
api.add_router("/mail/", "tracecode.mail.api.router")
api.add_router("/search", "tracecode.search.api.router")
api.add_router("/files/", "tracecode.files.api.router")
