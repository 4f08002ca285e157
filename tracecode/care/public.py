"""The public survey page: no sign-in, the order's code and the customer's name only, one
answer, rate-limited; a wrong, expired or used link looks like no survey at all."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tracecode.accounts.throttle import client_address

from . import surveys


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    try:
        surveys.count_hit(client_address(request))
    except surveys.RateLimited:
        return render(request, "care/survey_closed.html", {"limited": True}, status=429)
    found = surveys.open_survey(token)
    if found is None:
        return render(request, "care/survey_closed.html", {}, status=404)
    errors = {}
    if request.method == "POST":
        try:
            surveys.answer(token, request.POST)
        except LookupError:
            return render(request, "care/survey_closed.html", {}, status=404)
        except ValidationError as error:
            errors = error.message_dict
        else:
            return render(request, "care/survey_thanks.html", {})
    chinese = translation.get_language().startswith("zh")
    questions = [
        {"q": q, "name": f"q{q.pk}", "text": q.text_zh if chinese else q.text_en,
         "other": q.text_en if chinese else q.text_zh, "errors": errors.get(f"q{q.pk}", []),
         "value": request.POST.get(f"q{q.pk}", "")}
        for q in found.template.questions.all()
    ]  # fmt: skip
    context = {
        "order_code": found.order.code,
        "customer_name": found.order.project.customer.company_name,
        "questions": questions,
    }
    return render(request, "care/survey.html", context, status=422 if errors else 200)
