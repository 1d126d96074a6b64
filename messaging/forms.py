"""Forms of the inbox and the WhatsApp settings: they validate input; the views call the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from messaging.models import MessageTemplate


class ConnectForm(forms.Form):
    phone_number_id = forms.CharField(label=_("Phone number ID"), max_length=32)
    business_account_id = forms.CharField(label=_("WhatsApp Business account ID"), max_length=32)
    access_token = forms.CharField(
        label=_("Access token"),
        max_length=1024,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted; it is never shown again."),
    )


class SettingsForm(forms.Form):
    assistant_enabled = forms.BooleanField(label=_("The assistant answers"), required=False)
    retention_months = forms.IntegerField(label=_("Keep messages for (months)"), min_value=1, max_value=120)
    quiet_from = forms.TimeField(label=_("Quiet from"), widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_until = forms.TimeField(label=_("Quiet until"), widget=forms.TimeInput(attrs={"type": "time"}))
    reminders_per_hour = forms.IntegerField(label=_("Reminders per hour"), min_value=1, max_value=10000)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), max_length=4096, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"), max_length=4096, widget=forms.Textarea(attrs={"rows": 2})
    )


class TemplateSendForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Approved template"), queryset=MessageTemplate.objects.none())
    params = forms.CharField(
        label=_("Parameters"),
        max_length=1000,
        required=False,
        help_text=_("Separated by |, in the order of {{1}}, {{2}}…"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = MessageTemplate.objects.filter(is_approved=True)

    def param_list(self) -> list[str]:
        raw = self.cleaned_data.get("params") or ""
        return [part.strip() for part in raw.split("|")] if raw.strip() else []


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            is_active=True, role__in=[User.Role.OWNER, User.Role.ADMIN, User.Role.STAFF]
        ).order_by("email")


class QuickReplyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=60)
    body = forms.CharField(label=_("Text"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name as approved by Meta"), max_length=120)
    language = forms.ChoiceField(label=_("Language"), choices=[("es", "Español"), ("en", "English")])
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}))
    purpose = forms.ChoiceField(label=_("Used for"), required=False)

    def __init__(self, *args, purposes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", _("Sent by the team"))] + list(purposes)
