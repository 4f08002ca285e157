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
from .forms import (
    ChatFileForm,
    ChatImportForm,
    ComposeForm,
    FileForm,
    ImportForm,
    SignatureForm,
)
from .models import (
    ChatImport,
    ChatLink,
    ChatMedia,
    ChatMessage,
    ImportBatch,
    MailAttachment,
    MailDraft,
    MailMessage,
    Signature,
)
from .services import compose


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


Mode = MailDraft.Mode


@login_required
def new_mail(request, code):
    """A new mail about `code`."""
    code = code.strip().upper()
    _visible_code_customer(code, request.user)
    return _compose(request, Mode.NEW, code=code)


@login_required
def reply(request, pk):
    return _compose(request, Mode.REPLY, mail=_visible_mail(request, pk))


@login_required
def reply_all(request, pk):
    return _compose(request, Mode.REPLY_ALL, mail=_visible_mail(request, pk))


@login_required
def forward(request, pk):
    return _compose(request, Mode.FORWARD, mail=_visible_mail(request, pk))


def _visible_mail(request, pk) -> MailMessage:
    return visible_or_404(MailMessage.objects.all(), request.user, pk=pk)


def _compose_url(mode, code="", mail=None) -> str:
    if mode == Mode.NEW:
        return reverse("mail:compose", args=[code])
    name = {Mode.REPLY: "mail:reply", Mode.REPLY_ALL: "mail:reply_all"}.get(mode, "mail:forward")
    return reverse(name, args=[mail.pk])


def _compose(request, mode, *, code="", mail=None):
    """The compose page of every mode. A failed send keeps everything (typed text, ticked
    files, uploads) as the user's draft and shows it again; so does applying a template to
    a mail with uploads."""
    if not request.user.can_write:
        raise PermissionDenied
    user = request.user
    draft = compose.draft_of(user, request.POST.get("draft") or request.GET.get("draft"))
    if draft is not None and (draft.mode != mode or draft.mail_id != getattr(mail, "pk", None)):
        draft = None
    with_code = mode != Mode.NEW
    problem = ""
    if request.method != "POST":
        form = (
            _draft_form(draft, user, with_code) if draft else _start_form(request, mode, code, mail)
        )
    else:
        typed = (request.POST.get("code", "") if with_code else code).strip().upper()
        offered = compose.attachables(typed, user, mail=mail, draft=draft)
        form = ComposeForm(request.POST, request.FILES, offered=offered, with_code=with_code)
        uploads = [(f.name, f.read(), f.content_type) for f in request.FILES.getlist("attachments")]
        if "use_template" in request.POST:
            written = compose.with_template(
                _written(request.POST, mode, typed, mail), user,
                request.POST.get("template", ""), request.POST.get("language", ""),
            )  # fmt: skip
            if uploads or draft is not None:
                draft = compose.keep_draft(user, written, draft=draft, uploads=uploads)
                form = _draft_form(draft, user, with_code)
            else:
                offered = compose.attachables(typed, user, mail=mail)
                form = ComposeForm(initial=_initial(written), offered=offered, with_code=with_code)
        elif form.is_valid():
            data = form.cleaned_data
            written = compose.Compose(
                mode, data.get("code", code).strip().upper(), to=data["to"], cc=data["cc"],
                subject=data["subject"], body=data["body"], mail=mail, picks=data["files"],
            )  # fmt: skip
            try:
                picks = compose.picked(data["files"], form.offered)
                sent = compose.send(written, user, uploads=uploads, picks=picks)
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            except services.MailNotSent as error:
                problem = str(error)
                draft = compose.keep_draft(
                    user, written, draft=draft, uploads=uploads, error=problem
                )
                form = _draft_form(draft, user, with_code)
            else:
                compose.discard(draft)
                messages.success(
                    request, _("Mail sent and filed under %(code)s.") % {"code": written.code}
                )
                return redirect("mail:detail", pk=sent.pk)
    context = {
        "form": form,
        "code": code or (form["code"].value() if with_code else ""),
        "mode": mode,
        "mail": mail,
        "draft": draft,
        "problem": problem,
        "server": services.server_status(),
        "action": _compose_url(mode, code, mail),
    }
    return render(request, "mail/compose.html", context)


def _start_form(request, mode, code, mail):
    if mode != Mode.NEW:  # a reply may be filed under another code than the mail's first
        code = request.GET.get("code", "").strip().upper()
    written = compose.start(
        mode, request.user, code=code, mail=mail,
        template_key=request.GET.get("template", ""), language=request.GET.get("language", ""),
    )  # fmt: skip
    offered = compose.attachables(written.code, request.user, mail=mail)
    return ComposeForm(initial=_initial(written), offered=offered, with_code=mode != Mode.NEW)


def _written(post, mode, code, mail) -> "compose.Compose":
    from .forms import address_list

    def addresses(name):
        try:
            return address_list(post.get(name, ""))
        except Exception:  # kept as typed, checked when it is sent
            return [a.strip() for a in post.get(name, "").split(",") if a.strip()]

    return compose.Compose(
        mode, code, to=addresses("to"), cc=addresses("cc"), subject=post.get("subject", ""),
        body=post.get("body", ""), mail=mail, language=post.get("language", ""),
    )  # fmt: skip


def _draft_form(draft, user, with_code):
    offered = compose.attachables(draft.code, user, mail=draft.mail, draft=draft)
    initial = {
        "code": draft.code,
        "to": draft.to,
        "cc": draft.cc,
        "subject": draft.subject,
        "body": draft.body,
        "files": compose.ticked(draft),
        "draft": draft.pk,
    }
    return ComposeForm(initial=initial, offered=offered, with_code=with_code)


def _initial(written) -> dict:
    return {
        "code": written.code,
        "to": ", ".join(written.to),
        "cc": ", ".join(written.cc),
        "subject": written.subject,
        "body": written.body,
        "files": written.picks,
        "language": written.language,
    }


@login_required
def drafts(request):
    """The signed-in user's unsent mails."""
    found = MailDraft.objects.filter(owner=request.user).select_related("mail")
    return render(request, "mail/drafts.html", {"drafts": found})


@login_required
def draft(request, pk):
    """Continue an unsent mail where it was left."""
    found = compose.draft_of(request.user, pk)
    if found is None:
        raise Http404
    if request.method == "POST" and "discard" in request.POST:
        compose.discard(found)
        messages.success(request, _("The unsent mail was discarded."))
        return redirect("mail:drafts")
    if found.mode != Mode.NEW and found.mail is None:
        raise Http404  # the mail it answered is gone
    return redirect(f"{_compose_url(found.mode, found.code, found.mail)}?draft={found.pk}")


@login_required
def signature(request):
    """Each user edits their own signature, in English and Chinese."""
    mine = Signature.objects.filter(user=request.user).first() or Signature(user=request.user)
    form = SignatureForm(request.POST or None, instance=mine)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your signature is saved."))
        return redirect("mail:signature")
    example = compose.signature_of(request.user, "en")
    return render(request, "mail/signature.html", {"form": form, "example": example})


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
