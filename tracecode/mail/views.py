"""Mail pages: Unfiled, a mail, attachments, import with progress, new mail, WhatsApp import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import visible_or_404
from tracecode.customers.models import Customer
from tracecode.files.services import response as file_response

from . import services
from .forms import ChatImportForm, ComposeForm, FileForm, ImportForm
from .models import ChatLink, ChatMedia, ChatMessage, ImportBatch, MailAttachment, MailMessage


def _visible_code_customer(code: str, user) -> Customer:
    """The customer of a code the user may see, or 404."""
    return services.visible_customer(code, user)


@login_required
def unfiled(request):
    mails = MailMessage.objects.visible_to(request.user).unfiled().order_by("-date", "-pk")
    page = Paginator(mails, 50).get_page(request.GET.get("page"))
    return render(request, "mail/unfiled.html", {"page_obj": page, "form": FileForm()})


@login_required
def mail_list(request):
    code = request.GET.get("code", "").strip().upper()
    mails = MailMessage.objects.visible_to(request.user)
    if code:
        mails = mails.filter(links__code__in=services.codes_below(code)).distinct()
    mails = mails.order_by("-date", "-pk").prefetch_related(services.visible_links(request.user))
    page = Paginator(mails, 50).get_page(request.GET.get("page"))
    return render(request, "mail/list.html", {"page_obj": page, "code": code})


@login_required
def detail(request, pk):
    mail = visible_or_404(MailMessage.objects.all(), request.user, pk=pk)
    form = FileForm()
    if request.method == "POST":
        form = FileForm(request.POST)
        if form.is_valid():
            try:
                filed = services.file_mail(
                    mail, form.cleaned_data["code"], request.user,
                    whole_thread=form.cleaned_data["whole_thread"],
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("code", error.message_dict.get("code", error.messages))
            else:
                messages.success(request, _filed_message(filed, form.cleaned_data["code"]))
                return redirect("mail:detail", pk=mail.pk)
    context = {
        "mail": mail,
        "links": mail.links.visible_to(request.user).select_related("customer", "linked_by"),
        "attachments": mail.attachments.all(),
        "thread": services.thread_of(mail, request.user),
        "form": form,
        "can_file": request.user.can_write,
    }
    return render(request, "mail/detail.html", context)


def _filed_message(filed, code) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "%(count)d mail filed under %(code)s.", "%(count)d mails filed under %(code)s.", len(filed)
    ) % {"count": len(filed), "code": code.strip().upper()}


@login_required
@require_POST
def file_unfiled(request, pk):
    """File one unfiled mail (or its thread) from the Unfiled list."""
    mail = visible_or_404(MailMessage.objects.all(), request.user, pk=pk)
    form = FileForm(request.POST)
    if form.is_valid():
        try:
            filed = services.file_mail(
                mail, form.cleaned_data["code"], request.user,
                whole_thread=form.cleaned_data["whole_thread"],
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.message_dict.get("code", error.messages)))
        else:
            messages.success(request, _filed_message(filed, form.cleaned_data["code"]))
    else:
        messages.error(request, _("Type a code to file the mail under."))
    return redirect("mail:unfiled")


@login_required
def attachment(request, pk):
    item = get_object_or_404(MailAttachment, pk=pk)
    visible_or_404(MailMessage.objects.all(), request.user, pk=item.mail_id)
    return file_response(item.file, item.filename)


@login_required
def original(request, pk):
    mail = visible_or_404(MailMessage.objects.all(), request.user, pk=pk)
    if not mail.eml:
        raise Http404
    return file_response(mail.eml, mail.eml.name.rsplit("/", 1)[-1])


@login_required
def chat_media(request, pk):
    item = get_object_or_404(ChatMedia, pk=pk)
    visible_or_404(ChatMessage.objects.all(), request.user, pk=item.message_id)
    return file_response(item.file, item.filename)


@login_required
def import_mail(request):
    if not request.user.can_write:
        raise PermissionDenied
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            batch = services.start_batch(form.cleaned_data["files"], request.user)
            url = reverse("mail:batch", args=[batch.pk])
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"url": url})
            return redirect(url)
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"errors": form.errors}, status=422)
    return render(request, "mail/import.html", {"form": form})


@login_required
def batch(request, pk):
    item = get_object_or_404(ImportBatch, pk=pk, user=request.user)
    template = "mail/_batch.html" if request.headers.get("HX-Request") else "mail/batch.html"
    return render(request, template, {"batch": item})


@login_required
def compose(request, code):
    code = code.strip().upper()
    _visible_code_customer(code, request.user)
    if not request.user.can_write:
        raise PermissionDenied
    initial = {"subject": services.subject_prefix(code), "to": services.main_contact_email(code)}
    form = ComposeForm(initial=initial)
    if request.method == "POST":
        form = ComposeForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            files = [(f.name, f.read(), f.content_type) for f in data["attachments"]]
            try:
                mail = services.send_mail(
                    code, request.user, to=data["to"], cc=data["cc"], subject=data["subject"],
                    body=data["body"], attachments=files,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error.messages)
            except OSError as error:  # the SMTP server refused or could not be reached
                form.add_error(None, _("The mail could not be sent: %(error)s") % {"error": error})
            else:
                messages.success(request, _("Mail sent and filed under %(code)s.") % {"code": code})
                return redirect("mail:detail", pk=mail.pk)
    return render(request, "mail/compose.html", {"form": form, "code": code})


@login_required
def import_chat(request):
    if not request.user.can_write:
        raise PermissionDenied
    form = ChatImportForm(initial={"code": request.GET.get("code", "")})
    if request.method == "POST":
        form = ChatImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            code = form.cleaned_data["code"].strip().upper()
            try:
                chat = services.import_chat(upload.name, upload, request.user, code=code)
            except ValidationError as error:
                form.add_error("code", error.message_dict.get("code", error.messages))
            except services.ChatImportError as error:
                form.add_error("file", str(error))
            else:
                count = chat.messages.count()
                messages.success(
                    request,
                    _("%(count)d chat messages imported from %(name)s.")
                    % {"count": count, "name": chat.name},
                )
                if chat.problems:
                    messages.warning(
                        request,
                        _("Not everything was as expected: %(problems)s")
                        % {"problems": " · ".join(chat.problems.splitlines()[:20])},
                    )
                if code:
                    return redirect(f"{reverse('mail:timeline', args=[code])}")
                return redirect("mail:chat", pk=chat.pk)
    return render(request, "mail/chat_import.html", {"form": form})


@login_required
def chat(request, pk):
    chat_messages = (
        ChatMessage.objects.visible_to(request.user)
        .filter(chat_id=pk)
        .prefetch_related(services.visible_links(request.user, ChatLink), "media")
        .select_related("chat")
    )
    if not chat_messages.exists():
        raise Http404
    return render(
        request, "mail/chat.html", {"chat": chat_messages[0].chat, "chat_messages": chat_messages}
    )


@login_required
def timeline(request, code):
    code = code.strip().upper()
    customer = _visible_code_customer(code, request.user)
    return render(request, "mail/timeline.html", {"code": code, "customer": customer})
