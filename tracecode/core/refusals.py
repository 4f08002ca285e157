"""How a page shows what a service refused: one way for every app.

The services refuse with a few error types: `ValidationError` (bad values, by field),
`codes.CodingError` (a code cannot be given; `.field` names what it is built from),
`core.workflow.IllegalTransition` (a move the workflow does not allow now) and
`core.concurrency.StaleEdit` (someone saved the record first). A page keeps what the person
typed and shows the refusal: on the form's fields where it has them (`show_on_form`), as a
message otherwise (`refused`), and a stale edit as what changed beside what they typed
(`stale_edit`, shown by the `conflict.html` template). The API turns the same errors into
its one error shape in tracecode/api.py.
"""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .concurrency import Change, StaleEdit


class FormErrors(ValidationError):
    """Input that does not validate; carries the bound form so a page can show it again and
    the API can name its fields."""

    def __init__(self, form):
        errors = form.errors.as_data()
        super().__init__(errors or {"__all__": [ValidationError(_("Invalid input."))]})
        self.form = form


def text_of(error) -> str:
    """One line for any refusal."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", None) or error)


def refused(request, error) -> None:
    """Say on the next page what was refused and why."""
    messages.error(request, text_of(error))


def form_field(form, name: str | None) -> str | None:
    """The form field a refusal names: a record field (`country`), a value of the code kept
    in `code_values` (`code_values.kind` is typed in `code_kind`), or none of the form's."""
    if not name:
        return None
    for candidate in (name, f"code_{name.removeprefix('code_values.')}", f"code_{name}"):
        if candidate in form.fields:
            return candidate
    return None


def show_on_form(form, error) -> None:
    """Put a service's refusal on the form: on the fields it names, else above the form."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(form_field(form, name), errors)
        else:
            form.add_error(None, error)
        return
    if hasattr(form, "add_coding_error"):  # a form whose code is built from its fields
        form.add_coding_error(error)
        return
    field = form_field(form, getattr(error, "field", None))
    if field is None:
        form.add_error(None, _("The code cannot be given: %(error)s") % {"error": text_of(error)})
    else:
        form.add_error(field, text_of(error))


@contextmanager
def on_form(form):
    """A service's ValidationError inside the block is put on the form and raised as the
    form's errors (FormErrors): the API then names its fields as the form's own errors."""
    try:
        yield
    except FormErrors:
        raise
    except ValidationError as error:
        show_on_form(form, error)
        raise FormErrors(form) from None


def stale_edit(form, error: StaleEdit) -> list[Change]:
    """Keep what the person typed, now on top of the version saved meanwhile (saving again
    means: I have seen their changes), and return those changes to show beside it."""
    data = form.data.copy()
    data[form.add_prefix("version")] = error.current.version
    form.data = data
    return error.changes
