"""/api/codes/: the coding engine for programs. Giving bare codes, loading schemes,
cancelling and moving counters are for administrators; explaining and finding are for
everyone signed in, and tell the registry status only of codes the caller may see. A code
that cannot be given is 422 `coding_error`, naming its field (tracecode/api.py)."""

import datetime

from django.db import transaction
from ninja import Field, Router, Schema

from tracecode.core.api import Input, answers
from tracecode.core.errors import ApiError

from . import core, services

router = Router(tags=["codes"])


def require_admin(request) -> None:
    if not request.user.is_administrator:
        raise ApiError(403, "forbidden", "Only administrators may do this.")


class SchemeOut(Schema):
    name: str
    label: str
    pattern: str
    parent: str | None
    definition: dict


class CodeRequest(Input):
    scheme: str
    parent: str | None = None
    fields: dict[str, str] = Field(default_factory=dict)
    date: datetime.date | None = None


class CodeOut(Schema):
    code: str


class SchemeFile(Input):
    text: str = Field(description="A scheme file (TOML)")


class ProblemOut(Schema):
    message: str
    line: int | None
    scheme: str | None
    field: str | None
    text: str


class CheckOut(Schema):
    ok: bool
    problems: list[ProblemOut]
    schemes: list[str]


class LoadOut(Schema):
    loaded: list[str]


class FindRequest(Input):
    text: str


class FoundOut(Schema):
    code: str
    scheme: str
    start: int
    end: int
    registered: bool
    status: str | None


class PartOut(Schema):
    kind: str = Field(description="literal, field, date or serial")
    text: str
    name: str | None
    label: str | None
    label_zh: str | None
    meaning: str | None
    meaning_zh: str | None


class ExplainOut(Schema):
    code: str
    well_formed: bool
    registered: bool
    scheme: str | None = None
    scheme_label: str | None = None
    summary: str | None = None
    summary_zh: str | None = None
    parts: list[PartOut] = Field(default_factory=list)
    error: str | None = Field(None, description="why the code is not well formed")
    position: int | None = None
    matched: str | None = None
    unmatched: str | None = None
    status: str | None = Field(None, description="registered codes you may see: the registry")
    record_type: str | None = None
    given_at: str | None = None
    origin: str | None = None


class CancelRequest(Input):
    code: str
    reason: str = ""


class SetNextRequest(CodeRequest):
    next_serial: int
    reason: str = ""


class ImportRequest(Input):
    scheme: str
    csv: str = Field(description="CSV text: a `code` column, or codes in the first column")


class ImportOut(Schema):
    imported: int


def problems_out(problems: list[core.Problem]) -> list[ProblemOut]:
    return [
        ProblemOut(message=p.message, line=p.line, scheme=p.scheme, field=p.field, text=str(p))
        for p in problems
    ]


@router.get("/schemes", response=answers(list[SchemeOut]), summary="The schemes in force")
def list_schemes(request):
    return [
        SchemeOut(
            name=s.name, label=s.label, pattern=s.pattern, parent=s.parent, definition=s.as_dict()
        )
        for s in services.schemes().values()
    ]


@router.post(
    "/check", response=answers(CheckOut, 400, 422), summary="Check a scheme file; changes nothing"
)
def check_file(request, payload: SchemeFile):
    problems = core.check(payload.text, base=services.schemes())
    names = [] if problems else core.scheme_names(payload.text)
    return CheckOut(ok=not problems, problems=problems_out(problems), schemes=names)


@router.post(
    "/schemes",
    response=answers(LoadOut, 400, 403, 422),
    summary="Load a scheme file (administrators)",
)
def load_file(request, payload: SchemeFile):
    require_admin(request)
    try:
        names = services.load_scheme_file(payload.text, user=request.user)
    except core.SchemeError as error:
        fields = {"text": [str(p) for p in error.problems]}
        raise ApiError(422, "scheme_error", "The scheme file has problems.", fields) from None
    return LoadOut(loaded=names)


@router.post(
    "/next",
    response=answers(CodeOut, 400, 403, 422),
    summary="Give the next code, with no record (admins)",
)
def next_code(request, payload: CodeRequest):
    require_admin(request)
    with transaction.atomic():
        entry = services.allocate(
            payload.scheme,
            parent=payload.parent,
            fields=payload.fields,
            date=payload.date,
            user=request.user,
        )
    return CodeOut(code=entry.code)


@router.post(
    "/preview", response=answers(CodeOut, 400, 404, 422), summary="The next code, without using it"
)
def preview_code(request, payload: CodeRequest):
    if payload.parent and not services.visible_codes(request.user, [payload.parent]):
        # Counting another user's projects would reveal their customer.
        raise ApiError(404, "not_found", "Not found.")
    code = services.preview(
        payload.scheme, parent=payload.parent, fields=payload.fields, date=payload.date
    )
    return CodeOut(code=code)


@router.get(
    "/explain/{code}", response=answers(ExplainOut, 422), summary="A code explained part by part"
)
def explain_code(request, code: str):
    return services.explain(code, user=request.user)


@router.post("/find", response=answers(list[FoundOut], 400, 422), summary="The codes inside a text")
def find_codes(request, payload: FindRequest):
    return services.find(payload.text, user=request.user)


@router.post(
    "/cancel",
    response=answers(CodeOut, 400, 403, 422),
    summary="Mark a code cancelled (administrators)",
)
def cancel_code(request, payload: CancelRequest):
    require_admin(request)
    entry = services.cancel(payload.code, user=request.user, reason=payload.reason)
    return CodeOut(code=entry.code)


@router.post(
    "/counters/next",
    response=answers(CodeOut, 400, 403, 422),
    summary="Move a counter forward (admins)",
)
def set_next_serial(request, payload: SetNextRequest):
    require_admin(request)
    code = services.set_next(
        payload.scheme,
        payload.next_serial,
        user=request.user,
        parent=payload.parent,
        fields=payload.fields,
        date=payload.date,
        reason=payload.reason,
    )
    return CodeOut(code=code)


@router.post(
    "/import",
    response=answers(ImportOut, 400, 403, 422),
    summary="Register legacy codes (administrators)",
)
def import_codes(request, payload: ImportRequest):
    require_admin(request)
    result = services.import_csv(payload.csv, payload.scheme, user=request.user)
    return ImportOut(imported=len(result.imported))
