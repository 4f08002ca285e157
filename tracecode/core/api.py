"""What every endpoint of the API shares: the one error shape and the `answers()` that
document it, request bodies (`Input`), and the page of a list (`PageIn`, `Pagination`).

The error type itself is `tracecode.core.errors.ApiError`; tracecode/api.py turns every
error into the shape below.
"""

import datetime
import re
from collections.abc import Mapping
from typing import Annotated

from django.core.validators import ProhibitNullCharactersValidator
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.schema import DjangoGetter
from pydantic import BaseModel, BeforeValidator, field_validator, model_validator
from pydantic_core import PydanticCustomError

INVALID = "Some fields are not valid."
MAX_LIMIT = 500
# Far beyond any list; keeps offset + limit inside the databases' 64-bit integers.
MAX_OFFSET = 2**31 - 1


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


def form_fields(form) -> dict[str, list[str]]:
    """A form's errors by the names the API gives its fields: a value of the code typed in
    `code_<name>` is `code_values.<name>`; a form may rename others (`api_names`)."""
    renames = getattr(form, "api_names", {})
    fields = {}
    for name, errors in form.errors.get_json_data().items():
        key = renames.get(name, name)
        if key.startswith("code_"):
            key = "code_values." + key.removeprefix("code_")
        fields[key] = [e["message"] for e in errors]
    return fields


def answers(ok, *errors: int, public: bool = False) -> dict:
    """An operation's `response=`: its success shape (a schema, or {status: schema}) and the
    error statuses it gives, each in the one error shape. 401 is always one of them, but for
    a `public` operation (`auth=None`), which asks nobody to sign in."""
    responses = dict(ok) if isinstance(ok, dict) else {200: ok}
    statuses = sorted({*errors} if public else {401, *errors})
    return {**responses, **{status: ErrorOut for status in statuses}}


# Input ------------------------------------------------------------------------------------

NUL_REFUSED = ProhibitNullCharactersValidator.message
BOOLEANS = (bool, bool | None)


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

    @field_validator("*", mode="before")
    @classmethod
    def _a_boolean(cls, value, info):
        """A boolean is true or false: pydantic alone takes 0, 1, "yes" or "off" for one, which
        the schema's `"type": "boolean"` does not."""
        annotation = getattr(cls.model_fields.get(info.field_name), "annotation", None)
        if annotation in BOOLEANS and not isinstance(value, bool | None):
            raise PydanticCustomError("bool_type", str(_("Give true or false.")))
        return value

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value):
        if carries_nul(value):
            raise PydanticCustomError("null_characters", str(NUL_REFUSED))
        return value


def _iso_date(value):
    if isinstance(value, datetime.date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise PydanticCustomError("date_format", str(_("Give the date as YYYY-MM-DD.")))


# A date as the schema documents it, YYYY-MM-DD: pydantic alone reads 0 or 1700000000 as a Unix
# time, so a number where a date belongs would be taken.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


# Lists ------------------------------------------------------------------------------------


class PageIn(Schema):
    """`limit` and `offset` of every list."""

    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="how many at most")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="how many to skip")


class Pagination(LimitOffsetPagination):
    """`@paginate(Pagination)`: the page of a list, within the bounds of `PageIn`."""

    Input = PageIn

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
