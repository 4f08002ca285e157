"""Intake pages: the queue, one enquiry, a new enquiry from a mail or a chat message, the
website's public form, and the form's settings."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tracecode.accounts.throttle import client_address
from tracecode.accounts.visibility import visible_or_404
from tracecode.codes.services import CodingError
from tracecode.customers.countries import country_name
from tracecode.files.services import response as file_response
from tracecode.mail.defaults import ACKNOWLEDGEMENT
from tracecode.mail.models import ChatMessage, MailMessage

from . import services
from .forms import AssignForm, FormSettingsForm, IntakeForm, RejectForm, SubmissionForm
from .models import AssignmentRule, Enquiry, EnquiryFile


@login_required
def queue(request):
    """Every enquiry the user may see, waiting ones first by default; overdue flagged."""
    user = request.user
    rows = Enquiry.objects.visible_to(user).select_related(
        "assigned_to", "project", "customer", "industry"
    )
    status = request.GET.get("status", "pending")
    if status in dict(Enquiry.Status.choices):
        rows = rows.filter(status=status)
    source = request.GET.get("source", "")
    if source in dict(Enquiry.Source.choices):
        rows = rows.filter(source=source)
    who = request.GET.get("assigned", "")
    if who == "me":
        rows = rows.filter(assigned_to=user)
    elif who == "nobody":
        rows = rows.filter(assigned_to__isnull=True)
    if request.GET.get("overdue"):
        rows = rows.overdue()
    page = Paginator(rows.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "status": status,
        "source": source,
        "assigned": who,
        "sources": Enquiry.Source.choices,
        "statuses": [*Enquiry.Status.choices, ("all", _("all"))],
        "overdue_count": Enquiry.objects.visible_to(user).overdue().count(),
        "hours": settings.ENQUIRY_REPLY_HOURS,
    }
    return render(request, "enquiries/queue.html", context)


@login_required
def detail(request, pk):
    enquiry = visible_or_404(Enquiry.objects.select_related("mail", "chat_message"), request.user,
                             pk=pk)  # fmt: skip
    return _detail(request, enquiry)


def _detail(request, enquiry, *, intake=None, reject_form=None):
    user = request.user
    pending = enquiry.status == Enquiry.Status.PENDING
    if pending and intake is None and user.can_write:
        intake = IntakeForm(user=user, proposal=services.proposal_for(enquiry, user), thread=False)
    context = {
        "enquiry": enquiry,
        "country": country_name(enquiry.country),
        "intake": intake if pending and user.can_write else None,
        "reject_form": reject_form or RejectForm(),
        "assign_form": AssignForm(
            initial={"assigned_to": getattr(enquiry.assigned_to, "username", None)}
        ),
        "can_assign": user.sees_everything and user.can_write,
        "held": enquiry.files.exclude(file=""),
    }
    return render(request, "enquiries/detail.html", context)


def _name(user) -> str | None:
    return user.username if user is not None else None


@login_required
@require_POST
def accept(request, pk):
    user = request.user
    enquiry = visible_or_404(Enquiry.objects.all(), user, pk=pk)
    if not user.can_write:
        raise PermissionDenied
    if enquiry.status != Enquiry.Status.PENDING:
        messages.error(request, services.not_waiting(enquiry, "accept"))
        return redirect(enquiry)
    form = IntakeForm(request.POST, user=user, proposal=services.proposal_for(enquiry, user),
                      thread=False)  # fmt: skip
    if not form.is_valid():
        return _detail(request, enquiry, intake=form)
    try:
        done = services.accept(enquiry, form.intake(), user=user)
    except services.EnquiryError as error:
        messages.error(request, str(error))
        return redirect(enquiry)
    except CodingError as error:
        form.customer.add_coding_error(error)
        return _detail(request, enquiry, intake=form)
    _tell(request, done)
    if done.acknowledgement is not None:
        messages.success(
            request,
            _("The acknowledgement went to %(to)s with %(code)s in its subject.")
            % {"to": ", ".join(done.acknowledgement.to.split(",")[:1]), "code": done.project.code},
        )
    elif done.draft is not None:
        messages.warning(
            request,
            _("%(problem)s The acknowledgement is kept under Unsent mails: send it from there.")
            % {"problem": done.problem},
        )
        return redirect("mail:draft", pk=done.draft.pk)
    return redirect(enquiry)


def _tell(request, done) -> None:
    made = _("Customer %(customer)s and project %(project)s.") % {
        "customer": done.customer.code,
        "project": done.project.code,
    }
    if done.stored:
        made += " " + ngettext(
            "%(count)d file filed under the project.",
            "%(count)d files filed under the project.",
            len(done.stored),
        ) % {"count": len(done.stored)}
    messages.success(request, made)
    for refused in done.refused:
        messages.warning(
            request,
            _("%(name)s was not filed: %(why)s")
            % {"name": refused["name"], "why": " ".join(refused["messages"])},
        )


@login_required
@require_POST
def reject(request, pk):
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=pk)
    if not request.user.can_write:
        raise PermissionDenied
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, enquiry, reject_form=form)
    try:
        services.reject(enquiry, form.cleaned_data["reason"], user=request.user)
    except services.EnquiryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The enquiry is rejected; no code was given."))
    return redirect(enquiry)


@login_required
@require_POST
def assign(request, pk):
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whom to assign it to."))
        return redirect(enquiry)
    try:
        services.reassign(enquiry, form.cleaned_data["assigned_to"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        who = enquiry.assigned_to
        messages.success(
            request, _("Assigned to %(name)s.") % {"name": who.get_full_name() or who.username}
        )
    return redirect(enquiry)


@login_required
@require_POST
def replied(request, pk):
    """Answered on the phone or on WhatsApp: the first reply is now."""
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=pk)
    if not request.user.can_write:
        raise PermissionDenied
    services.mark_replied(enquiry, user=request.user)
    return redirect(enquiry)


@login_required
def held_file(request, pk, file_pk):
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=pk)
    item = get_object_or_404(EnquiryFile, pk=file_pk, enquiry=enquiry)
    if not item.file:
        raise Http404
    return file_response(item.file, item.filename)


# A new enquiry from a mail or a chat message -----------------------------------------------


@login_required
def from_mail(request, pk):
    """One form from a mail; saving makes the customer (or picks it) and the project, files
    the mail, its thread and its drawings, and opens the reply with the acknowledgement."""
    user = request.user
    mail = visible_or_404(MailMessage.objects.all(), user, pk=pk)
    if not user.can_write:
        raise PermissionDenied
    proposal = services.proposal_for_mail(mail, user)
    form = IntakeForm(request.POST or None, user=user, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.from_mail(mail, form.intake(), user=user)
        except CodingError as error:
            form.customer.add_coding_error(error)
        else:
            _tell(request, done)
            query = urlencode(
                {"code": done.project.code, "template": ACKNOWLEDGEMENT,
                 "language": form.extra.cleaned_data["language"]}
            )  # fmt: skip
            return redirect(f"{reverse('mail:reply', args=[mail.pk])}?{query}")
    context = {"form": form, "proposal": proposal, "mail": mail, "source": "mail"}
    return render(request, "enquiries/new.html", context)


@login_required
def from_chat(request, pk):
    """The same from a chat message; the acknowledgement goes by mail when the enquirer gave
    an address, else it is ready to paste into the chat."""
    user = request.user
    message = visible_or_404(ChatMessage.objects.select_related("chat"), user, pk=pk)
    if not user.can_write:
        raise PermissionDenied
    proposal = services.proposal_for_chat(message, user)
    form = IntakeForm(request.POST or None, user=user, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.from_chat(message, form.intake(), user=user)
        except CodingError as error:
            form.customer.add_coding_error(error)
        else:
            _tell(request, done)
            language = form.extra.cleaned_data["language"]
            if form.contact.cleaned_data.get("email"):
                query = urlencode({"template": ACKNOWLEDGEMENT, "language": language})
                return redirect(f"{reverse('mail:compose', args=[done.project.code])}?{query}")
            return redirect(
                f"{reverse('enquiries:chat_reply', args=[done.enquiry.pk])}?language={language}"
            )
    context = {"form": form, "proposal": proposal, "message": message, "source": "chat"}
    return render(request, "enquiries/new.html", context)


@login_required
def chat_reply(request, pk):
    """The acknowledgement as text for the chat, with a WhatsApp link when the number is
    known; "Replied" records the first reply."""
    enquiry = visible_or_404(Enquiry.objects.select_related("project"), request.user, pk=pk)
    if not enquiry.project_id:
        raise Http404
    language = request.GET.get("language") or enquiry.language
    written = services.acknowledgement(enquiry, request.user, language)
    contact = enquiry.customer.contacts.order_by("-is_main", "pk").first()
    number = (contact.whatsapp or contact.phone) if contact else ""
    link = f"https://wa.me/{number.lstrip('+')}?text={quote(written.body)}" if number else ""
    context = {"enquiry": enquiry, "text": written.body, "link": link}
    return render(request, "enquiries/chat_reply.html", context)


# The website's form ------------------------------------------------------------------------


def _public_language(request) -> str:
    wanted = request.GET.get("lang") or request.POST.get("lang") or ""
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


def _public_csp(response):
    """Framing allowed for this page only, by the sites TRACECODE_ENQUIRY_FORM_FRAME_ANCESTORS
    names; every other page keeps `frame-ancestors 'none'` and X-Frame-Options DENY."""
    ancestors = settings.ENQUIRY_FORM_FRAME_ANCESTORS
    if ancestors:
        response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": ancestors}
    else:
        response["X-Frame-Options"] = "DENY"
    return response


@csrf_exempt  # framed in another site, a cookie cannot be relied on: a signed token instead
@xframe_options_exempt
def public_form(request):
    """The enquiry form a website links or frames. Off unless an administrator turned it on;
    a submission waits with no code; the honeypot and the rate limit keep robots out."""
    if not services.form_enabled():
        raise Http404
    language = _public_language(request)
    with translation.override(language):
        status = 200
        form = SubmissionForm(request.POST or None, request.FILES or None)
        done = refused = None
        if request.method == "POST":
            address = client_address(request)
            spam = form.is_spam
            try:
                services.count_submission(address, spam=spam)
            except services.RateLimited:
                status = 429
                form.add_error(
                    None, _("Too many enquiries from here: please try again in an hour.")
                )
            else:
                if spam:
                    done = True  # a robot is thanked like a person, and nothing is kept
                elif form.is_valid():
                    enquiry, refused = services.submit(
                        form.cleaned_data, form.cleaned_data["drawings"], address=address,
                        language=language,
                    )  # fmt: skip
                    done = enquiry is not None
        template = "enquiries/public_thanks.html" if done else "enquiries/public_form.html"
        context = {"form": form, "refused": refused, "language": language,
                   "languages": settings.LANGUAGES}  # fmt: skip
        response = render(request, template, context, status=status)
    return _public_csp(response)


# Settings ----------------------------------------------------------------------------------


@login_required
def form_settings(request):
    """Administrators turn the website form on or off and see how to embed it."""
    if not request.user.is_administrator:
        raise PermissionDenied
    current = services.FormSettings.current()
    form = FormSettingsForm(request.POST or None, initial={"enabled": current.enabled})
    if request.method == "POST" and form.is_valid():
        services.set_form_enabled(form.cleaned_data["enabled"], user=request.user)
        messages.success(request, _("Saved."))
        return redirect("enquiries:settings")
    url = request.build_absolute_uri(reverse("enquiries:form"))
    context = {
        "form": form,
        "current": current,
        "url": url,
        "ancestors": settings.ENQUIRY_FORM_FRAME_ANCESTORS,
        "rules": AssignmentRule.objects.select_related("assignee", "industry"),
        "per_address": settings.ENQUIRY_FORM_PER_ADDRESS,
        "per_hour": settings.ENQUIRY_FORM_PER_HOUR,
    }
    return render(request, "enquiries/settings.html", context)
