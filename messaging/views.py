"""The inbox (/inbox/): conversations per customer, replies inside the 24-hour window, templates
outside it, quick replies, notes, assignment; and the WhatsApp settings (connect, templates,
reminders, retention) for owners and admins."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, has_perm, permission_required_view
from core.http import id_or_404
from messaging.exceptions import ConversationNotFound, MessagingError
from messaging.forms import (
    AssignForm,
    ConnectForm,
    NoteForm,
    QuickReplyForm,
    ReplyForm,
    SettingsForm,
    TemplateForm,
    TemplateSendForm,
)
from messaging.models import MessageTemplate, QuickReply
from messaging.reminders import reminder_kinds
from messaging.selectors import (
    account_get,
    conversation_get,
    conversation_list,
    conversation_messages,
    conversations_this_month,
    current_workspace,
    unread_total,
    window_open,
)
from messaging.services import (
    account_connect,
    account_disconnect,
    account_settings_update,
    conversation_assign,
    conversation_mark_read,
    conversation_resume_assistant,
    note_add,
    quick_reply_create,
    reply_send,
    template_create,
    template_send,
)
from plans.exceptions import PlanLimitReached
from plans.limits import limit_text
from whatsapp_routes.exceptions import NumberTakenElsewhere

PER_PAGE = 30


def _conversation_or_404(request, conversation_id):
    try:
        return conversation_get(conversation_id=id_or_404(conversation_id), user=request.user)
    except ConversationNotFound:
        raise Http404("no such conversation") from None


def _usage() -> dict:
    plan = getattr(current_workspace(), "plan", None)
    limit = getattr(plan, "max_conversations_per_month", None)
    used = conversations_this_month()
    return {
        "used": used,
        "limit": limit,
        "limit_text": limit_text(limit),
        "full": limit is not None and used >= limit,
    }


@permission_required_view(Perm.ANSWER_MESSAGES)
def inbox_view(request):
    search = request.GET.get("q", "")[:100]
    mine = request.GET.get("mine") == "1"
    unread = request.GET.get("unread") == "1"
    rows = conversation_list(user=request.user, search=search, mine=mine, unread=unread)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/inbox.html",
        {
            "page": page,
            "q": search,
            "mine": mine,
            "unread": unread,
            "unread_total": unread_total(),
            "account": account_get(),
            "usage": _usage(),
            "can_connect": has_perm(request.user, Perm.CONNECT_WHATSAPP),
            "can_upgrade": has_perm(request.user, Perm.MANAGE_BILLING),
        },
    )


@permission_required_view(Perm.ANSWER_MESSAGES)
def conversation_view(request, conversation_id):
    conversation = _conversation_or_404(request, conversation_id)
    conversation_mark_read(conversation=conversation)
    return render(
        request,
        "messaging/conversation.html",
        {
            "conversation": conversation,
            "customer": conversation.customer,
            "messages_list": conversation_messages(conversation=conversation),
            "window_open": window_open(conversation),
            "reply_form": ReplyForm(),
            "note_form": NoteForm(),
            "template_form": TemplateSendForm(),
            "assign_form": AssignForm(initial={"assignee": conversation.assigned_to_id}),
            "quick_replies": QuickReply.objects.all(),
            "account": account_get(),
            "usage": _usage(),
        },
    )


def _back(conversation):
    return redirect(reverse("messaging:conversation", args=[conversation.pk]))


def _errors(request, error):
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(getattr(error, "message", error)))


@require_POST
@permission_required_view(Perm.ANSWER_MESSAGES)
def reply_view(request, conversation_id):
    conversation = _conversation_or_404(request, conversation_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply_send(
                conversation=conversation, body=form.cleaned_data["body"], user=request.user, request=request
            )
            messages.success(request, _("Reply queued."))
        except (MessagingError, PlanLimitReached, ValidationError) as error:
            _errors(request, error)
    else:
        messages.error(request, _("Write a message."))
    return _back(conversation)


@require_POST
@permission_required_view(Perm.ANSWER_MESSAGES)
def template_send_view(request, conversation_id):
    conversation = _conversation_or_404(request, conversation_id)
    form = TemplateSendForm(request.POST)
    if form.is_valid():
        try:
            template_send(
                conversation=conversation,
                template=form.cleaned_data["template"],
                params=form.param_list(),
                user=request.user,
                request=request,
            )
            messages.success(request, _("Template queued."))
        except (MessagingError, PlanLimitReached) as error:
            _errors(request, error)
    else:
        messages.error(request, _("Choose an approved template."))
    return _back(conversation)


@require_POST
@permission_required_view(Perm.ANSWER_MESSAGES)
def note_view(request, conversation_id):
    conversation = _conversation_or_404(request, conversation_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        note_add(conversation=conversation, body=form.cleaned_data["body"], user=request.user)
    else:
        messages.error(request, _("Write a note."))
    return _back(conversation)


@require_POST
@permission_required_view(Perm.ANSWER_MESSAGES)
def assign_view(request, conversation_id):
    conversation = _conversation_or_404(request, conversation_id)
    form = AssignForm(request.POST)
    if form.is_valid():
        conversation_assign(
            conversation=conversation,
            assignee=form.cleaned_data["assignee"],
            user=request.user,
            request=request,
        )
        messages.success(request, _("Conversation assigned."))
    else:
        messages.error(request, _("Choose a member of the team."))
    return _back(conversation)


@require_POST
@permission_required_view(Perm.ANSWER_MESSAGES)
def assistant_resume_view(request, conversation_id):
    conversation = _conversation_or_404(request, conversation_id)
    conversation_resume_assistant(conversation=conversation, user=request.user)
    messages.success(request, _("The assistant answers this conversation again."))
    return _back(conversation)


# --- Settings (owners and admins) ------------------------------------------------------------------


def webhook_url() -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/whatsapp/webhook/"


def _purposes():
    labels = {
        "class_tomorrow": _("Reminder: class tomorrow"),
        "pack_running_out": _("Reminder: class pack running out"),
        "fee_due": _("Reminder: fee due"),
        "fee_overdue": _("Reminder: fee overdue"),
        "order_ready": _("Reminder: order ready"),
    }
    return [(kind.key, labels.get(kind.key, kind.key)) for kind in reminder_kinds()]


@permission_required_view(Perm.CONNECT_WHATSAPP)
def settings_view(request):
    account = account_get()
    connect_form = ConnectForm()
    if request.method == "POST" and request.POST.get("action") == "connect":
        connect_form = ConnectForm(request.POST)
        if connect_form.is_valid():
            try:
                account_connect(**connect_form.cleaned_data, user=request.user, request=request)
                messages.success(request, _("WhatsApp number connected."))
                return redirect("messaging:settings")
            except (MessagingError, NumberTakenElsewhere) as error:
                connect_form.add_error(None, str(error))
    settings_form = SettingsForm(
        initial={
            "assistant_enabled": account.assistant_enabled,
            "retention_months": account.retention_months,
            "quiet_from": account.quiet_from,
            "quiet_until": account.quiet_until,
            "reminders_per_hour": account.reminders_per_hour,
        }
        if account
        else None
    )
    return render(
        request,
        "messaging/settings.html",
        {
            "account": account,
            "connect_form": connect_form,
            "settings_form": settings_form,
            "quick_reply_form": QuickReplyForm(),
            "template_form": TemplateForm(purposes=_purposes()),
            "quick_replies": QuickReply.objects.all(),
            "templates": MessageTemplate.objects.all(),
            "webhook_url": webhook_url(),
            "verify_token": settings.WHATSAPP_VERIFY_TOKEN,
            "usage": _usage(),
        },
    )


@require_POST
@permission_required_view(Perm.CONNECT_WHATSAPP)
def disconnect_view(request):
    account_disconnect(user=request.user, request=request)
    messages.success(request, _("WhatsApp number disconnected."))
    return redirect("messaging:settings")


@require_POST
@permission_required_view(Perm.CONNECT_WHATSAPP)
def settings_save_view(request):
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            account_settings_update(**form.cleaned_data, user=request.user)
            messages.success(request, _("Settings saved."))
        except MessagingError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Check the settings."))
    return redirect("messaging:settings")


@require_POST
@permission_required_view(Perm.CONNECT_WHATSAPP)
def quick_reply_add_view(request):
    form = QuickReplyForm(request.POST)
    if form.is_valid():
        quick_reply_create(**form.cleaned_data, user=request.user)
        messages.success(request, _("Quick reply saved."))
    else:
        messages.error(request, _("A quick reply needs a title and a text."))
    return redirect("messaging:settings")


@require_POST
@permission_required_view(Perm.CONNECT_WHATSAPP)
def template_add_view(request):
    form = TemplateForm(request.POST, purposes=_purposes())
    if form.is_valid():
        template_create(**form.cleaned_data, user=request.user)
        messages.success(request, _("Template saved."))
    else:
        messages.error(request, _("A template needs its name as approved by Meta and its text."))
    return redirect("messaging:settings")
