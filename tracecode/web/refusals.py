"""Requests refused before any view runs, answered as their page or the API answers errors.

- A NUL character in the path or the query string: no database stores one (PostgreSQL
  refuses it outright), so no view should ever look one up. The API answers 422 in its one
  error shape naming the parameter; a page answers 400 with a readable message.
- A multipart upload Django cannot read, above all a file name of a thousand characters
  or so (each part's headers must fit in Django's 1 KB): the API answers in its error shape;
  the upload panel's request gets the message it shows beside the file; a plain form post
  goes back to its page with the message.

The body is read here, before the CSRF check would read it and fail the same way; nothing
in Tracecode changes upload handlers later in the request.
"""

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.validators import ProhibitNullCharactersValidator
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tracecode.core.api import INVALID, error_response


def refuse_bad_requests(get_response):
    def middleware(request):
        return _nul_refusal(request) or _unreadable_body(request) or get_response(request)

    return middleware


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _nul_refusal(request):
    bad = sorted(
        key
        for key, values in request.GET.lists()
        if "\x00" in key or any("\x00" in value for value in values)
    )
    if "\x00" in request.path_info:
        bad.insert(0, "path")
    if not bad:
        return None
    if _is_api(request):
        message = str(ProhibitNullCharactersValidator.message)
        return error_response(422, "validation_error", INVALID, {k: [message] for k in bad})
    message = _(
        "This address holds a null character, which Tracecode cannot look up. Check the link "
        "or what was typed."
    )
    return render(request, "web/bad_request.html", {"message": message}, status=400)


def _unreadable_body(request):
    if request.method != "POST" or request.content_type != "multipart/form-data":
        return None
    try:
        request.POST  # noqa: B018 - read once here; Django keeps what it read
    except MultiPartParserError as error:
        if "header size" in str(error):
            message = _(
                "The upload could not be read: a file name is far too long. Rename the file "
                "to a shorter name and send it again."
            )
        else:
            message = _("The upload could not be read: it is not a well-formed form upload.")
        return _refusal(request, 400, message)
    except RequestDataTooBig:
        return _refusal(request, 413, _("The request is too large."))
    except SuspiciousOperation:  # too many fields or files in one form
        return _refusal(request, 400, _("The upload holds too many fields or files at once."))
    return None


def _refusal(request, status: int, message: str):
    if _is_api(request):
        return error_response(status, "too_large" if status == 413 else "bad_request", message)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"errors": [message]}, status=status)
    messages.error(request, message)
    back = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(back if safe else "web:home")
