"""Mail pages: Unfiled, a mail, attachments, import with progress, new mail, WhatsApp import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import visible_or_404
from tracecode.customers.models import Customer
from tracecode.files.services import response as file_response

from . import services
from .forms import ChatFileForm, ChatImportForm, ComposeForm, FileForm, ImportForm
from .models import (
    ChatImport,
    ChatLink,
    ChatMedia,
    ChatMessage,
    ImportBatch,
    MailAttachment,
    MailMessage,
)


def _visible_code_customer(code: str, user) -> Customer:
    """The customer of a code the user may see, or 404."""
    return services.visible_customer(code, user)


@login_required
def unfiled(request):
    mails = MailMessage.objects.visible_to(request.user).unfiled().order_by("-date", "-pk")
    page = Paginator(mails, 50).get_page(request.GET.get("page"))
    chats = services.unfiled_chats(request.user)
    return render(
        request, "mail/unfiled.html", {"page_obj": page, "form": FileForm(), "chats": chats}
    )


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


HELD_CHAT = "mail.held_chat"  # session key: the export waiting for its date order


@login_required
def import_chat(request):
    """Upload an export; when its dates fit more than one order, keep it and ask which."""
    if not request.user.can_write:
        raise PermissionDenied
    form = ChatImportForm(initial={"code": request.GET.get("code", "")})
    readings = None
    if request.method == "POST":
        form = ChatImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            code = data["code"].strip().upper()
            held = request.session.get(HELD_CHAT)
            opened = None
            try:
                if data["file"]:
                    services.forget_held_chat(held)
                    request.session.pop(HELD_CHAT, None)
                    name, upload = data["file"].name, data["file"]
                elif held and held.get("token") == data["held"]:
                    name, upload = held["name"], services.open_held_chat(held)
                    opened = upload
                else:  # the held export is gone (another tab imported it): start again
                    raise services.ChatImportError(_("Choose the exported chat file again."))
                try:
                    imported = services.import_chat(
                        name, upload, request.user, code=code,
                        date_order=services.date_order_of(data["date_order"]),
                    )  # fmt: skip
                finally:
                    if opened is not None:
                        opened.close()
            except services.AmbiguousDates as ambiguous:
                if data["file"]:
                    data["file"].seek(0)
                    held = services.hold_chat(data["file"], request.user)
                    request.session[HELD_CHAT] = held
                readings = [
                    (order.lower(), services.ORDER_NAMES[order], first, last)
                    for order, (first, last) in ambiguous.readings.items()
                ]
                form = ChatImportForm(initial={"code": code, "held": held["token"]})
                form.held_name = held["name"]
            except ValidationError as error:
                form.add_error(None, error.messages)
            except services.ChatImportError as error:
                form.add_error("file", str(error))
            else:
                services.forget_held_chat(request.session.pop(HELD_CHAT, None))
                messages.success(
                    request,
                    _("%(name)s: %(added)d new, %(skipped)d skipped (already there).")
                    % {"name": imported.name, "added": imported.added,
                       "skipped": imported.skipped},
                )  # fmt: skip
                if imported.problems:
                    messages.warning(
                        request,
                        _("Not everything was as expected: %(problems)s")
                        % {"problems": " · ".join(imported.problems.splitlines()[:20])},
                    )
                if code:
                    return redirect(f"{reverse('mail:timeline', args=[code])}")
                return redirect("mail:chat", pk=imported.chat_id)
    return render(request, "mail/chat_import.html", {"form": form, "readings": readings})


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
    page = Paginator(chat_messages, 200).get_page(request.GET.get("page"))
    context = {
        "chat": page[0].chat,
        "page_obj": page,
        "unfiled": services.unfiled_of(page[0].chat, request.user).count(),
        "can_file": request.user.can_write,
    }
    return render(request, "mail/chat.html", context)


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _file_chat(request, chat_messages) -> None:
    form = ChatFileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type a code to file the messages under."))
        return
    code = form.cleaned_data["code"]
    try:
        filed = services.file_chat_messages(chat_messages, code, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.message_dict.get("code", error.messages)))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d chat message filed under %(code)s.",
                "%(count)d chat messages filed under %(code)s.",
                len(filed),
            )
            % {"count": len(filed), "code": code.strip().upper()},
        )


@login_required
@require_POST
def file_chat_message(request, pk):
    """File one chat message under a code typed."""
    message = visible_or_404(ChatMessage.objects.all(), request.user, pk=pk)
    _file_chat(request, [message])
    return redirect(_back(request, reverse("mail:unfiled")))


@login_required
@require_POST
def file_chat(request, pk):
    """File every message of a chat that waits in the user's Unfiled."""
    chat_messages = services.unfiled_of(get_object_or_404(ChatImport, pk=pk), request.user)
    if not chat_messages.exists() and not (
        ChatMessage.objects.visible_to(request.user).filter(chat_id=pk).exists()
    ):
        raise Http404
    _file_chat(request, chat_messages)
    return redirect(_back(request, reverse("mail:unfiled")))


@login_required
def timeline(request, code):
    code = code.strip().upper()
    customer = _visible_code_customer(code, request.user)
    return render(request, "mail/timeline.html", {"code": code, "customer": customer})
